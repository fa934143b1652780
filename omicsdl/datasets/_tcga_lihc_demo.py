"""The embedded TCGA-LIHC demo cohort (real data, shipped inside the package)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pandas as pd

from omicsdl.datasets._shipped import checked_bytes

if TYPE_CHECKING:
    from mudata import MuData

__all__ = ["tcga_lihc_demo"]

_PACKAGE = "omicsdl.datasets._data.tcga_lihc_demo"
_UNITS = {
    "rna": "RSEM normalised counts (Firehose)",
    "mirna": "reads per million miRNA mapped (Firehose)",
    "methylation": "gene-level beta value (Illumina 450k, Firehose)",
}


def _read_checked(name: str) -> pd.DataFrame:
    data = checked_bytes(
        _PACKAGE,
        name,
        problem="embedded demo file does not match its sha256",
        fix="reinstall omicsdl, or rebuild with data_manifests/build_tcga_lihc_demo.py",
    )
    return pd.read_csv(io.BytesIO(data), sep="\t", index_col=0, compression="gzip")


def tcga_lihc_demo() -> MuData:
    """The 360-patient TCGA-LIHC multi-omics cohort of Chaudhary et al. 2018.

    Real data (TCGA, NCI Genomic Data Commons open access), Firehose-processed,
    as published with DeepProg: all 360 primary tumours with mRNA, miRNA and
    methylation and overall survival (124 deaths). Clinical stage, grade, age,
    sex and recurrence-free survival come from the UCSC Xena TCGA-LIHC clinical
    matrix. Provenance and rebuild script: ``data_manifests/tcga_lihc_demo.yaml``.

    Two of the omics are **truncated** by their source: ``rna`` holds only the
    alphabetically first 365 genes (the first 12 are named ``?`` in the source
    file, i.e. genes without a symbol; here ``unnamed_gene_01`` …
    ``unnamed_gene_12``) and ``methylation`` only the first 365 genes of
    chromosome 1. ``mirna`` is complete (365 precursor miRNAs). Values are
    stored with 7 significant digits.

    Feature names carry their omic (``rna:A1BG``, ``methylation:AGRN``,
    ``mirna:hsa-mir-122``; five genes, e.g. ``AGRN``, are in both ``rna`` and
    ``methylation``); the plain symbol is in ``.var["symbol"]``.

    Returns
    -------
    A cohort (see :mod:`omicsdl.io` for the schema): 360 patients;
    modalities ``rna`` (360 × 365), ``mirna`` (360 × 365), ``methylation``
    (360 × 365); ``.obs`` with ``os_days``, ``os_event``, ``rfs_days``,
    ``rfs_event``, ``stage``, ``grade``, ``age``, ``sex``.

    Examples
    --------
    >>> import omicsdl as od
    >>> mdata = od.datasets.tcga_lihc_demo()
    >>> int(mdata.obs["os_event"].sum())
    124
    >>> mdata["rna"].var.loc["rna:ACAT1", "symbol"]
    'ACAT1'
    """
    import anndata as ad

    from omicsdl.io import make_cohort

    clinical = _read_checked("clinical.tsv.gz")
    modalities = {}
    for name in ("rna", "mirna", "methylation"):
        frame = _read_checked(f"{name}.tsv.gz")
        adata = ad.AnnData(frame.to_numpy(dtype="float32"))
        adata.obs_names = frame.index.astype(str)
        adata.var_names = frame.columns.astype(str)
        adata.obs["sample_barcode"] = clinical.loc[adata.obs_names, "sample_barcode"].to_numpy()
        adata.uns["omicsdl"] = {"modality": name, "units": _UNITS[name]}
        modalities[name] = adata
    clinical = clinical.drop(columns="sample_barcode")
    return make_cohort(
        modalities,
        clinical,
        name="tcga_lihc_demo",
        source="TCGA-LIHC (GDC open access) via Chaudhary et al. 2018 / DeepProg; clinical from UCSC Xena",
    )
