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
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_metadata import PathsLike, gdc_obs, locate_gdc_files
from omicsdl.io._gdc_stack import stack_tables

if TYPE_CHECKING:
    import os

    from anndata import AnnData

__all__ = ["aggregate_probes", "read_gdc_methylation", "read_probe_map"]

logger = logging.getLogger(__name__)

METHYLATION_SUFFIXES = (".level3betas.txt", ".level3betas.txt.gz")
#: files per batch when averaging per gene (32 × 486k probes ≈ 125 MB of betas)
BATCH_FILES = 32
_PROBE = re.compile(r"^(cg|ch|rs|nv)[\w.-]*$")


def _split_header(data: bytes, path: Path) -> tuple[bytes, int]:
    first = data.partition(b"\n")[0].decode("utf-8", "replace").strip().split("\t")
    if len(first) != 2 or not _PROBE.match(first[0]):
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
        table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
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
    means, genes, n_probes = _gene_means(np.asarray(adata.X, dtype=float), pd.Index(adata.var_names), table)
    var = pd.DataFrame({"n_probes": n_probes}, index=pd.Index(genes, name="gene"))
    out = ad.AnnData(X=means, obs=adata.obs.copy(), var=var)
    out.uns["omicsdl"] = dict(adata.uns.get("omicsdl", {}), units="gene-level mean beta value (SeSAMe)")
    logger.info("aggregated %d probes into %d genes", int(n_probes.sum()), len(genes))
    return out


def _gene_means(
    values: np.ndarray, probes: pd.Index, table: pd.DataFrame
) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """NaN-aware mean per gene: (samples × genes means, genes, probes per gene)."""
    import scipy.sparse as sp

    position = probes.get_indexer(table["probe_id"])
    table = table[position >= 0]
    position = position[position >= 0]
    if table.empty:
        msg = "no probe of the probe map is in the data"
        raise InputError(msg, item=str(probes[:3].tolist()), fix="use a map for this array (450k/EPIC)")
    codes, genes = pd.factorize(table["gene"])
    assign = sp.csr_matrix((np.ones(len(codes)), (position, codes)), shape=(len(probes), len(genes)))
    known = ~np.isnan(values)
    # sparse (probes x genes)^T @ dense (probes x samples): memory stays samples x genes
    sums = np.asarray(assign.T @ np.where(known, values, 0.0).T).T
    n = np.asarray(assign.T @ known.astype(float).T).T
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(n > 0, sums / np.maximum(n, 1), np.nan)
    return means, pd.Index(genes), np.bincount(codes, minlength=len(genes))


def read_gdc_methylation(
    files: PathsLike,
    *,
    metadata: str | os.PathLike[str] | pd.DataFrame | None,
    probe_map: str | os.PathLike[str] | pd.DataFrame | None = None,
    on_unknown: Literal["error", "skip"] = "error",
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
    # with a probe map, files are read in batches and averaged per gene at once:
    # memory follows the gene-level output, not the 486k-probe matrix
    batch = BATCH_FILES if table is not None else len(paths)
    parts: list[np.ndarray] = []
    ref_ids: np.ndarray | None = None
    genes: pd.Index | None = None
    n_probes: np.ndarray | None = None
    for start in range(0, len(paths), batch):
        chunk = paths[start : start + batch]
        stacked = stack_tables(
            chunk, split_header=_split_header, id_column=0, value_columns={"beta": 1}, missing_ids="nan"
        )
        if ref_ids is None:
            ref_ids = stacked.ids
        elif not np.array_equal(stacked.ids, ref_ids) and set(stacked.ids) != set(ref_ids):
            extra = sorted(set(stacked.ids) ^ set(ref_ids))[0]
            msg = f"probe list differs from the first file's ({paths[0].name}), e.g. {extra!r}"
            raise InputError(msg, source=chunk[0], fix="read files of one array type (450k or EPIC) together")
        beta = stacked.values["beta"]
        bad = (beta < 0) | (beta > 1)
        if bad.any():
            row, col = np.argwhere(bad)[0]
            msg = f"value {beta[row, col]:g} for {stacked.ids[col]} is not a beta value in [0, 1] (M-values?)"
            raise InputError(msg, source=chunk[row], fix="use SeSAMe beta values; beta = 2^M / (1 + 2^M)")
        if table is None:
            parts.append(beta)
            continue
        means, genes, n_probes = _gene_means(beta, pd.Index(stacked.ids.astype(str)), table)
        parts.append(means)
    values = np.vstack(parts) if len(parts) > 1 else parts[0]
    if table is None:
        var = pd.DataFrame(index=pd.Index(np.asarray(ref_ids).astype(str), name="probe_id"))
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
