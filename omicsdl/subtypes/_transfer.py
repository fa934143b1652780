"""Transfer fitted survival subtypes to an external single-omic (mRNA) cohort.

The published route (Chaudhary et al. 2018): keep the subtypes learned on the
multi-omics training cohort, fit an mRNA-only classifier on the genes the two
cohorts share, and assign the external patients with it. Because the external
cohort comes from another platform, its selected genes are z-scored within
the external cohort (``normalise="cohort"``); no external survival data are
used for anything but the final log-rank test and C-index.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from mudata import MuData

    from omicsdl._core._random import RNGLike
    from omicsdl.subtypes._model import SurvivalSubtypes

__all__ = ["TransferResult", "read_expression_survival_table", "transfer_subtypes"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TransferResult:
    """Subtypes predicted for an external cohort, with survival statistics there.

    Attributes
    ----------
    predictions
        Per external patient: ``subtype``, ``risk``, ``p_S1`` … (and ``os_days``,
        ``os_event`` when the cohort has survival).
    n_shared_features
        Genes of the training mRNA the external cohort also has.
    n_model_features
        Genes of the training mRNA.
    logrank_p, cindex
        Of the predicted subtypes / risk on the external survival (``None`` without it).
    n_patients, n_events
        External patients and deaths.
    """

    predictions: pd.DataFrame
    n_shared_features: int
    n_model_features: int
    logrank_p: float | None
    cindex: float | None
    n_patients: int
    n_events: int


def read_expression_survival_table(
    path: str | Path,
    *,
    duration_column: str = "OStime",
    event_column: str = "OS",
    omic: str = "rna",
) -> MuData:
    """Read a patients × (survival + genes) CSV/TSV into a one-omic cohort.

    The format of the unnamed 150-patient HCC cohort in ``shared/data``: first
    column patient id, then the event and time columns, then one column per gene.
    Values are kept as they are (the file is already log2; pass
    ``log_transformed=True`` when predicting).

    Parameters
    ----------
    path
        The CSV or TSV file (optionally gzipped).
    duration_column
        Column of the follow-up time (kept as ``os_days``).
    event_column
        Column of the event indicator (kept as ``os_event``).
    omic
        Name of the one modality.

    Raises
    ------
    InputError
        The file is missing or lacks a survival column.
    """
    import anndata as ad

    from omicsdl.io import new_mudata

    path = Path(path)
    if not path.is_file():
        msg = "file not found"
        raise InputError(msg, source=path)
    sep = "\t" if path.name.removesuffix(".gz").endswith((".tsv", ".txt")) else ","
    frame = pd.read_csv(path, sep=sep, index_col=0)
    missing = [c for c in (duration_column, event_column) if c not in frame.columns]
    if missing:
        msg = f"no survival column(s) {missing}"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix=f"name the time and event columns (found e.g. {list(frame.columns[:4])})",
        )
    genes = frame.drop(columns=[duration_column, event_column])
    adata = ad.AnnData(genes.to_numpy(dtype=np.float32))
    adata.obs_names = genes.index.astype(str)
    adata.var_names = genes.columns.astype(str)
    mdata = new_mudata({omic: adata})
    mdata.obs["os_days"] = frame[duration_column].to_numpy(dtype=float)
    mdata.obs["os_event"] = frame[event_column].astype(bool).to_numpy()
    mdata.uns["omicsdl"] = {"name": path.name, "source": str(path)}
    return mdata


def transfer_subtypes(
    model: SurvivalSubtypes,
    training: MuData,
    external: MuData,
    *,
    omic: str = "rna",
    log_transformed: bool = True,
    rng: RNGLike = None,
) -> TransferResult:
    """Predict ``model``'s subtypes on ``external`` with a classifier on the shared genes.

    Parameters
    ----------
    model
        A fitted :class:`~omicsdl.subtypes.SurvivalSubtypes` (its training labels are used).
    training
        The cohort ``model`` was fitted on (for the shared-gene classifier).
    external
        The new cohort with modality ``omic``; survival optional.
    omic
        The shared omic (mRNA).
    log_transformed
        The external values are already log2.
    rng
        Seed or generator of the classifier's calibration folds (``None``: ``settings.seed``).

    Raises
    ------
    InputError
        If the cohorts share no feature of ``omic``.
    """
    from omicsdl.io import feature_symbols
    from omicsdl.subtypes._classifier import SubtypeClassifier
    from omicsdl.survival import concordance_index, logrank

    model.check_fitted()
    for name, cohort in (("training", training), ("external", external)):
        if omic not in cohort.mod:
            msg = f"the {name} cohort has no {omic!r} modality"
            raise InputError(msg, item=omic)
    trained_on = feature_symbols(training.mod[omic])  # plain symbols: rna:ACAT1 and ACAT1 are one gene
    given = feature_symbols(external.mod[omic])
    shared = trained_on.intersection(given)
    n_model = int(training.mod[omic].n_vars)
    if len(shared) == 0:
        msg = f"the external cohort shares none of the {n_model} training {omic} features"
        raise InputError(
            msg,
            item=f"training e.g. {list(trained_on[:3])}, external e.g. {list(given[:3])}",
            fix="use the same feature ids (HGNC gene symbols)",
        )
    logger.info("transfer: %d of %d training %s features are shared", len(shared), n_model, omic)
    labels = model.labels_.reindex(training.obs_names)
    if labels.isna().any():
        msg = "the training cohort is not the one the model was fitted on"
        raise InputError(msg, item=str(labels.index[0]))
    clf = SubtypeClassifier(
        **dict(model.classifier or {}), omics=[omic], candidate_features={omic: list(shared)}, rng=rng
    )
    clf.fit(training[labels.index], labels.to_numpy())
    proba = clf.predict_proba(external, normalise="cohort", log_transformed=log_transformed)
    pred = model._prediction_table(proba)
    p = c = None
    n_events = 0
    if {"os_days", "os_event"} <= set(external.obs.columns):
        t = external.obs.loc[pred.index, "os_days"].to_numpy(dtype=float)
        e = external.obs.loc[pred.index, "os_event"].to_numpy(dtype=bool)
        pred["os_days"], pred["os_event"] = t, e
        n_events = int(e.sum())
        if n_events:
            c = concordance_index(t, e, pred["risk"].to_numpy())
            if pred["subtype"].nunique() >= 2:
                p = logrank(t, e, pred["subtype"].to_numpy()).p_value
    return TransferResult(
        predictions=pred,
        n_shared_features=len(shared),
        n_model_features=n_model,
        logrank_p=p,
        cindex=c,
        n_patients=len(pred),
        n_events=n_events,
    )
