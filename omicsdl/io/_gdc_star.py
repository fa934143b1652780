"""GDC "STAR - Counts" files (``*.rna_seq.augmented_star_gene_counts.tsv``) → AnnData.

File layout (GDC data release 32 onwards)::

    # gene-model: GENCODE v36
    gene_id  gene_name  gene_type  unstranded  stranded_first  stranded_second
        tpm_unstranded  fpkm_unstranded  fpkm_uq_unstranded        (one line, tab-separated)
    N_unmapped        ...   (four N_* summary rows: no gene, skipped)
    N_multimapping    ...
    N_noFeature       ...
    N_ambiguous       ...
    ENSG00000000003.15  TSPAN6  protein_coding  2534  1272  1262  34.5  11.2  10.9
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_metadata import PathsLike, gdc_obs, locate_gdc_files
from omicsdl.io._gdc_stack import TableLayout, check_per_million, exact_float32, read_file_bytes, stack_tables

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from anndata import AnnData

__all__ = ["read_gdc_star_counts"]

logger = logging.getLogger(__name__)

STAR_SUFFIXES = (".augmented_star_gene_counts.tsv", ".augmented_star_gene_counts.tsv.gz")
StarValue = Literal[
    "unstranded",
    "stranded_first",
    "stranded_second",
    "tpm_unstranded",
    "fpkm_unstranded",
    "fpkm_uq_unstranded",
]
#: the header of a STAR - Counts file: three id columns, then every value column
STAR_HEADER = ("gene_id", "gene_name", "gene_type", *get_args(StarValue))
_UNITS = {
    "unstranded": "STAR read counts (unstranded)",
    "stranded_first": "STAR read counts (first strand)",
    "stranded_second": "STAR read counts (second strand)",
    "tpm_unstranded": "TPM (GDC STAR - Counts)",
    "fpkm_unstranded": "FPKM (GDC STAR - Counts)",
    "fpkm_uq_unstranded": "FPKM-UQ (GDC STAR - Counts)",
}


def _split_header(data: bytes, path: Path) -> tuple[bytes, int]:
    line_no = 0
    rest = data
    while True:
        line, sep, rest = rest.partition(b"\n")
        line_no += 1
        if not line.startswith(b"#"):
            break
        if not sep:
            break
    fields = tuple(line.decode("utf-8", "replace").strip().split("\t"))
    if fields != STAR_HEADER:
        msg = f"unexpected header {'|'.join(fields)!r}"
        raise InputError(
            msg,
            source=path,
            line=line_no,
            fix="expected a GDC STAR - Counts file with columns " + " ".join(STAR_HEADER),
        )
    first = line_no + 1
    while rest.startswith(b"N_"):  # the four STAR summary rows
        rest = rest.partition(b"\n")[2]
        first += 1
    return rest, first


#: an Ensembl gene id with its version, e.g. ``ENSG00000000003.15`` or ``ENSG00000002586.20_PAR_Y``
GENE_ID = r"ENS[A-Z]*G\d+(?:\.\d+)?(?:_PAR_Y)?"


def _strip_version(gene_id: str) -> str:
    """Drop the version: ``ENSG00000002586.20_PAR_Y`` → ``ENSG00000002586_PAR_Y``."""
    base, _, rest = gene_id.partition(".")
    suffix = rest.partition("_")[2]
    return f"{base}_{suffix}" if suffix else base


def read_gdc_star_counts(
    files: PathsLike,
    *,
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
    value: StarValue = "tpm_unstranded",
    var_names: Literal["gene_name", "gene_id"] = "gene_name",
    duplicate_symbols: Literal["sum", "first", "keep_ids"] = "sum",
    on_unknown: Literal["error", "skip"] = "error",
    dtype: Literal["float32", "float64"] = "float32",
) -> AnnData:
    """Read GDC "STAR - Counts" files into one AnnData (aliquots × genes).

    Parameters
    ----------
    files
        Download folder (GDC client layout, searched recursively), one file or a list.
    metadata
        Cart metadata JSON or sample sheet mapping files to aliquot barcodes.
    value
        Column put in ``X``. Raw unstranded counts always go to ``layers["counts"]``.
    var_names
        ``"gene_name"`` (HGNC symbols) or ``"gene_id"`` (Ensembl ids without
        their version: ``ENSG00000000003``; PAR_Y copies keep a ``_PAR_Y`` suffix).
    duplicate_symbols
        Symbols shared by several Ensembl genes (e.g. PAR genes, some
        lncRNAs): ``"sum"`` adds their values (right for counts and TPM);
        ``"first"`` keeps the first gene in file order; ``"keep_ids"`` keeps
        all, naming the repeats ``SYMBOL|ENSG…``. ``var["gene_ids"]`` lists
        the Ensembl ids behind each row.
    on_unknown
        A file the metadata does not know: ``"error"`` or ``"skip"``.
    dtype
        Of ``X``: ``float32`` (default; rounding below 1e-7 relative, far below
        the precision the file prints) or ``float64``. Counts are kept exactly
        (float32 while every count is below 2^24).

    Returns
    -------
    AnnData (``obs_names`` = aliquot barcodes, ``obs`` as
    :func:`omicsdl.io.read_gdc_mirna`), ``var`` with ``gene_ids`` and
    ``gene_type``; ``uns["omicsdl"]["units"]``, ``uns["omicsdl"]["gene_model"]``.

    Raises
    ------
    InputError
        Unknown files, duplicate aliquots, wrong header, non-numeric cells,
        truncated gzip, different gene lists, or TPM columns not summing to
        one million (wrong units).
    """
    import anndata as ad

    if value not in _UNITS:
        msg = f"value must be one of {', '.join(_UNITS)}, got {value!r}"
        raise InputError(msg)
    located = locate_gdc_files(files, metadata, suffixes=STAR_SUFFIXES, on_unknown=on_unknown)
    obs = gdc_obs(located)
    paths = list(located["path"])
    columns = {"counts": STAR_HEADER.index("unstranded"), "value": STAR_HEADER.index(value)}
    if value != "tpm_unstranded":
        columns["tpm"] = STAR_HEADER.index("tpm_unstranded")
    layout = TableLayout(
        what="GDC STAR - Counts file",
        n_fields=len(STAR_HEADER),
        split_header=_split_header,
        id_column=0,
        value_columns=columns,
        extra_columns={"gene_name": 1, "gene_type": 2},
        id_pattern=GENE_ID,
        dtypes={"value": dtype},
    )
    stacked = stack_tables(paths, layout)
    tpm = stacked.values.get("tpm", stacked.values["value"])
    check_per_million(
        tpm,
        stacked.values["counts"],
        paths,
        column="tpm_unstranded",
        negative_fix="use the GDC original; this file was transformed (log?)",
        sum_fix="the file was transformed or edited; use the GDC original",
    )
    gene_ids = pd.Index(stacked.ids.astype(str))
    genes = pd.DataFrame(
        {
            "gene_ids": [_strip_version(g) for g in gene_ids],
            "gene_name": stacked.extra["gene_name"].to_numpy(),
            "gene_type": stacked.extra["gene_type"].to_numpy(),
        }
    )
    x, counts = stacked.values["value"], stacked.values["counts"]
    if var_names == "gene_id":
        names = genes["gene_ids"].tolist()
        var = genes.set_index(pd.Index(names, name="gene_id"))
    else:
        x, counts, var = _by_symbol(x, counts, genes, duplicate_symbols)
    adata = ad.AnnData(X=x, obs=obs, var=var, layers={"counts": exact_float32(counts)})
    adata.uns["omicsdl"] = {
        "units": _UNITS[value],
        "gene_model": _gene_model(paths[0]),
        "source": "GDC Gene Expression Quantification (STAR - Counts)",
    }
    logger.info("read %d STAR - Counts files (%d genes, X = %s)", adata.n_obs, adata.n_vars, value)
    return adata


def _gene_model(path: Path) -> str:
    first = (
        read_file_bytes(path, what="GDC STAR - Counts file").partition(b"\n")[0].decode("utf-8", "replace")
    )
    return first.partition("gene-model:")[2].strip() if "gene-model:" in first else ""


def _by_symbol(
    x: np.ndarray, counts: np.ndarray, genes: pd.DataFrame, how: str
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    symbols = genes["gene_name"].fillna("").to_numpy(dtype=object)
    empty = symbols == ""
    symbols[empty] = genes["gene_ids"].to_numpy(dtype=object)[empty]
    index = pd.Index(symbols)
    if not index.has_duplicates:
        var = genes.set_index(pd.Index(symbols, name="gene_name")).drop(columns="gene_name")
        return x, counts, var
    n_dup = int(index.duplicated(keep=False).sum())
    logger.info("%d Ensembl genes share a symbol with another; duplicate_symbols=%r", n_dup, how)
    if how == "keep_ids":
        dup = index.duplicated(keep="first")
        names = [f"{s}|{g}" if d else s for s, g, d in zip(symbols, genes["gene_ids"], dup, strict=True)]
        var = genes.set_index(pd.Index(names, name="gene_name")).drop(columns="gene_name")
        return x, counts, var
    if how not in ("sum", "first"):
        msg = f"duplicate_symbols must be 'sum', 'first' or 'keep_ids', got {how!r}"
        raise InputError(msg)
    codes, uniques = pd.factorize(index)
    var = pd.DataFrame(
        {
            "gene_ids": genes.groupby(codes)["gene_ids"].agg(";".join).to_numpy(),
            "gene_type": genes.groupby(codes)["gene_type"].first().to_numpy(),
        },
        index=pd.Index(uniques.astype(str), name="gene_name"),
    )
    first = np.unique(codes, return_index=True)[1]
    x_out, counts_out = x[:, first], counts[:, first]
    if how == "sum":  # add the later copies of each symbol onto its first column (few columns)
        for position in np.flatnonzero(index.duplicated(keep="first")):
            x_out[:, codes[position]] += x[:, position]
            counts_out[:, codes[position]] += counts[:, position]
    return x_out, counts_out, var
