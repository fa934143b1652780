"""GDC SeSAMe methylation beta values (``*.methylation_array.sesame.level3betas.txt``) → AnnData.

Files are headerless ``probe_id<TAB>beta`` with ``NA`` for masked probes.
With a probe → gene table, probes are averaged per gene (NaN-aware mean of
the probes the table maps to each gene, e.g. the promoter probes: |distance
to TSS| ≤ 1,500 bp in the Zhou lab InfiniumAnnotation, see
``data_manifests/infinium_hm450_probe_annotation.yaml``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_metadata import PathsLike, gdc_obs, locate_gdc_files
from omicsdl.io._gdc_stack import TableLayout, iter_stacked
from omicsdl.io._text import text_stream

if TYPE_CHECKING:
    import os

    from anndata import AnnData

__all__ = ["aggregate_probes", "read_gdc_methylation", "read_probe_map"]

logger = logging.getLogger(__name__)

METHYLATION_SUFFIXES = (".level3betas.txt", ".level3betas.txt.gz")
#: files per batch when averaging per gene (32 × 486k probes ≈ 125 MB of betas)
BATCH_FILES = 32
#: an Infinium probe id: cg/ch/rs/nv probes of the 450k and EPIC arrays
PROBE_ID = r"(?:cg|ch|rs|nv)[\w.-]*"
_PROBE = re.compile(PROBE_ID)


def _split_header(data: bytes, path: Path) -> tuple[bytes, int]:
    first = data.partition(b"\n")[0].decode("utf-8", "replace").strip().split("\t")
    if len(first) != 2 or not _PROBE.fullmatch(first[0]):
        msg = f"unexpected first line {'|'.join(first)!r}"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix="expected a headerless GDC SeSAMe file: probe_id<TAB>beta (e.g. cg00000029\t0.53); "
            "legacy level-3 files with a 'Composite Element REF' header are not read here",
        )
    return data, 1


def read_probe_map(probe_map: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Read a probe → gene table: two columns ``probe_id``, ``gene`` (one row per pair).

    A file may be tab- or comma-separated, with a header; the first column is
    the probe, the second the gene; ``;``-separated gene lists are split into
    one row per gene; empty genes are dropped.
    """
    if isinstance(probe_map, pd.DataFrame):
        table = probe_map.iloc[:, :2].astype(str)
        source = "probe map"
    else:
        path = Path(probe_map)
        if not path.is_file():
            msg = "probe map not found"
            raise InputError(msg, source=path, fix="see data_manifests/infinium_hm450_probe_annotation.yaml")
        sep = "," if path.name.lower().removesuffix(".gz").endswith(".csv") else "\t"
        try:
            table = pd.read_csv(
                text_stream(path, what="probe map", max_line_chars=1 << 16),
                sep=sep,
                dtype=str,
                keep_default_na=False,
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            msg = f"not a probe map table ({err})"
            raise InputError(msg, source=path, fix="pass a two-column table: probe_id, gene") from err
        if table.shape[1] < 2:
            msg = "a probe map needs two columns: probe_id, gene"
            raise InputError(msg, source=path, line=1, fix="pass a two-column table")
        table = table.iloc[:, :2]
        source = str(path)
    table.columns = ["probe_id", "gene"]
    table = table.assign(gene=table["gene"].str.split(";")).explode("gene")
    table["gene"] = table["gene"].str.strip()
    table = table[(table["gene"] != "") & table["gene"].notna() & (table["gene"] != "nan")]
    if table.empty:
        msg = "the probe map maps no probe to a gene"
        raise InputError(msg, source=source, fix="check the table's columns (probe_id, gene)")
    return table.drop_duplicates().reset_index(drop=True)


def aggregate_probes(adata: AnnData, probe_map: str | os.PathLike[str] | pd.DataFrame) -> AnnData:
    """Mean beta per gene over the probes the map assigns to it (NaN-aware).

    Returns
    -------
    A new AnnData samples × genes; ``var["n_probes"]`` counts the mapped
    probes present in the data. Genes with no measured probe for a sample are NaN.
    """
    import anndata as ad

    table = read_probe_map(probe_map)
    assign = _assignment(pd.Index(adata.var_names), table)
    means = _gene_means(np.asarray(adata.X, dtype=float), assign)
    genes, n_probes = assign.genes, assign.n_probes
    var = pd.DataFrame({"n_probes": n_probes}, index=pd.Index(genes, name="gene"))
    out = ad.AnnData(X=means, obs=adata.obs.copy(), var=var)
    out.uns["omicsdl"] = dict(adata.uns.get("omicsdl", {}), units="gene-level mean beta value (SeSAMe)")
    logger.info("aggregated %d probes into %d genes", int(n_probes.sum()), len(genes))
    return out


@dataclass(frozen=True)
class _Assignment:
    """Which probes (columns of the data) average into which gene.

    ``columns`` lists the data columns gene by gene (a probe of several genes
    appears once per gene); ``starts`` is where each gene's run begins.
    """

    columns: np.ndarray
    starts: np.ndarray
    genes: pd.Index
    n_probes: np.ndarray


def _assignment(probes: pd.Index, table: pd.DataFrame) -> _Assignment:
    position = probes.get_indexer(table["probe_id"])
    table = table[position >= 0]
    position = position[position >= 0]
    if table.empty:
        msg = "no probe of the probe map is in the data"
        raise InputError(msg, item=str(probes[:3].tolist()), fix="use a map for this array (450k/EPIC)")
    codes, genes = pd.factorize(table["gene"])
    order = np.argsort(codes, kind="stable")
    n_probes = np.bincount(codes, minlength=len(genes))
    starts = np.concatenate(([0], np.cumsum(n_probes)[:-1]))
    return _Assignment(position[order], starts, pd.Index(genes), n_probes)


def _gene_means(values: np.ndarray, assign: _Assignment, *, block_rows: int = 16) -> np.ndarray:
    """NaN-aware mean per gene: samples × genes (NaN where no probe of the gene is measured).

    The probes of each gene are gathered next to each other and summed with
    ``np.add.reduceat``, a few rows at a time (memory: a few rows × mapped probes).
    """
    out = np.empty((len(values), len(assign.genes)), dtype=np.float64)
    for start in range(0, len(values), block_rows):
        block = np.asarray(values[start : start + block_rows])[:, assign.columns]  # a copy, in its dtype
        known = ~np.isnan(block)
        np.nan_to_num(block, copy=False, nan=0.0)
        sums = np.add.reduceat(block, assign.starts, axis=1, dtype=np.float64)
        counts = np.add.reduceat(known.view(np.uint8), assign.starts, axis=1, dtype=np.int32)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start : start + block_rows] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return out


