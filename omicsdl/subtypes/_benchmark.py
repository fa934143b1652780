"""Every model on identical folds: fit on the training patients, score the held-out ones.

:func:`run_benchmark` fits each model of :data:`~omicsdl.subtypes._model_types.MODEL_TYPES`
on the training patients of every (repeat, fold) of one folds table — all
preprocessing, feature selection, embeddings, screens, clusters, penalties
(inner CV) and classifiers are refitted there — and predicts the held-out
patients. It returns the per-patient held-out risks and per-fold metrics
(:func:`omicsdl.survival.heldout_metrics`), the ``<model>+stage`` combinations,
and each fit's top features (for their stability across fits).

Fits run side by side in threads, each single-threaded, so the results do not
depend on ``n_workers`` (:mod:`omicsdl.subtypes._parallel`); every fit's seed
comes from (seed, repeat, fold, model).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mudata import MuData

__all__ = ["N_TOP_FEATURES", "BenchmarkRun", "run_benchmark"]

logger = logging.getLogger(__name__)

#: top features per omic recorded from every fit (for their stability across fits)
N_TOP_FEATURES = 20


@dataclass(frozen=True)
class BenchmarkRun:
    """What :func:`run_benchmark` measured.

    Attributes
    ----------
    predictions
        ``model, repeat, fold, patient, risk`` (higher = worse) and ``subtype`` where the model forms them.
    fold_metrics
        Per model, repeat and fold: ``harrell_c``, ``uno_c``, ``auc_1y``, ``auc_3y``, ``auc_5y``, ``ibs``,
        ``seconds``, ``n_train``, ``n_test``, ``failed`` (no subtypes formed) and ``uses_clinical``.
    top_features
        Per model, repeat and fold: the top features per omic (``omic, feature, rank, direction``).
    """

    predictions: pd.DataFrame
    fold_metrics: pd.DataFrame
    top_features: pd.DataFrame


def _fit_one(
    name: str,
    train: MuData,
    test: MuData,
    *,
    seed: int,
    pipeline: Mapping[str, Any] | None,
    omics: list[str] | None,
    extra: Mapping[str, Any] | None,
    device: str,
    attributions: bool,
) -> dict[str, Any]:
    from omicsdl.subtypes._model_types import MODEL_TYPES, make_model

    t0 = time.perf_counter()
    model = make_model(
        name, pipeline=pipeline, omics=omics, extra=extra, n_threads=1, device=device, rng=seed
    )
    out: dict[str, Any] = {"failed": False, "subtype": None, "top": None}
    try:
        model.fit(train)
    except InputError as err:
        if not MODEL_TYPES[name].subtypes:
            raise
        # honest: a training fold without survival-associated features forms no subtypes
        out |= {"failed": True, "reason": err.problem}
        out["train_risk"] = np.zeros(train.n_obs)
        out["test_risk"] = np.zeros(test.n_obs)
        out["subtype"] = np.full(test.n_obs, "none", dtype=object)
        out["seconds"] = time.perf_counter() - t0
        return out
    pred = model.predict(test)
    out["test_risk"] = pred["risk"].to_numpy(dtype=float)
    if "subtype" in pred.columns:
        out["subtype"] = pred["subtype"].to_numpy(dtype=object)
    out["train_risk"] = model.predict_risk(train)
    out["seconds"] = time.perf_counter() - t0
    if attributions and MODEL_TYPES[name].family != "clinical":
        table = model.attributions(train)
        out["top"] = table[table["rank"] <= N_TOP_FEATURES][["omic", "feature", "rank", "direction"]]
    return out


def _combine_with_stage(model_out: dict[str, Any], stage_out: dict[str, Any]) -> dict[str, Any]:
    """Mean of the model's and the stage model's risks, each standardised on the training fold."""

    def z(train: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        mu, sd = float(np.mean(train)), float(np.std(train, ddof=1))
        sd = sd if sd > 1e-12 else 1.0
        return (train - mu) / sd, (other - mu) / sd

    m_tr, m_te = z(model_out["train_risk"], model_out["test_risk"])
    s_tr, s_te = z(stage_out["train_risk"], stage_out["test_risk"])
    return {
        "train_risk": (m_tr + s_tr) / 2,
        "test_risk": (m_te + s_te) / 2,
        "seconds": model_out["seconds"] + stage_out["seconds"],
        "failed": model_out["failed"],
    }


def run_benchmark(
    mdata: MuData,
    folds: pd.DataFrame,
    *,
    models: Sequence[str],
    seed: int,
    pipeline: Mapping[str, Any] | None = None,
    omics: list[str] | None = None,
    model_params: Mapping[str, Mapping[str, Any]] | None = None,
    n_workers: int = 1,
    device: str = "auto",
    attributions: bool = True,
    with_stage: bool = True,
    model_index: int | None = None,
) -> BenchmarkRun:
    """Fit every model on every training fold of ``folds``; score the held-out patients.

    Parameters
    ----------
    mdata
        The cohort (patients with every omic and survival).
    folds
        ``patient, repeat, fold`` (:func:`~omicsdl.subtypes._folds.make_folds` or a user's file).
    models
        Names from :data:`~omicsdl.subtypes._model_types.MODEL_TYPES`.
    seed
        Base seed: fit ``(repeat, fold, model)`` gets its own seed from it.
    pipeline
        Options of the subtype pipeline (autoencoder epochs, k, alpha, ...).
    omics
        Modalities the omics models use.
    model_params
        Per model name: further keyword arguments of its class.
    n_workers
        Fits run side by side (results do not depend on it).
    device
        Where the torch models run.
    attributions
        Record each fit's top features (for their stability).
    with_stage
        Also score ``<model>+stage`` (needs ``"stage"`` among ``models``).
    model_index
        With one model: its position in the original model list (so its fits get the same seeds).

    Raises
    ------
    InputError
        A fold whose training or held-out patients have no event.
    """
    from omicsdl.subtypes._model import survival_of
    from omicsdl.subtypes._model_types import MODEL_TYPES
    from omicsdl.subtypes._parallel import run_tasks, single_threaded_numerics
    from omicsdl.survival import heldout_metrics

    t_all, e_all = survival_of(mdata)
    pos = pd.Series(np.arange(mdata.n_obs), index=mdata.obs_names)
    splits = []
    for (r, f), g in folds.groupby(["repeat", "fold"], sort=True):
        in_repeat = folds.loc[folds["repeat"] == r, "patient"]
        test = g["patient"].to_numpy(dtype=str)
        train = np.setdiff1d(in_repeat.to_numpy(dtype=str), test)
        train = mdata.obs_names[np.sort(pos.loc[train].to_numpy())]
        test = mdata.obs_names[np.sort(pos.loc[test].to_numpy())]
        for label, ids in (("training", train), ("held-out", test)):
            if not e_all[pos.loc[ids].to_numpy()].any():
                msg = f"repeat {r} fold {f}: no event among the {label} patients"
                raise InputError(msg, fix="use fewer folds or stratify the folds by event")
        splits.append((int(r), int(f), train, test))
    views = {(r, f): (mdata[tr], mdata[te]) for r, f, tr, te in splits}
    tasks, keys = [], []
    for r, f, _, _ in splits:
        for j, name in enumerate(models):
            k = j if model_index is None else model_index
            fit_seed = int(np.random.default_rng([seed, r, f, k]).integers(0, 2**31 - 1))
            train_v, test_v = views[(r, f)]
            tasks.append(
                lambda name=name, tr=train_v, te=test_v, s=fit_seed: _fit_one(
                    name,
                    tr,
                    te,
                    seed=s,
                    pipeline=pipeline,
                    omics=omics,
                    extra=(model_params or {}).get(name),
                    device=device,
                    attributions=attributions,
                )
            )
            keys.append((r, f, name))
    logger.info(
        "benchmark: %d models × %d folds = %d fits on %d worker(s)",
        len(models),
        len(splits),
        len(tasks),
        n_workers,
    )
    with single_threaded_numerics():
        results = run_tasks(tasks, n_workers=n_workers, desc="benchmark fits")
    by_key = dict(zip(keys, results, strict=True))

    pred_rows, metric_rows, top_rows = [], [], []
    split_of = {(r, f): (tr, te) for r, f, tr, te in splits}
    combos = []
    if with_stage and "stage" in models:
        combos = [m for m in models if MODEL_TYPES[m].family != "clinical"]
    for (r, f), (tr, te) in split_of.items():
        i_tr, i_te = pos.loc[tr].to_numpy(), pos.loc[te].to_numpy()
        entries = [(name, by_key[(r, f, name)], MODEL_TYPES[name].family == "clinical") for name in models]
        entries += [
            (f"{m}+stage", _combine_with_stage(by_key[(r, f, m)], by_key[(r, f, "stage")]), True)
            for m in combos
        ]
        for name, out, clinical in entries:
            frame = pd.DataFrame(
                {"model": name, "repeat": r, "fold": f, "patient": list(te), "risk": out["test_risk"]}
            )
            if out.get("subtype") is not None:
                frame["subtype"] = out["subtype"]
            pred_rows.append(frame)
            with single_threaded_numerics():
                m = heldout_metrics(
                    t_all[i_tr], e_all[i_tr], out["train_risk"], t_all[i_te], e_all[i_te], out["test_risk"]
                )
            metric_rows.append(
                {
                    "model": name,
                    "repeat": r,
                    "fold": f,
                    **m,
                    "seconds": out.get("seconds", np.nan),
                    "n_train": len(tr),
                    "n_test": len(te),
                    "failed": bool(out.get("failed", False)),
                    "uses_clinical": clinical,
                }
            )
            if out.get("top") is not None:
                top_rows.append(out["top"].assign(model=name, repeat=r, fold=f))
    predictions = pd.concat(pred_rows, ignore_index=True)
    top = (
        pd.concat(top_rows, ignore_index=True)[
            ["model", "repeat", "fold", "omic", "feature", "rank", "direction"]
        ]
        if top_rows
        else pd.DataFrame(columns=["model", "repeat", "fold", "omic", "feature", "rank", "direction"])
    )
    return BenchmarkRun(predictions=predictions, fold_metrics=pd.DataFrame(metric_rows), top_features=top)
