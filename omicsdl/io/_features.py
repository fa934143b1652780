"""Feature names of a cohort: ``"<modality>:<symbol>"``, unique across modalities.

``rna`` and ``methylation`` are both gene-level, so a gene symbol names a
feature in both. A cohort's ``var_names`` therefore carry the modality as a
prefix, joined by :data:`FEATURE_SEP` (``"rna:ACAT1"``, ``"methylation:ACAT1"``,
``"mirna:hsa-mir-21"``) — the separator MuData itself uses for modality-scoped
names (``"rna:subtype"`` columns, ``"rna:X_pca"`` in muon) — so that
``mdata[:, "rna:ACAT1"]`` means one feature and MuData has nothing to warn
about. The plain symbol stays in ``.var["symbol"]`` and the modality in
``.var["modality"]``: everything that names genes for people or for other
resources (networks, gene sets, the blood panel) uses the symbol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    from anndata import AnnData

__all__ = [
    "FEATURE_SEP",
    "feature_symbols",
    "index_by_symbol",
    "match_features",
    "prefix_features",
    "unprefixed",
]

#: joins a modality and a feature symbol in a cohort's ``var_names``
FEATURE_SEP = ":"


def prefix_features(adata: AnnData, modality: str) -> AnnData:
    """Name ``adata``'s features ``"<modality>:<symbol>"``; keep ``var["symbol"]``, ``var["modality"]``.

    Idempotent: names that already carry the prefix are kept, and an existing
    ``var["symbol"]`` is not overwritten.

    Parameters
    ----------
    adata
        One modality, patients × features; modified in place.
    modality
        The modality name (``"rna"``, ``"mirna"``, ``"methylation"``, …).

    Returns
    -------
    ``adata``.

    Examples
    --------
    >>> import anndata as ad, numpy as np
    >>> a = prefix_features(ad.AnnData(np.zeros((2, 2)), var={"x": [0, 1]}), "rna")
    >>> a.var_names.tolist(), a.var["symbol"].tolist()
    (['rna:0', 'rna:1'], ['0', '1'])
    """
    head = f"{modality}{FEATURE_SEP}"
    names = pd.Index(adata.var_names.astype(str))
    if "symbol" not in adata.var.columns:
        adata.var["symbol"] = [n[len(head) :] if n.startswith(head) else n for n in names]
    adata.var["modality"] = modality
    if not all(n.startswith(head) for n in names):
        adata.var_names = pd.Index([n if n.startswith(head) else head + n for n in names])
    return adata


def feature_symbols(adata: AnnData) -> pd.Index:
    """The plain feature symbols of one modality: ``var["symbol"]``, else ``var_names``.

    Parameters
    ----------
    adata
        One modality of a cohort (or any AnnData).

    Returns
    -------
    One symbol per feature, in ``var_names`` order (``"ACAT1"`` for ``"rna:ACAT1"``).
    """
    if "symbol" in adata.var.columns:
        return pd.Index(adata.var["symbol"].astype(str).to_numpy())
    return pd.Index(adata.var_names.astype(str))


def index_by_symbol(adata: AnnData) -> AnnData:
    """A copy of one modality whose ``var_names`` are the plain symbols (for networks, gene sets).

    Parameters
    ----------
    adata
        One modality of a cohort.

    Returns
    -------
    A new AnnData; ``var["feature"]`` keeps the cohort's prefixed name when it differs.
    """
    out = adata.copy()
    symbols = feature_symbols(adata)
    if not symbols.equals(pd.Index(adata.var_names.astype(str))):
        out.var["feature"] = adata.var_names.astype(str).to_numpy()
        out.var_names = symbols
    return out


def unprefixed(name: str, modality: str) -> str:
    """``name`` without its ``"<modality>:"`` prefix (``unprefixed("rna:ACAT1", "rna") == "ACAT1"``).

    Parameters
    ----------
    name
        A feature name, prefixed or not.
    modality
        The modality whose prefix is removed.
    """
    return _strip(str(name), [modality])


def _strip(name: str, modalities: Sequence[str]) -> str:
    for modality in modalities:
        head = f"{modality}{FEATURE_SEP}"
        if name.startswith(head):
            return name[len(head) :]
    return name


def match_features(names: Sequence[str], adata: AnnData) -> np.ndarray:
    """Position in ``adata`` of each of ``names`` (-1 if absent), by name, then by symbol.

    A model fitted on prefixed names (``"rna:ACAT1"``) finds ``ACAT1`` in a
    plain table, and one written by an older omicsdl (``"ACAT1"``) finds
    ``"rna:ACAT1"`` in a cohort.

    Parameters
    ----------
    names
        Feature names, as a fitted model recorded them.
    adata
        The data to find them in.

    Returns
    -------
    Integer positions into ``adata.var_names``.
    """
    from omicsdl.io._cohort import KNOWN_MODALITIES

    wanted = pd.Index([str(n) for n in names])
    positions = pd.Index(adata.var_names.astype(str)).get_indexer(wanted)
    missing = positions < 0
    if missing.any():
        modalities = list(KNOWN_MODALITIES)
        if "modality" in adata.var.columns:
            modalities += [str(m) for m in pd.unique(adata.var["modality"].astype(str))]
        symbols = feature_symbols(adata)
        if symbols.is_unique:
            plain = pd.Index([_strip(n, modalities) for n in wanted[missing]])
            positions[missing] = symbols.get_indexer(plain)
    return positions
