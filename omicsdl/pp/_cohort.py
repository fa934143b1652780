"""Preprocess every modality of a cohort with one fitted :class:`Preprocessor` each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl.pp._preprocessor import Preprocessor

if TYPE_CHECKING:
    from anndata import AnnData
    from mudata import MuData

__all__ = ["DEFAULT_LOG_TRANSFORM", "preprocess_cohort"]

#: which known modalities are count-like (log2(x + 1) by default)
DEFAULT_LOG_TRANSFORM = {"rna": True, "mirna": True, "methylation": False}


def preprocess_cohort(
    mdata: MuData, *, params: dict[str, dict[str, Any]] | None = None, **shared: Any
) -> tuple[MuData, dict[str, Preprocessor]]:
    """Fit and apply one :class:`Preprocessor` per modality; keep the values before it in layers.

    Each modality of the result holds the preprocessed (imputed, scaled) values
    in ``X`` and, for the same patients and features, the values it was given
    in ``layers["raw"]`` (missing stays ``NaN``); count-like omics (those
    log-transformed, e.g. ``rna``, ``mirna``) also get ``layers["log2p1"]`` =
    ``log2(raw + 1)``, the scale scanpy's ``rank_genes_groups`` expects
    (``layer="log2p1"``) for finite log fold changes.

    Parameters
    ----------
    mdata
        The cohort.
    params
        Per-modality keyword arguments for :class:`Preprocessor`, overriding
        ``shared`` and the default ``log_transform`` (:data:`DEFAULT_LOG_TRANSFORM`).
    **shared
        Keyword arguments for every modality's :class:`Preprocessor`.

    Returns
    -------
    The preprocessed cohort (same ``.obs``; ``layers["raw"]``, ``layers["log2p1"]``
    as above) and the fitted preprocessors by modality.

    Examples
    --------
    >>> import omicsdl as od
    >>> processed, fitted = od.pp.preprocess_cohort(od.datasets.tcga_lihc_demo())
    >>> sorted(fitted), processed.n_obs
    (['methylation', 'mirna', 'rna'], 360)
    >>> fitted["rna"].log_transform, fitted["methylation"].log_transform
    (True, False)
    >>> sorted(processed["rna"].layers), sorted(processed["methylation"].layers)
    (['log2p1', 'raw'], ['raw'])
    """
    from omicsdl.io import new_mudata

    params = params or {}
    fitted: dict[str, Preprocessor] = {}
    mods = {}
    for name, adata in mdata.mod.items():
        kwargs = {"log_transform": DEFAULT_LOG_TRANSFORM.get(name, False), **shared, **params.get(name, {})}
        pp = Preprocessor(**kwargs)
        mods[name] = pp.fit_transform(adata)
        _keep_input_values(mods[name], adata, log2p1=bool(pp.log_transform))
        mods[name].uns["omicsdl"] = dict(adata.uns.get("omicsdl", {}))
        fitted[name] = pp
    out = new_mudata(mods)
    for column in mdata.obs.columns:
        if not column.startswith(tuple(f"{m}:" for m in mdata.mod)):
            out.obs[column] = mdata.obs.loc[out.obs_names, column].array
    out.uns["omicsdl"] = dict(mdata.uns.get("omicsdl", {}))
    return out, fitted


def _keep_input_values(out: AnnData, adata: AnnData, *, log2p1: bool) -> None:
    """``out.layers["raw"]``: ``adata``'s values for ``out``'s patients and features (and their log2(x + 1))."""
    from omicsdl.io import match_features

    rows = adata.obs_names.get_indexer(out.obs_names)
    cols = match_features(out.var_names, adata)  # every kept feature is in its training data
    X = adata.X[rows][:, cols]
    raw = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=np.float32)
    out.layers["raw"] = raw
    if log2p1:
        out.layers["log2p1"] = np.log2(np.clip(raw, 0, None) + 1.0, dtype=np.float32)
