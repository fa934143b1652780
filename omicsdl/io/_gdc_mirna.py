"""GDC miRNA quantification files (BCGSC miRNA Profiling) → AnnData."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_metadata import PathsLike, gdc_obs, locate_gdc_files
from omicsdl.io._gdc_stack import TableLayout, check_per_million, exact_float32, stack_tables

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from anndata import AnnData

__all__ = ["read_gdc_mirna"]

logger = logging.getLogger(__name__)

MIRNA_SUFFIXES = (".mirnas.quantification.txt", ".mirnas.quantification.txt.gz")
MIRNA_HEADER = ("miRNA_ID", "read_count", "reads_per_million_miRNA_mapped", "cross-mapped")
#: tolerated relative deviation of a file's RPM column sum from one million
RPM_TOLERANCE = 0.01
#: a miRBase precursor id (``hsa-mir-122``, ``hsa-let-7a-1``, ``hsa-mir-1-2``)
MIRNA_ID = r"[A-Za-z]{3}-(?:mir|let|miR|lin)-[\w.-]+"


def _split_header(data: bytes, path: Path) -> tuple[bytes, int]:
    head, _, body = data.partition(b"\n")
    fields = tuple(head.decode("utf-8", "replace").strip().split("\t"))
    if fields[:3] != MIRNA_HEADER[:3]:
        msg = f"unexpected header {'|'.join(fields)!r}"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix=f"expected a GDC miRNA quantification file with columns {' '.join(MIRNA_HEADER)}; "
            "isoform files (*.isoforms.quantification.txt) are not read here",
        )
    return body, 2


def _layout(dtype: str) -> TableLayout:
    return TableLayout(
        what="GDC miRNA file",
        n_fields=len(MIRNA_HEADER),
        split_header=_split_header,
        id_column=0,
        value_columns={"counts": 1, "rpm": 2},
        id_pattern=MIRNA_ID,
        dtypes={"rpm": dtype},
    )


def read_gdc_mirna(
    files: PathsLike,
    *,
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
    on_unknown: Literal["error", "skip"] = "error",
    dtype: Literal["float32", "float64"] = "float32",
) -> AnnData:
    """Read GDC "BCGSC miRNA Profiling" files into one AnnData (aliquots × miRNAs).

    Each ``*.mirbase21.mirnas.quantification.txt`` holds one aliquot: columns
    ``miRNA_ID read_count reads_per_million_miRNA_mapped cross-mapped`` for the
    1,881 miRBase v21 precursors. The barcode is not in the file; it comes from
    the GDC metadata of the download.

    Parameters
    ----------
    files
        The download folder (GDC client layout ``<file_id>/<file_name>``,
        searched recursively; ``annotations.txt`` files are not data), one
        file, or a list of files. ``.gz`` files are read too.
    metadata
        Cart metadata JSON (``metadata.*.json``) or GDC sample sheet mapping
        files to aliquot barcodes (see :func:`omicsdl.io.read_gdc_metadata`).
    on_unknown
        What to do with a file the metadata does not know: ``"error"`` or ``"skip"``.
    dtype
        Of ``X`` (RPM): ``float32`` (default; rounding below 1e-7 relative, far
        below the measurement's precision) or ``float64``. Counts are kept exactly
        (float32 while every count is below 2^24).

    Returns
    -------
    AnnData with one row per aliquot (``obs_names`` = aliquot barcodes),
    ``X`` = reads per million miRNA mapped, ``layers["counts"]`` = read counts,
    ``obs`` = ``patient``, ``sample_type_code``, ``file_id``, ``file_name``,
    ``project``, ``gdc_annotations``; ``uns["omicsdl"]["units"]``.
    Reduce to one primary tumour per patient with
    :func:`omicsdl.io.select_samples`.

    Raises
    ------
    InputError
        Unknown file, duplicate aliquot, wrong header, non-numeric rows,
        truncated gzip, different miRNA lists, or an RPM column that does not
        sum to one million (wrong units, e.g. log-transformed).

    Examples
    --------
    >>> adata = od.io.read_gdc_mirna("gdc_mirna/", metadata="metadata.LIHC.json")  # doctest: +SKIP
    """
    import anndata as ad

    located = locate_gdc_files(files, metadata, suffixes=MIRNA_SUFFIXES, on_unknown=on_unknown)
    obs = gdc_obs(located)
    stacked = stack_tables(list(located["path"]), _layout(dtype))
    rpm = stacked.values["rpm"]
    counts = stacked.values["counts"]
    check_per_million(
        rpm,
        counts,
        list(located["path"]),
        column="reads_per_million_miRNA_mapped",
        negative_fix="GDC miRNA files hold raw counts and RPM; this file was transformed (log?)",
        sum_fix="the column is not in reads per million (transformed or edited file); use the GDC original",
        tolerance=RPM_TOLERANCE,
    )
    adata = ad.AnnData(
        X=rpm,
        obs=obs,
        var=pd.DataFrame(index=pd.Index(stacked.ids.astype(str), name="mirna_id")),
        layers={"counts": exact_float32(counts)},
    )
    adata.uns["omicsdl"] = {
        "units": "reads per million miRNA mapped (GDC BCGSC miRNA Profiling)",
        "source": "GDC miRNA Expression Quantification",
    }
    logger.info("read %d miRNA files (%d miRNAs)", adata.n_obs, adata.n_vars)
    return adata
