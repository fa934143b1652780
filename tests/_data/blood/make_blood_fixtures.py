"""Write the small blood-classifier test fixtures in this folder (run from the repo root).

SYNTHETIC fixtures (values drawn here, NOT patient data; every file says so):

* ``SYNTHETIC_GSE000000_series_matrix.txt.gz`` — a GEO series matrix in the exact
  GEO layout (``!Series_*``/``!Sample_*`` header, table between
  ``!series_matrix_table_begin/end``): 8 samples (4 HCC, 4 healthy), 14 probes.
* ``SYNTHETIC_GPL000000_platform.txt`` — the matching platform table in GEO's
  full-table layout (``#`` comments, ``ID`` and ``Gene Symbol`` columns). Probe
  ids are made up (``SYN_...``); the design exercises the probe rules: two probes
  for GPC3 (the higher-mean one must win), HSPA1B only on an ``HSPA1A /// HSPA1B``
  probe (fallback), a ``---`` probe, and one probe missing from the platform.
* ``SYNTHETIC_gexp_ct_long.tsv`` — a GeXP/qPCR long table of raw Ct values
  (sample, gene, ct, group) with reference genes ACTB and GAPDH, one non-detect.
* ``SYNTHETIC_panel_wide.csv`` — a wide table using aliases (``HSP70-2``, ``CD184``)
  and a ``group`` column.

REAL fixture:

* ``tcga_lihc_fpkm_excerpt.tsv`` — 12 tumour samples × 5 genes (FOS, HSPA1B,
  TFRC, CRHBP, EZH2) copied from ``tcga_lihc/tables/diffAREGeneexprClin_onlyTumor.txt``
  of the shared data (TCGA-LIHC, GDC open access; log2 HTSeq-FPKM). Tumour-only,
  so it has no classes: it tests the wide reader and the missing-panel-gene error
  on real data.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("OMICSDL_SHARED_DATA", HERE.parents[3] / "shared" / "data"))

PROBES = [
    # probe id, gene symbol in the platform, control mean, HCC shift
    ("SYN_0001_at", "GPC3", 6.0, 1.5),
    ("SYN_0002_s_at", "GPC3", 8.0, 1.5),  # higher mean: the chosen GPC3 probe
    ("SYN_0003_at", "HGF", 7.0, 1.0),
    ("SYN_0004_at", "ANXA1", 11.0, 0.8),
    ("SYN_0005_at", "FOS", 10.0, -1.0),
    ("SYN_0006_at", "SPAG9", 8.5, 0.7),
    ("SYN_0007_at", "HSPA1A", 9.0, 0.0),
    ("SYN_0008_s_at", "HSPA1A /// HSPA1B", 9.5, 0.9),  # the only HSPA1B probe
    ("SYN_0009_at", "CXCR4", 10.5, 0.6),
    ("SYN_0010_at", "PFN1", 12.0, -0.5),
    ("SYN_0011_at", "CALR", 11.5, 0.5),
    ("SYN_0012_at", "---", 5.0, 0.0),  # maps to no gene
    ("SYN_0013_x_at", "ACTB", 13.0, 0.0),
    ("SYN_0099_at", None, 4.0, 0.0),  # not in the platform table
]


def series_matrix(rng: np.random.Generator) -> str:
    samples = [f"GSM90000{i}" for i in range(1, 9)]
    hcc = [True, True, True, True, False, False, False, False]
    q = '"'

    def row(key: str, values: list[str]) -> str:
        return key + "\t" + "\t".join(f"{q}{v}{q}" for v in values) + "\n"

    lines = [
        '!Series_title\t"SYNTHETIC test fixture for omicsdl - NOT real data (PBMC HCC vs healthy layout)"\n',
        '!Series_geo_accession\t"GSE000000"\n',
        '!Series_status\t"SYNTHETIC"\n',
        '!Series_summary\t"Values drawn by tests/_data/blood/make_blood_fixtures.py; not patient data."\n',
        '!Series_platform_id\t"GPL000000"\n',
        "\n",
        row("!Sample_title", [f"PBMC_{'HCC' if h else 'healthy'}_{i}" for i, h in enumerate(hcc, 1)]),
        row("!Sample_geo_accession", samples),
        row("!Sample_status", ["Public on Jan 01 2000"] * 8),
        row("!Sample_source_name_ch1", ["peripheral blood mononuclear cells"] * 8),
        row("!Sample_organism_ch1", ["Homo sapiens"] * 8),
        row("!Sample_characteristics_ch1", ["tissue: PBMC"] * 8),
        row("!Sample_characteristics_ch1", [f"disease state: {'HCC' if h else 'healthy'}" for h in hcc]),
        row("!Sample_characteristics_ch1", [f"age: {a}" for a in (51, 63, 47, 58, 44, 39, 61, 55)]),
        row("!Sample_platform_id", ["GPL000000"] * 8),
        row("!Sample_data_processing", ["SYNTHETIC: RMA-like log2 values"] * 8),
        "!series_matrix_table_begin\n",
        '"ID_REF"\t' + "\t".join(f'"{s}"' for s in samples) + "\n",
    ]
    for probe, _, mean, shift in PROBES:
        values = [mean + (shift if h else 0.0) + rng.normal(0, 0.3) for h in hcc]
        lines.append(f'"{probe}"\t' + "\t".join(f"{v:.4f}" for v in values) + "\n")
    lines.append("!series_matrix_table_end\n")
    return "".join(lines)


def platform() -> str:
    header = [
        "# SYNTHETIC platform table for omicsdl tests - NOT a real GEO platform\n",
        "#ID = probe identifier\n",
        "#Gene Symbol = gene symbol(s), '///' separates several\n",
        "ID\tGB_ACC\tGene Title\tGene Symbol\tENTREZ_GENE_ID\n",
    ]
    rows = [f"{p}\tSYN{i:04d}\tsynthetic\t{g}\t\n" for i, (p, g, _, _) in enumerate(PROBES) if g is not None]
    return "".join(header + rows)


def gexp_long(rng: np.random.Generator) -> pd.DataFrame:
    genes = ["GPC3", "HGF", "ANXA1", "FOS", "SPAG9", "HSPA1B", "CXCR4", "PFN1", "CALR", "ACTB", "GAPDH"]
    rows = []
    for i in range(1, 7):
        group = "HCC" if i <= 3 else "control"
        for gene in genes:
            base = 18.0 if gene in ("ACTB", "GAPDH") else 26.0
            ct = base + rng.normal(0, 0.5) - (1.0 if group == "HCC" and gene == "GPC3" else 0.0)
            rows.append({"sample": f"SYN-P{i:02d}", "gene": gene, "ct": f"{ct:.2f}", "group": group})
    rows[4]["ct"] = "Undetermined"  # SYN-P01 SPAG9 not detected
    return pd.DataFrame(rows)


def panel_wide(rng: np.random.Generator) -> pd.DataFrame:
    cols = ["GPC3", "HGF", "ANXA1", "FOS", "SPAG9", "HSP70-2", "CD184", "PFN1", "CALR"]
    frame = pd.DataFrame(rng.normal(8, 1, size=(10, 9)).round(4), columns=cols)
    frame.insert(0, "sample_id", [f"SYN-W{i:02d}" for i in range(10)])
    frame["group"] = ["HCC"] * 6 + ["control"] * 4
    return frame


def main() -> None:
    rng = np.random.default_rng(20180701)
    with gzip.open(
        HERE / "SYNTHETIC_GSE000000_series_matrix.txt.gz", "wt", encoding="utf-8", newline=""
    ) as fh:
        fh.write(series_matrix(rng))
    (HERE / "SYNTHETIC_GPL000000_platform.txt").write_text(platform())
    long = gexp_long(rng)
    with (HERE / "SYNTHETIC_gexp_ct_long.tsv").open("w") as fh:
        fh.write("# SYNTHETIC GeXP/qPCR Ct table for omicsdl tests - NOT patient data\n")
        long.to_csv(fh, sep="\t", index=False)
    panel_wide(rng).to_csv(HERE / "SYNTHETIC_panel_wide.csv", index=False)
    src = SHARED / "tcga_lihc" / "tables" / "diffAREGeneexprClin_onlyTumor.txt"
    if src.is_file():
        real = pd.read_csv(
            src, sep="\t", usecols=["fullid", "FOS", "HSPA1B", "TFRC", "CRHBP", "EZH2"], nrows=12
        )
        real.to_csv(HERE / "tcga_lihc_fpkm_excerpt.tsv", sep="\t", index=False)


if __name__ == "__main__":
    main()
