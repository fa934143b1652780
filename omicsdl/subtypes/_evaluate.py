"""Honest evaluation of survival subtypes: repeated cross-validation with every step refitted.

For each fold, a fresh :class:`~omicsdl.subtypes.SurvivalSubtypes` is fitted on the
training patients only — preprocessing, autoencoder, Cox screen, K-means and
the subtype classifier all see only the training fold — and the held-out
patients are assigned by the classifier. Held-out predictions are pooled over
the folds of one repeat; the C-index and log-rank p of the pooled predictions
are reported per repeat, with their mean and spread over repeats.

The held-out **risk score** is the expected training-fold log hazard ratio of
the subtypes under the classifier's probabilities (see
:class:`~omicsdl.subtypes.SurvivalSubtypes`). The in-sample replication (fit and
score on all patients, as in the original publication) is reported beside it
and labelled in-sample.

Baselines in the same folds: PCA with the same number of components in place
of the autoencoder, each single omic, clinical stage alone (a Cox model on the
ordinal stage), and subtype + stage together (a Cox model of both fitted on
the training fold: the omics risk of the training patients is their subtype's
log hazard ratio).

A continuous-risk model is evaluated in the same folds (always, not only with
baselines): a ridge-penalised Cox model (lifelines) on the training fold's
screened autoencoder features, and the same with clinical stage, the penalty
chosen from :data:`~omicsdl.subtypes._latent_cox.PENALIZER_GRID` by an inner split of
the training patients (``heldout_latent_cox_*`` and ``heldout_latent_cox_stage_*``).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl.subtypes._results import BaselineScore, HeldoutScores, InSampleScores, SubtypesEvaluation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mudata import MuData

    from omicsdl._core._device import Device

__all__ = ["evaluate_subtypes"]

logger = logging.getLogger(__name__)

_STAGE_ORDER = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0}


def _stage_values(obs: pd.DataFrame) -> np.ndarray:
    if "stage" not in obs.columns:
        return np.full(len(obs), np.nan)
    return obs["stage"].astype(str).map(_STAGE_ORDER).to_numpy(dtype=float)


def _training_risk(model: Any) -> np.ndarray:
    """Log hazard ratio of each training patient's own subtype (the in-sample risk)."""
    return model.log_hazard_[pd.Index(model.subtypes_).get_indexer(model.labels_)]


