"""Fixtures of the io tests: the local GDC-like server (tests/_gdc_server.py) and SYNTHETIC GDC files."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests._gdc_server import real_files, serve

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def fake_gdc(test_data):
    """The GDC-like server serving the three committed real miRNA files."""
    records = json.loads((test_data / "io" / "metadata.LIHC.trimmed.json").read_text())
    gdc = serve(real_files(test_data / "io" / "gdc_mirna", records), lifetime=120)
    yield gdc
    gdc.stop()


@pytest.fixture
def fake_gdc_78(shared_data):
    """The GDC-like server serving the 78 real miRNA files of ../shared/data."""
    lihc = shared_data / "tcga_lihc"
    records = json.loads((lihc / "metadata.LIHC.json").read_text())
    gdc = serve(real_files(lihc / "gdc_mirna", records), lifetime=300)
    yield gdc
    gdc.stop()


# --- SYNTHETIC GDC files (no STAR-Counts or SeSAMe file is in ../shared/data) -------------
# They follow the GDC formats exactly; values are random, barcodes are real LIHC patients.

STAR_GENES = [
    ("ENSG00000000003.15", "TSPAN6", "protein_coding"),
    ("ENSG00000000005.6", "TNMD", "protein_coding"),
    ("ENSG00000002586.20", "CD99", "protein_coding"),
    ("ENSG00000002586.20_PAR_Y", "CD99", "protein_coding"),
    ("ENSG00000091831.24", "ESR1", "protein_coding"),
    ("ENSG00000147257.14", "GPC3", "protein_coding"),
    ("ENSG00000019991.18", "HGF", "protein_coding"),
    ("ENSG00000228253.1", "MT-ATP8", "Mt_protein_coding"),
    ("ENSG00000285053.1", "TBCE", "protein_coding"),
    ("ENSG00000284770.2", "TBCE", "protein_coding"),
]
SYNTHETIC_BARCODES = [
    "TCGA-BC-A10Q-01A-11R-A131-07",
    "TCGA-EP-A2KA-01A-11R-A180-07",
    "TCGA-BC-A10Q-11A-11R-A131-07",
]


def _write_metadata(folder: Path, entries: list[tuple[str, str, str]], name: str) -> Path:
    records = [
        {
            "file_id": file_id,
            "file_name": name,
            "associated_entities": [{"entity_submitter_id": barcode, "entity_type": "aliquot"}],
        }
        for file_id, name, barcode in entries
    ]
    path = folder / f"metadata.{name}.json"
    path.write_text(json.dumps(records))
    return path


@pytest.fixture
def synthetic_star(tmp_path):
    """SYNTHETIC: three STAR - Counts files in GDC layout + metadata; returns (folder, metadata, counts)."""
    import numpy as np

    rng = np.random.default_rng(7)
    folder = tmp_path / "star"
    entries = []
    all_counts = []
    for k, barcode in enumerate(SYNTHETIC_BARCODES):
        counts = rng.integers(0, 5000, size=len(STAR_GENES)).astype(float)
        counts[3] = 0  # PAR_Y copies are 0 in GDC files
        lengths = rng.uniform(0.5, 5.0, size=len(STAR_GENES))
        rate = counts / lengths
        tpm = rate / rate.sum() * 1e6
        fpkm = counts / lengths / counts.sum() * 1e9
        lines = ["# gene-model: GENCODE v36", "\t".join(
            ["gene_id", "gene_name", "gene_type", "unstranded", "stranded_first", "stranded_second",
             "tpm_unstranded", "fpkm_unstranded", "fpkm_uq_unstranded"])]  # fmt: skip
        for name in ("N_unmapped", "N_multimapping", "N_noFeature", "N_ambiguous"):
            lines.append(
                f"{name}\t\t\t" + "\t".join(str(v) for v in rng.integers(1000, 9000, size=3)) + "\t\t\t"
            )
        for (gene_id, symbol, gtype), c, t, f in zip(STAR_GENES, counts, tpm, fpkm, strict=True):
            lines.append(
                f"{gene_id}\t{symbol}\t{gtype}\t{int(c)}\t{int(c) // 2}\t{int(c) - int(c) // 2}\t"
                f"{t:.4f}\t{f:.4f}\t{f * 1.3:.4f}"
            )
        file_id = f"00000000-0000-4000-8000-00000000000{k}"
        name = f"synthetic{k}.rna_seq.augmented_star_gene_counts.tsv"
        (folder / file_id).mkdir(parents=True)
        (folder / file_id / name).write_text("\n".join(lines) + "\n")
        entries.append((file_id, name, barcode))
        all_counts.append(counts)
    return folder, _write_metadata(tmp_path, entries, "star"), np.array(all_counts)


SESAME_PROBES = [
    "cg00000029",
    "cg00000108",
    "cg00000109",
    "cg00000165",
    "cg00000236",
    "cg00000289",
    "ch.1.1234R",
    "rs10796216",
]


@pytest.fixture
def synthetic_sesame(tmp_path):
    """SYNTHETIC: three SeSAMe beta files in GDC layout + metadata; returns (folder, metadata, betas)."""
    import numpy as np

    rng = np.random.default_rng(11)
    folder = tmp_path / "sesame"
    entries = []
    betas = rng.uniform(0, 1, size=(3, len(SESAME_PROBES)))
    betas[0, 2] = np.nan
    for k, barcode in enumerate(SYNTHETIC_BARCODES):
        barcode = barcode.replace("R-A131-07", "D-A13A-05")
        lines = [
            f"{p}\t{'NA' if np.isnan(b) else repr(float(b))}"
            for p, b in zip(SESAME_PROBES, betas[k], strict=True)
        ]
        file_id = f"10000000-0000-4000-8000-00000000000{k}"
        name = f"synthetic{k}.methylation_array.sesame.level3betas.txt"
        (folder / file_id).mkdir(parents=True)
        (folder / file_id / name).write_text("\n".join(lines) + "\n")
        entries.append((file_id, name, barcode))
    return folder, _write_metadata(tmp_path, entries, "sesame"), betas


# --- blood-panel reader fixtures (GEO series matrix, GPL table, qPCR/GeXP, wide CSV) ---------


@pytest.fixture(scope="session")
def blood_data(test_data) -> Path:
    """Folder with the GEO/qPCR/CSV reader fixtures (SYNTHETIC files and a real TCGA excerpt)."""
    return test_data / "blood"
