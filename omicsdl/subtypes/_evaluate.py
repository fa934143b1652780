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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from mudata import MuData

__all__ = ["SubtypeEvaluation", "evaluate_subtypes"]

logger = logging.getLogger(__name__)

_STAGE_ORDER = {"I": 1.0, "II": 2.0, "III": 3.0, "IV": 4.0}


@dataclass
class SubtypeEvaluation:
    """Result of :func:`evaluate_subtypes`.

    Attributes
    ----------
    metrics
        JSON-ready summary (the ``omicsdl subtypes evaluate`` contract).
    per_repeat
        One row per (method, repeat): pooled held-out C-index and log-rank p.
    heldout
        Held-out predictions: method, repeat, fold, patient, subtype, risk.
    baselines
        One row per method: held-out C-index mean/sd over repeats, median log-rank p.
    model
        The in-sample model fitted on all patients.
    in_sample
        Per-patient in-sample subtype (K-means label) and classifier risk.
    characterisation
        Clinical association and differential features of the in-sample subtypes.
    external
        Transfer to an external cohort, when one was given.
    """

    metrics: dict[str, Any]
    per_repeat: pd.DataFrame
    heldout: pd.DataFrame
    baselines: pd.DataFrame
    model: Any = field(repr=False, default=None)
    in_sample: pd.DataFrame | None = None
    characterisation: Any = None
    external: Any = None

    def write_tables(self, directory: str | Path) -> list[Path]:
        """Write TSV tables and Kaplan-Meier PNGs for a report into ``directory``.

        Files: ``subtypes_in_sample.tsv`` (per patient: subtype, risk, survival),
        ``heldout_predictions.tsv``, ``baselines.tsv``, ``per_repeat.tsv``,
        ``k_selection.tsv``, ``hazard_ratios.tsv``, ``clinical_association.tsv``,
        ``differential_features.tsv``, ``km_in_sample.png``, ``km_heldout.png``
        and, with an external cohort, ``external_predictions.tsv`` and ``km_external.png``.
        """
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from omicsdl._core._atomic import atomic_path
        from omicsdl.pl import km_plot, save_figure

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []

        def tsv(name: str, frame: pd.DataFrame, *, index: bool = False) -> None:
            with atomic_path(out / name) as tmp:
                frame.to_csv(tmp, sep="\t", index=index)
            written.append(out / name)

        def png(name: str, fig: Any) -> None:
            written.append(save_figure(fig, out / name, dpi=120))
            plt.close(fig)

        if self.in_sample is not None:
            tsv("subtypes_in_sample.tsv", self.in_sample, index=True)
            s = self.in_sample
            png(
                "km_in_sample.png",
                km_plot(
                    s["os_days"],
                    s["os_event"],
                    s["subtype"],
                    title="Subtypes, in-sample (fit and scored on all patients)",
                ),
            )
        tsv("heldout_predictions.tsv", self.heldout)
        tsv("baselines.tsv", self.baselines)
        tsv("per_repeat.tsv", self.per_repeat)
        if self.model is not None:
            tsv("k_selection.tsv", self.model.k_selection_, index=True)
            tsv("hazard_ratios.tsv", self.model.hazard_ratios_, index=True)
        if self.characterisation is not None:
            tsv("clinical_association.tsv", self.characterisation.clinical)
            tsv("differential_features.tsv", self.characterisation.features)
        h = self.heldout[(self.heldout["method"] == "autoencoder") & (self.heldout["repeat"] == 0)]
        if h["subtype"].nunique() >= 2:
            png(
                "km_heldout.png",
                km_plot(
                    h["os_days"],
                    h["os_event"],
                    h["subtype"],
                    title="Subtypes of held-out patients (cross-validation, repeat 1)",
                ),
            )
        if self.external is not None:
            tsv("external_predictions.tsv", self.external.predictions, index=True)
            x = self.external.predictions
            if "os_days" in x.columns and x["subtype"].nunique() >= 2:
                png(
                    "km_external.png",
                    km_plot(
                        x["os_days"],
                        x["os_event"],
                        x["subtype"],
                        title="Unnamed HCC cohort, mRNA-only classifier",
                    ),
                )
        return written


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
    rng: RNGLike = 0,
    n_threads: int | None = None,
    external: MuData | None = None,
    external_log_transformed: bool = True,
    source: str = "cohort",
) -> SubtypeEvaluation:
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
        Keyword arguments for :class:`~omicsdl.subtypes.SurvivalSubtypes`.
    baselines
        Also evaluate PCA, each single omic, stage alone and subtype + stage.
    rng
        Seed: same seed, same numbers.
    n_threads
        Torch threads.
    external
        An external cohort (mRNA) to transfer the in-sample subtypes to with
        the mRNA-only classifier on the shared genes (:func:`transfer_subtypes`).
    external_log_transformed
        The external values are already log2.
    source
        Name used in error messages.

    Returns
    -------
    Metrics, per-repeat table, held-out predictions, baseline table and the in-sample model.

    Raises
    ------
    InputError
        A cohort without survival, too few events, too few patients for the
        folds, or no survival-associated feature in the full cohort.
    """
    from sklearn.model_selection import StratifiedKFold

    from omicsdl._version import __version__
    from omicsdl.subtypes._characterise import characterise_subtypes
    from omicsdl.subtypes._model import SurvivalSubtypes, _complete_patients, survival_of
    from omicsdl.subtypes._transfer import transfer_subtypes
    from omicsdl.survival import MIN_EVENTS, concordance_index, logrank

    started = time.perf_counter()
    params = dict(params or {})
    gen = as_generator(rng)
    seed = rng if isinstance(rng, int) else None
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
    model = SurvivalSubtypes(**params, rng=derive_seed(gen), n_threads=n_threads).fit(mdata, source=source)
    labels = model.labels_.to_numpy()
    in_sample = {
        "in_sample_logrank_p": logrank(t, e, labels).p_value,
        "in_sample_cindex": concordance_index(t, e, _training_risk(model)),
        "in_sample_classifier_cindex": concordance_index(t, e, model.predict(mdata)["risk"].to_numpy()),
    }

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
                    fitted = SurvivalSubtypes(**kwargs, rng=fold_seed, n_threads=n_threads).fit(train)
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
    metrics: dict[str, Any] = {
        **in_sample,
        "heldout_cindex_mean": float(main.loc["autoencoder", "cindex_mean"]),
        "heldout_cindex_sd": float(main.loc["autoencoder", "cindex_sd"]),
        "heldout_logrank_p": _finite(main.loc["autoencoder", "logrank_p_median"]),
        "heldout_cindex_per_repeat": per_repeat.loc[per_repeat["method"] == "autoencoder", "cindex"].tolist(),
        "heldout_logrank_p_per_repeat": [
            _finite(v) for v in per_repeat.loc[per_repeat["method"] == "autoencoder", "logrank_p"]
        ],
        "heldout_failed_folds": int(main.loc["autoencoder", "n_failed_folds"]),
    }
    for method, key in (
        ("latent_cox", "heldout_latent_cox"),
        ("latent_cox_stage", "heldout_latent_cox_stage"),
    ):
        if method in main.index:
            metrics[f"{key}_cindex_mean"] = float(main.loc[method, "cindex_mean"])
            metrics[f"{key}_cindex_sd"] = float(main.loc[method, "cindex_sd"])
            metrics[f"{key}_logrank_p"] = _finite(main.loc[method, "logrank_p_median"])
    if "penalizer" in heldout.columns:
        chosen = (
            heldout.dropna(subset=["penalizer"]).groupby(["method", "repeat", "fold"])["penalizer"].first()
        )
        metrics["latent_cox_penalizers_chosen"] = {
            m: chosen.loc[m].tolist() for m in chosen.index.get_level_values(0).unique()
        }
    if baselines:
        metrics["pca_heldout_cindex_mean"] = float(main.loc["pca", "cindex_mean"])
        metrics["pca_heldout_cindex_sd"] = float(main.loc["pca", "cindex_sd"])
        metrics["stage_heldout_cindex_mean"] = float(main.loc["stage_only", "cindex_mean"])
        metrics["autoencoder_plus_stage_heldout_cindex_mean"] = float(
            main.loc["autoencoder_plus_stage", "cindex_mean"]
        )
        for omic in omics if len(omics) > 1 else []:
            metrics[f"{omic}_only_heldout_cindex_mean"] = float(
                main.loc[f"autoencoder_{omic}_only", "cindex_mean"]
            )
    if transfer is not None:
        metrics |= transfer.metrics("external_")
    metrics |= {
        "n_patients": len(t),
        "n_events": n_events,
        "k": int(model.k_),
        "k_selection": model.k_selection_.reset_index().to_dict(orient="records"),
        "n_selected_latent_features": len(model.selected_features_),
        "subtype_sizes": {str(k): int(v) for k, v in model.labels_.value_counts().sort_index().items()},
        "n_folds": n_folds,
        "n_repeats": n_repeats,
        "seed": seed,
        "omics": omics,
        "risk_score": (
            "expected training-fold log hazard ratio of the subtypes under the classifier's probabilities"
        ),
        "params": model.get_params(),
        "seconds": round(time.perf_counter() - started, 1),
        "omicsdl_version": __version__,
    }
    metrics = {k: _finite(v) if isinstance(v, float) else v for k, v in metrics.items()}
    return SubtypeEvaluation(
        metrics=metrics,
        per_repeat=per_repeat,
        heldout=heldout,
        baselines=summary,
        model=model,
        in_sample=in_sample_table,
        characterisation=characterisation,
        external=transfer,
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