def _cox_risk(train: pd.DataFrame, test: pd.DataFrame, t: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Linear predictor of a (lightly ridge-penalised) Cox model fitted on ``train``."""
    from lifelines import CoxPHFitter

    fill = train.median()
    frame = train.fillna(fill).assign(T=t, E=e.astype(int))
    cph = CoxPHFitter(penalizer=1e-3).fit(frame, "T", "E")
    return test.fillna(fill).to_numpy(dtype=float) @ cph.params_.to_numpy()


def evaluate_subtypes(
    mdata: MuData,
    *,
    n_folds: int = 5,
    n_repeats: int = 3,
    params: Mapping[str, Any] | None = None,
    baselines: bool = True,
    external: MuData | None = None,
    external_log_transformed: bool = True,
    n_threads: int | None = None,
    device: Device = "auto",
    rng: RNGLike = None,
    source: str = "cohort",
) -> SubtypesEvaluation:
    """Nested (repeated, stratified) cross-validation of :class:`~omicsdl.subtypes.SurvivalSubtypes`.

    Parameters
    ----------
    mdata
        Cohort with overall survival (``os_days``, ``os_event``).
    n_folds
        Folds per repeat (stratified by event).
    n_repeats
        Repeats with different fold splits; spread is reported over repeats.
    params
        Keyword arguments for :class:`~omicsdl.subtypes.SurvivalSubtypes`
        (hyperparameters; ``n_threads``, ``device`` and ``rng`` are given here).
    baselines
        Also evaluate PCA, each single omic, stage alone and subtype + stage.
    external
        An external cohort (mRNA) to transfer the in-sample subtypes to with
        the mRNA-only classifier on the shared genes (:func:`transfer_subtypes`).
    external_log_transformed
        The external values are already log2.
    n_threads
        Torch threads (``None``: ``settings.n_threads``).
    device
        Where the autoencoders run (``"auto"``, ``"cpu"``, ``"cuda"``, ``"mps"``).
    rng
        Seed or generator (``None``: ``settings.seed``): same seed, same numbers.
    source
        Name used in error messages.

    Returns
    -------
    Scores, per-repeat and per-patient tables, characterisation and the in-sample
    model; ``.write(dir)`` writes ``metrics.json`` and ``tables/``.

    Raises
    ------
    InputError
        A cohort without survival, too few events, too few patients for the
        folds, or no survival-associated feature in the full cohort.
    """
    from sklearn.model_selection import StratifiedKFold

    from omicsdl._core._settings import settings
    from omicsdl.subtypes._characterise import characterise_subtypes
    from omicsdl.subtypes._model import SurvivalSubtypes, _complete_patients, survival_of
    from omicsdl.subtypes._transfer import transfer_subtypes
    from omicsdl.survival import MIN_EVENTS, concordance_index, logrank

    started = time.perf_counter()
    params = dict(params or {})
    clash = sorted(set(params) & {"n_threads", "device", "rng"})
    if clash:
        msg = f"params sets {clash}: pass them to evaluate_subtypes itself"
        raise ValueError(msg)
    seed = settings.seed if rng is None else (int(rng) if isinstance(rng, int | np.integer) else None)
    gen = as_generator(rng)
    run = {"n_threads": n_threads, "device": device}
    omics = list(params.get("omics") or mdata.mod)
    mdata = _complete_patients(mdata, omics, source=source)
    t, e = survival_of(mdata, source=source)
    n_events = int(e.sum())
    if n_events < MIN_EVENTS * 2:
        msg = f"only {n_events} events: cross-validated Cox screens need at least {2 * MIN_EVENTS}"
        raise InputError(
            msg,
            source=source,
            fix="use a larger cohort",
        )
    if n_folds < 2 or min(n_events, len(t) - n_events) < n_folds:
        msg = f"{n_folds} folds need at least {n_folds} patients with and without events"
        raise InputError(msg, source=source)

    # -- in-sample replication (as published: fit and score on the same patients)
    model = SurvivalSubtypes(**params, **run, rng=derive_seed(gen)).fit(mdata, source=source)
    labels = model.labels_.to_numpy()
    in_sample = InSampleScores(
        logrank_p=_finite(logrank(t, e, labels).p_value),
        cindex=_finite(concordance_index(t, e, _training_risk(model))),
        classifier_cindex=_finite(concordance_index(t, e, model.predict(mdata)["risk"].to_numpy())),
    )

    in_sample_pred = model.predict(mdata)
    in_sample_table = pd.DataFrame(
        {
            "subtype": labels,
            "classifier_subtype": in_sample_pred["subtype"].to_numpy(),
            "risk": in_sample_pred["risk"].to_numpy(),
            "os_days": t,
            "os_event": e,
        },
        index=mdata.obs_names.copy(),
    )
    characterisation = characterise_subtypes(mdata, labels)
    transfer = None
    if external is not None:
        transfer = transfer_subtypes(
            model, mdata, external, log_transformed=external_log_transformed, rng=derive_seed(gen)
        )

    methods: dict[str, dict[str, Any]] = {"autoencoder": params}
    if baselines:
        methods["pca"] = {**params, "embedding": "pca"}
        if len(omics) > 1:
            for omic in omics:
                methods[f"autoencoder_{omic}_only"] = {**params, "omics": [omic]}
    stage = _stage_values(mdata.obs)
    patients = mdata.obs_names
    rows: list[pd.DataFrame] = []
    failures: dict[str, int] = {}
    repeat_seeds = [derive_seed(gen) for _ in range(n_repeats)]
    for r, rseed in enumerate(repeat_seeds):
        folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=rseed)
        for f, (tr, te) in enumerate(folds.split(np.zeros(len(t)), e.astype(int))):
            fold_seed = derive_seed(np.random.default_rng([rseed, f]))
            train, test = mdata[patients[tr]], mdata[patients[te]]
            for name, kwargs in methods.items():
                try:
                    fitted = SurvivalSubtypes(**kwargs, **run, rng=fold_seed).fit(train)
                except InputError as err:
                    # honest: a fold without survival-associated features yields no subtypes
                    logger.warning("repeat %d fold %d %s: no subtypes (%s)", r, f, name, err.problem)
                    failures[name] = failures.get(name, 0) + 1
                    rows.append(_frame(name, r, f, patients[te], np.full(len(te), "none"), np.zeros(len(te))))
                    continue
                pred = fitted.predict(test)
                rows.append(
                    _frame(name, r, f, patients[te], pred["subtype"].to_numpy(), pred["risk"].to_numpy())
                )
                if name == "autoencoder":
                    rows.extend(
                        _latent_cox_rows(fitted, test, stage, tr, te, t, e, r, f, patients, fold_seed)
                    )
                if name == "autoencoder" and baselines:
                    combo = _cox_risk(
                        pd.DataFrame({"risk": _training_risk(fitted), "stage": stage[tr]}),
                        pd.DataFrame({"risk": pred["risk"].to_numpy(), "stage": stage[te]}),
                        t[tr],
                        e[tr],
                    )
                    rows.append(
                        _frame(
                            "autoencoder_plus_stage", r, f, patients[te], pred["subtype"].to_numpy(), combo
                        )
                    )
            if baselines:
                st = _cox_risk(
                    pd.DataFrame({"stage": stage[tr]}), pd.DataFrame({"stage": stage[te]}), t[tr], e[tr]
                )
                rows.append(_frame("stage_only", r, f, patients[te], _stage_labels(stage[te]), st))
            logger.info("repeat %d fold %d done (%.0f s)", r + 1, f + 1, time.perf_counter() - started)
    heldout = pd.concat(rows, ignore_index=True)
    pos = pd.Index(patients).get_indexer(heldout["patient"])
    heldout["os_days"], heldout["os_event"] = t[pos], e[pos]

    rep_rows = []
    for (name, r), g in heldout.groupby(["method", "repeat"], sort=False):
        groups = g["subtype"].to_numpy()
        p = np.nan
        if len(pd.unique(groups)) >= 2:
            p = logrank(g["os_days"], g["os_event"], groups).p_value
        rep_rows.append(
            {
                "method": name,
                "repeat": r,
                "cindex": concordance_index(g["os_days"], g["os_event"], g["risk"].to_numpy()),
                "logrank_p": p,
                "n_failed_folds": int((g.groupby("fold")["subtype"].first() == "none").sum()),
            }
        )
    per_repeat = pd.DataFrame(rep_rows)
    summary = (
        per_repeat.groupby("method", sort=False)
        .agg(
            cindex_mean=("cindex", "mean"),
            cindex_sd=("cindex", lambda s: float(np.std(s, ddof=1)) if len(s) > 1 else 0.0),
            logrank_p_median=("logrank_p", "median"),
            n_failed_folds=("n_failed_folds", "sum"),
        )
        .reset_index()
    )
    main = summary.set_index("method")

    def scores(method: str) -> HeldoutScores:
        return HeldoutScores(
            cindex_mean=_finite(main.loc[method, "cindex_mean"]),
            cindex_sd=_finite(main.loc[method, "cindex_sd"]),
            logrank_p=_finite(main.loc[method, "logrank_p_median"]),
        )

    own = per_repeat[per_repeat["method"] == "autoencoder"]
    heldout_scores = HeldoutScores(
        cindex_mean=_finite(main.loc["autoencoder", "cindex_mean"]),
        cindex_sd=_finite(main.loc["autoencoder", "cindex_sd"]),
        logrank_p=_finite(main.loc["autoencoder", "logrank_p_median"]),
        cindex_per_repeat=tuple(_finite(v) for v in own["cindex"]),
        logrank_p_per_repeat=tuple(_finite(v) for v in own["logrank_p"]),
        n_failed_folds=int(main.loc["autoencoder", "n_failed_folds"]),
    )
    penalizers = None
    if "penalizer" in heldout.columns:
        chosen = (
            heldout.dropna(subset=["penalizer"]).groupby(["method", "repeat", "fold"])["penalizer"].first()
        )
        penalizers = {
            m: tuple(float(v) for v in chosen.loc[m]) for m in chosen.index.get_level_values(0).unique()
        }
    baseline_scores: list[BaselineScore] = []
    if baselines:
        baseline_scores += [
            BaselineScore(
                "pca", _finite(main.loc["pca", "cindex_mean"]), _finite(main.loc["pca", "cindex_sd"])
            ),
            BaselineScore("stage", _finite(main.loc["stage_only", "cindex_mean"])),
            BaselineScore(
                "autoencoder_plus_stage", _finite(main.loc["autoencoder_plus_stage", "cindex_mean"])
            ),
        ]
        baseline_scores += [
            BaselineScore(f"{omic}_only", _finite(main.loc[f"autoencoder_{omic}_only", "cindex_mean"]))
            for omic in (omics if len(omics) > 1 else [])
        ]
    return SubtypesEvaluation(
        in_sample=in_sample,
        heldout=heldout_scores,
        latent_cox=scores("latent_cox") if "latent_cox" in main.index else None,
        latent_cox_stage=scores("latent_cox_stage") if "latent_cox_stage" in main.index else None,
        latent_cox_penalizers=penalizers,
        baseline_scores=tuple(baseline_scores),
        n_patients=len(t),
        n_events=n_events,
        k=int(model.k_),
        subtype_sizes={str(k): int(v) for k, v in model.labels_.value_counts().sort_index().items()},
        n_selected_latent_features=len(model.selected_features_),
        omics=tuple(omics),
        n_folds=n_folds,
        n_repeats=n_repeats,
        seed=seed,
        params=model._params_for_json(),
        seconds=round(time.perf_counter() - started, 1),
        in_sample_subtypes=in_sample_table,
        heldout_predictions=heldout,
        baselines=summary,
        per_repeat=per_repeat,
        k_selection=model.k_selection_,
        hazard_ratios=model.hazard_ratios_,
        characterisation=characterisation,
        external=transfer,
        model=model,
    )


def _latent_cox_rows(
    fitted: Any,
    test: MuData,
    stage: np.ndarray,
    tr: np.ndarray,
    te: np.ndarray,
    t: np.ndarray,
    e: np.ndarray,
    r: int,
    f: int,
    patients: pd.Index,
    fold_seed: int,
) -> list[pd.DataFrame]:
    """Held-out risk of a ridge Cox model on the training fold's screened latent features.

    Everything (feature screen, standardisation, penalty by inner split, coefficients,
    the high/low risk threshold = training median) comes from the training fold.
    """
    from omicsdl.subtypes._latent_cox import penalised_cox_risk

    idx = fitted.selected_index_
    z_tr = fitted.latent_[:, idx]
    z_te = fitted.embed(test)[:, idx]
    variants = {"latent_cox": (z_tr, z_te)}
    if np.isfinite(stage[tr]).any():
        variants["latent_cox_stage"] = (
            np.column_stack([z_tr, stage[tr]]),
            np.column_stack([z_te, stage[te]]),
        )
    out = []
    for name, (x_tr, x_te) in variants.items():
        risk, train_risk, pen = penalised_cox_risk(x_tr, t[tr], e[tr], x_te, rng=fold_seed)
        logger.info("repeat %d fold %d %s: penalizer %g (inner split)", r + 1, f + 1, name, pen)
        groups = np.where(risk > np.median(train_risk), "high", "low")
        frame = _frame(name, r, f, patients[te], groups, risk)
        frame["penalizer"] = pen
        out.append(frame)
    return out


def _frame(
    name: str, r: int, f: int, patients: Sequence[str], subtype: np.ndarray, risk: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {"method": name, "repeat": r, "fold": f, "patient": list(patients), "subtype": subtype, "risk": risk}
    )


def _stage_labels(stage: np.ndarray) -> np.ndarray:
    inv = {v: k for k, v in _STAGE_ORDER.items()}
    return np.array([inv.get(s, "unknown") for s in stage], dtype=object)


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
