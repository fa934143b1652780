"""Expression input for G2Vec runs: AnnData, a cohort modality, or a patients × genes table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os

    from anndata import AnnData

__all__ = ["read_expression"]


def read_expression(
    path: str | os.PathLike[str],
    *,
    modality: str = "rna",
    duration_key: str = "os_days",
    event_key: str = "os_event",
    log2: bool = False,
) -> AnnData:
    """Read patients × genes expression with survival for G2Vec.

    Parameters
    ----------
    path
        ``.h5ad``; ``.h5mu`` (cohort: ``modality`` is taken and the cohort's
        ``.obs`` joined); or a ``.csv``/``.tsv`` table (optionally gzipped)
        with one row per patient, the patient id in the first column, the
        survival columns and one numeric column per gene, read with
        :func:`omicsdl.io.read_expression_csv`. Other non-numeric columns are
        ignored.
    modality
        Modality of a ``.h5mu`` cohort.
    duration_key, event_key
        Survival columns (copied to ``obs``; required for tables).
    log2
        Apply ``log2(x + 1)`` (for counts such as RSEM).

    Returns
    -------
    AnnData with the expression in ``.X`` and survival in ``.obs``.
    """
    import anndata as ad

    path = Path(path)
    if not path.is_file():
        msg = "expression file not found"
        raise InputError(msg, source=path, fix="check the path")
    name = path.name.lower()
    if name.endswith(".h5ad"):
        adata = ad.read_h5ad(path)
    elif name.endswith(".h5mu"):
        import mudata as md

        mdata = md.read_h5mu(path)
        if modality not in mdata.mod:
            msg = f"cohort has no modality {modality!r}"
            raise InputError(msg, source=path, fix=f"choose one of {list(mdata.mod)}")
        adata = mdata[modality].copy()
        adata.obs = adata.obs.join(mdata.obs.drop(columns=adata.obs.columns, errors="ignore"))
    elif any(name.endswith(s) for s in (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")):
        from omicsdl.io import read_expression_csv

        adata = read_expression_csv(path, obs_columns=[duration_key, event_key])
        for key in (duration_key, event_key):
            if key not in adata.obs.columns:
                msg = f"survival column {key!r} is missing"
                raise InputError(
                    msg,
                    source=path,
                    fix="name the columns with --duration-key/--event-key",
                )
        if adata.n_vars == 0:
            msg = "no numeric gene column"
            raise InputError(msg, source=path, fix="one row per patient, one column per gene")
        adata.obs = adata.obs[[duration_key, event_key]].apply(pd.to_numeric, errors="coerce")
        adata.X = np.asarray(adata.X, dtype=np.float32)
    else:
        msg = "unknown expression file type"
        raise InputError(msg, source=path, fix="use .h5ad, .h5mu, .csv or .tsv")
    if log2:
        adata.X = np.log2(np.asarray(adata.X, dtype=np.float32) + 1.0)
    return adata
