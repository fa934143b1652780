"""Fit the final model on a whole cohort and describe it (``omicsdl subtypes fit``).

Any benchmarked model can be fitted (``model_type``, see
:data:`~omicsdl.subtypes.MODEL_TYPES`); the published subtypes are Chaudhary's
(``model_type="chaudhary"``, the default). Patients lacking one of the
model's omics are left out of fitting (listed with the reason) and then
assigned from the omics they have. Every model is fitted on one thread, so
the result does not depend on ``n_threads``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl.subtypes._results import SubtypesFit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mudata import MuData

    from omicsdl._core._device import Device
    from omicsdl._core._random import RNGLike

__all__ = ["annotated_cohort", "fit_subtypes"]

logger = logging.getLogger(__name__)


def fit_subtypes(
    mdata: MuData,
    *,
    model_type: str = "chaudhary",
    params: Mapping[str, Any] | None = None,
    n_threads: int | None = None,
    device: Device = "auto",
    rng: RNGLike = None,
    source: str = "cohort",
) -> SubtypesFit:
    """Fit a model of ``model_type`` on every patient and describe it.

    ``mdata`` is annotated in place: for subtype models (``chaudhary``,
    ``deepprog``, ``chaudhary_pca``) ``obs["subtype"]``, ``obs["subtype_risk"]``,
    ``obs["subtype_omics"]`` and ``obsm["X_autoencoder"]`` (``X_pca``);
    for the other models ``obs["risk"]``, ``obs["risk_omics"]`` (and
    ``obsm["X_cox_autoencoder"]`` for the Cox autoencoder).

    Parameters
    ----------
    mdata
        Cohort with overall survival (``os_days``, ``os_event``).
    model_type
        A key of :data:`~omicsdl.subtypes.MODEL_TYPES`.
    params
        Options of the subtype pipeline (:class:`~omicsdl.subtypes.SurvivalSubtypes`
        keyword arguments; ``omics`` applies to every model).
    n_threads
        Not used for the numbers (every fit is single-threaded, for identical results
        whatever the thread count); accepted for a common signature.
    device
        Where the torch models run.
    rng
        Seed or generator (``None``: ``settings.seed``).
    source
        Name of the cohort in error messages.

    Returns
    -------
    The fitted model (``.model``, saved with its own ``save``), its per-patient
    table, its top risk features and, for subtype models, the characterisation.

    Raises
    ------
    InputError
        As the model's ``fit``.
    """
    from omicsdl._core._random import as_generator, derive_seed
    from omicsdl.subtypes._characterise import characterise_subtypes
    from omicsdl.subtypes._model_types import MODEL_TYPES, make_model
    from omicsdl.subtypes._parallel import single_threaded_numerics

    del n_threads  # every fit is single-threaded (see the docstring)
    params = dict(params or {})
    omics = params.pop("omics", None)
    gen = as_generator(rng)
    model = make_model(
        model_type, pipeline=params, omics=omics, n_threads=1, device=device, rng=derive_seed(gen)
    )
    with single_threaded_numerics():
        model.fit(mdata, source=source)
        left_out = list(getattr(model, "left_out_", []))
        if left_out:
            logger.warning(
                "%d patient(s) lacked an omic and were left out of fitting; they are assigned from the "
                "omics they have: %s",
                len(left_out),
                ", ".join(left_out[:10]),
            )
        subtypes = MODEL_TYPES[model_type].subtypes and hasattr(model, "labels_")
        top = model.attributions(mdata) if MODEL_TYPES[model_type].family != "clinical" else None
        if subtypes:
            model.annotate(mdata)
            cols = ["subtype", "subtype_risk", "subtype_omics", "os_days", "os_event"]
        else:
            pred = model.predict(mdata)
            mdata.obs["risk"] = pred["risk"].to_numpy()
            mdata.obs["risk_omics"] = pred["omics_used"].to_numpy()
            if hasattr(model, "embed"):
                mdata.obsm[f"X_{model_type}"] = model.embed(mdata)
            cols = ["risk", "risk_omics", "os_days", "os_event"]
    table = mdata.obs[[c for c in cols if c in mdata.obs.columns]].copy()
    table["left_out_of_fitting"] = table.index.isin(left_out)
    char = None
    k = sizes = None
    if subtypes:
        fitted_on = mdata.obs_names.difference(pd.Index(left_out), sort=False)
        labels = model.labels_.reindex(fitted_on)
        sizes = {str(s): int(v) for s, v in labels.value_counts().sort_index().items()}
        char = characterise_subtypes(mdata[fitted_on], labels.to_numpy(), rng=derive_seed(gen))
        k = int(model.k_)
        logger.info("subtypes fit: k = %d; sizes %s", k, sizes)
    return SubtypesFit(
        model_type=model_type,
        k=k,
        n_patients=int(getattr(model, "n_patients_", mdata.n_obs)),
        n_events=int(getattr(model, "n_events_", int(np.asarray(mdata.obs["os_event"], dtype=bool).sum()))),
        subtype_sizes=sizes or {},
        subtypes=table,
        characterisation=char,
        hazard_ratios=getattr(model, "hazard_ratios_", None),
        k_selection=getattr(model, "k_selection_", None),
        top_features=top,
        n_left_out=len(left_out),
        left_out=tuple(left_out),
        model=model,
    )


#: the columns :func:`fit_subtypes` writes to ``mdata.obs``, copied into every modality by :func:`annotated_cohort`
_ANNOTATION_COLUMNS = ("subtype", "subtype_risk", "subtype_omics", "risk", "risk_omics")


def annotated_cohort(mdata: MuData) -> MuData:
    """``mdata`` ready for scanpy/muon: the fit's annotations in each modality, values in layers.

    After :func:`fit_subtypes`, the cohort holds ``obs["subtype"]`` (categorical),
    ``obs["subtype_risk"]``, ``obs["subtype_omics"]`` (or ``obs["risk"]`` for risk
    models) and ``obsm["X_autoencoder"]``. This copies those ``obs`` columns
    into every modality's ``.obs`` (scanpy works on one modality:
    ``sc.tl.rank_genes_groups(mdata["rna"], "subtype", layer="log2p1")``), keeps
    each modality's values in ``layers["raw"]`` and, for count-like omics
    (``rna``, ``mirna``), ``log2(x + 1)`` in ``layers["log2p1"]`` (the scale
    scanpy's fold changes assume). ``X`` keeps the cohort's values. Modifies
    ``mdata`` in place and returns it.

    Parameters
    ----------
    mdata
        A cohort annotated by :func:`fit_subtypes`.

    Returns
    -------
    ``mdata``.
    """
    from omicsdl.pp import DEFAULT_LOG_TRANSFORM

    for name, adata in mdata.mod.items():
        X = adata.X.toarray() if hasattr(adata.X, "toarray") else np.asarray(adata.X)
        adata.layers["raw"] = X.copy()
        if DEFAULT_LOG_TRANSFORM.get(name, False):
            adata.layers["log2p1"] = np.log2(np.clip(X, 0, None) + 1.0).astype(np.float32)
        for column in _ANNOTATION_COLUMNS:
            if column in mdata.obs.columns:
                adata.obs[column] = mdata.obs[column].reindex(adata.obs_names).to_numpy()
                if isinstance(mdata.obs[column].dtype, pd.CategoricalDtype):
                    adata.obs[column] = pd.Categorical(
                        adata.obs[column], categories=mdata.obs[column].cat.categories
                    )
    mdata.uns["omicsdl_annotation"] = {
        "layers": "raw: the cohort's values; log2p1: log2(x + 1) of count-like omics",
        "obs": "subtype / risk columns from `omicsdl subtypes fit`, also in every modality's obs",
    }
    return mdata