def _check_betas(beta: np.ndarray, probes: np.ndarray, paths: list[Path]) -> None:
    """Refuse a value outside [0, 1] (M-values), naming the file and probe; row blocks keep memory low."""
    for start in range(0, len(beta), 16):
        block = beta[start : start + 16]
        bad = (block < 0) | (block > 1)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            msg = f"value {block[row, col]:g} for {probes[col]} is not a beta value in [0, 1] (M-values?)"
            raise InputError(
                msg, source=paths[start + row], fix="use SeSAMe beta values; beta = 2^M / (1 + 2^M)"
            )


def read_gdc_methylation(
    files: PathsLike,
    *,
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
    probe_map: str | os.PathLike[str] | pd.DataFrame | None = None,
    on_unknown: Literal["error", "skip"] = "error",
    dtype: Literal["float32", "float64"] = "float32",
) -> AnnData:
    """Read GDC SeSAMe beta-value files; optionally average probes per gene.

    Parameters
    ----------
    files
        Download folder (GDC client layout, searched recursively), one file or a list.
    metadata
        Cart metadata JSON or sample sheet mapping files to aliquot barcodes.
    probe_map
        Probe → gene table (see :func:`read_probe_map`); ``None`` keeps probes.
    on_unknown
        A file the metadata does not know: ``"error"`` or ``"skip"``.
    dtype
        Of ``X``: ``float32`` (default; betas rounded below 6e-8, far below the
        array's precision) or ``float64``.

    Returns
    -------
    AnnData aliquots × probes (or genes with ``probe_map``), beta values in
    [0, 1], NaN where masked; ``obs`` as :func:`omicsdl.io.read_gdc_mirna`.

    Raises
    ------
    InputError
        Unknown files, duplicate aliquots, a header line or wrong column
        count, non-numeric values, truncated gzip, probes of another array,
        or values outside [0, 1] (M-values: wrong units).
    """
    import anndata as ad

    located = locate_gdc_files(files, metadata, suffixes=METHYLATION_SUFFIXES, on_unknown=on_unknown)
    obs = gdc_obs(located)
    paths = list(located["path"])
    table = read_probe_map(probe_map) if probe_map is not None else None
    layout = TableLayout(
        what="GDC SeSAMe methylation file",
        n_fields=2,
        split_header=_split_header,
        id_column=0,
        value_columns={"beta": 1},
        id_pattern=PROBE_ID,
        nan_allowed=frozenset({"beta"}),
        dtypes={"beta": dtype},
    )
    # with a probe map, files are read in blocks and averaged per gene block by block:
    # memory follows the gene-level output, not the 486k-probe matrix
    values: np.ndarray | None = None
    ref_ids: np.ndarray | None = None
    genes: pd.Index | None = None
    n_probes: np.ndarray | None = None
    assign: _Assignment | None = None
    start = 0
    block_files = BATCH_FILES if table is not None else None
    for stacked in iter_stacked(paths, layout, block_files=block_files, missing_ids="nan"):
        chunk = paths[start : start + len(stacked.values["beta"])]
        ref_ids = stacked.ids
        beta = stacked.values["beta"]
        _check_betas(beta, stacked.ids, chunk)
        if table is None:
            values = beta
            break
        if assign is None:
            assign = _assignment(pd.Index(ref_ids), table)
            genes, n_probes = assign.genes, assign.n_probes
        means = _gene_means(beta, assign)
        if values is None:
            values = np.empty((len(paths), means.shape[1]), dtype=dtype)
        values[start : start + len(chunk)] = means
        start += len(chunk)
    if table is None:
        var = pd.DataFrame(index=pd.Index(ref_ids, dtype=object, name="probe_id"))
        units = "beta value (SeSAMe)"
    else:
        var = pd.DataFrame({"n_probes": n_probes}, index=pd.Index(genes, name="gene"))
        units = "gene-level mean beta value (SeSAMe)"
    adata = ad.AnnData(X=values, obs=obs, var=var)
    adata.uns["omicsdl"] = {"units": units, "source": "GDC Methylation Beta Value (SeSAMe)"}
    logger.info(
        "read %d SeSAMe files (%d %s)", adata.n_obs, adata.n_vars, "probes" if table is None else "genes"
    )
    return adata
