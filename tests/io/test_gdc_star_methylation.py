"""STAR - Counts and SeSAMe readers on SYNTHETIC files in the exact GDC formats (see conftest)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omicsdl._core._errors import InputError
from omicsdl.io._gdc_methylation import read_gdc_methylation
from omicsdl.io._gdc_star import read_gdc_star_counts


def test_star_counts_symbols_and_duplicates(synthetic_star):
    folder, meta, counts = synthetic_star
    adata = read_gdc_star_counts(folder, metadata=meta)
    assert adata.n_obs == 3
    assert adata.uns["omicsdl"]["gene_model"] == "GENCODE v36"
    # CD99 (+ its PAR_Y copy) and the two TBCE genes are summed: 10 genes -> 8 symbols
    assert adata.n_vars == 8
    assert adata.var.loc["CD99", "gene_ids"] == "ENSG00000002586;ENSG00000002586_PAR_Y"
    first = adata.obs_names.get_loc("TCGA-BC-A10Q-01A-11R-A131-07")
    np.testing.assert_allclose(
        adata.layers["counts"][first, adata.var_names.get_loc("TBCE")], counts[0, 8] + counts[0, 9]
    )
    np.testing.assert_allclose(adata.X.sum(axis=1), 1e6, rtol=1e-6)
    kept = read_gdc_star_counts(folder, metadata=meta, duplicate_symbols="keep_ids")
    assert "TBCE|ENSG00000284770" in kept.var_names
    assert kept.n_vars == 10
    first_only = read_gdc_star_counts(folder, metadata=meta, duplicate_symbols="first", value="unstranded")
    np.testing.assert_array_equal(first_only[:, "TBCE"].X.ravel()[first], counts[0, 8])
    by_id = read_gdc_star_counts(folder, metadata=meta, var_names="gene_id", value="fpkm_unstranded")
    assert by_id.var_names[3] == "ENSG00000002586_PAR_Y"
    assert by_id.uns["omicsdl"]["units"].startswith("FPKM")


def test_star_wrong_header_and_units(synthetic_star):
    folder, meta, _ = synthetic_star
    path = next(folder.rglob("*.tsv"))
    text = path.read_text()
    path.write_text(text.replace("tpm_unstranded", "tpm", 1))
    with pytest.raises(InputError, match=r"star_gene_counts.tsv:2: unexpected header"):
        read_gdc_star_counts(folder, metadata=meta)
    lines = text.splitlines()
    for i in range(6, len(lines)):  # log-transform the TPM column: wrong units
        f = lines[i].split("\t")
        f[6] = f"{np.log2(float(f[6]) + 1):.4f}"
        lines[i] = "\t".join(f)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"tpm_unstranded sums to .* not one million"):
        read_gdc_star_counts(folder, metadata=meta)


def test_sesame_probes_and_gene_means(synthetic_sesame, tmp_path):
    folder, meta, betas = synthetic_sesame
    probes = read_gdc_methylation(folder, metadata=meta)
    assert probes.shape == (3, 8)
    order = np.argsort([m for m in probes.obs_names])
    assert np.isnan(probes.X).sum() == 1
    probe_map = tmp_path / "map.tsv"
    probe_map.write_text(
        "probe_id\tgene\ncg00000029\tRBL2\ncg00000108\tRBL2;C3orf35\ncg00000109\tC3orf35\ncg00000165\t\n"
    )
    genes = read_gdc_methylation(folder, metadata=meta, probe_map=probe_map)
    assert list(genes.var_names) == ["RBL2", "C3orf35"]
    assert genes.var.loc["RBL2", "n_probes"] == 2
    row = genes.obs_names.get_loc("TCGA-BC-A10Q-01A-11D-A13A-05")
    np.testing.assert_allclose(genes[row, "RBL2"].X, np.nanmean(betas[0, [0, 1]]))
    # cg00000109 is NA in this sample: the C3orf35 mean uses cg00000108 alone
    np.testing.assert_allclose(genes[row, "C3orf35"].X, betas[0, 1])
    del order


def test_sesame_bad_input(synthetic_sesame):
    folder, meta, _ = synthetic_sesame
    path = sorted(folder.rglob("*.txt"))[-1]  # not the first file: that one sets the probe list
    text = path.read_text()
    path.write_text("Composite Element REF\tBeta_value\n" + text)
    with pytest.raises(InputError, match=r"level3betas\.txt:1: unexpected first line"):
        read_gdc_methylation(folder, metadata=meta)
    path.write_text(text.replace("cg00000029\t", "cg00000029\t-3.2#", 1).replace("-3.2#0.", "-3.2"))
    with pytest.raises(InputError, match=r"not a beta value in \[0, 1\] \(M-values\?\)"):
        read_gdc_methylation(folder, metadata=meta)
    path.write_text(text + "cg99999999\t0.5\n")
    with pytest.raises(InputError, match=r"row id 'cg99999999' is not in the first file"):
        read_gdc_methylation(folder, metadata=meta)
    path.write_text("\n".join(text.splitlines()[:-2]) + "\n")  # fewer probes: NaN for the absent ones
    short = read_gdc_methylation(folder, metadata=meta)
    assert np.isnan(short.X).sum() >= 2
    _ = pd


def test_batched_gene_means_equal_probe_level_then_aggregate(synthetic_sesame, tmp_path, monkeypatch):
    from omicsdl.io import _gdc_methylation
    from omicsdl.io._gdc_methylation import aggregate_probes

    folder, meta, _ = synthetic_sesame
    probe_map = pd.DataFrame(
        {"probe_id": ["cg00000029", "cg00000108", "cg00000109", "cg00000236"], "gene": ["A", "A;B", "B", "C"]}
    )
    whole = aggregate_probes(read_gdc_methylation(folder, metadata=meta), probe_map)
    monkeypatch.setattr(_gdc_methylation, "BATCH_FILES", 1)  # one file per batch: 3 batches
    batched = read_gdc_methylation(folder, metadata=meta, probe_map=probe_map)
    assert list(batched.var_names) == ["A", "B", "C"]
    np.testing.assert_allclose(batched.X, whole[batched.obs_names].X)
    assert batched.var["n_probes"].tolist() == [2, 2, 1]
