"""Preprocess every modality of a cohort with one fitted :class:`Preprocessor` each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omicsdl.pp._preprocessor import Preprocessor

if TYPE_CHECKING:
    from mudata import MuData

__all__ = ["DEFAULT_LOG_TRANSFORM", "preprocess_cohort"]

#: which known modalities are count-like (log2(x + 1) by default)
DEFAULT_LOG_TRANSFORM = {"rna": True, "mirna": True, "methylation": False}


def preprocess_cohort(
    mdata: MuData, *, params: dict[str, dict[str, Any]] | None = None, **shared: Any
) -> tuple[MuData, dict[str, Preprocessor]]:
    """Fit and apply one :class:`Preprocessor` per modality.

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
    The preprocessed cohort (same ``.obs``) and the fitted preprocessors by modality.

    Examples
    --------
    >>> import omicsdl as od
    >>> processed, fitted = od.pp.preprocess_cohort(od.datasets.tcga_lihc_demo())
    >>> sorted(fitted), processed.n_obs
    (['methylation', 'mirna', 'rna'], 360)
    >>> fitted["rna"].log_transform, fitted["methylation"].log_transform
    (True, False)
    """
    from omicsdl.io import new_mudata

    params = params or {}
    fitted: dict[str, Preprocessor] = {}
    mods = {}
    for name, adata in mdata.mod.items():
        kwargs = {"log_transform": DEFAULT_LOG_TRANSFORM.get(name, False), **shared, **params.get(name, {})}
        pp = Preprocessor(**kwargs)
        mods[name] = pp.fit_transform(adata)
        mods[name].uns["omicsdl"] = dict(adata.uns.get("omicsdl", {}))
        fitted[name] = pp
    out = new_mudata(mods)
    for column in mdata.obs.columns:
        if not column.startswith(tuple(f"{m}:" for m in mdata.mod)):
            out.obs[column] = mdata.obs.loc[out.obs_names, column].array
    out.uns["omicsdl"] = dict(mdata.uns.get("omicsdl", {}))
    return out, fitted
