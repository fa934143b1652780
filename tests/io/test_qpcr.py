"""qPCR/GeXP long tables (Ct → −ΔCt) and wide CSV tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import omicsdl as od
from omicsdl import InputError

CT = "SYNTHETIC_gexp_ct_long.tsv"
WIDE = "SYNTHETIC_panel_wide.csv"


def test_ct_to_minus_delta_ct(blood_data):
    adata = od.io.read_qpcr_table(blood_data / CT, value_col="ct", reference_genes=["ACTB", "GAPDH"])
    long = pd.read_csv(blood_data / CT, sep="\t", comment="#")
    assert adata.shape == (6, 9)
    assert "ACTB" not in adata.var_names
    p2 = long[long["sample"] == "SYN-P02"].set_index("gene")["ct"].astype(float)
    ref = (p2["ACTB"] + p2["GAPDH"]) / 2
    assert_allclose(adata["SYN-P02", "GPC3"].X[0, 0], ref - p2["GPC3"])
    assert_allclose(adata.obs.loc["SYN-P02", "reference_ct"], ref)
    assert_allclose(adata["SYN-P02", "GPC3"].layers["ct"][0, 0], p2["GPC3"])
    # the non-detect stays missing; the group column becomes obs
    assert np.isnan(adata["SYN-P01", "SPAG9"].X[0, 0])
    assert adata.obs.loc["SYN-P04", "group"] == "control"
    assert "ΔCt" in adata.uns["qpcr"]["transform"]


def test_ct_without_reference_genes(blood_data):
    with pytest.raises(InputError, match="need reference genes"):
        od.io.read_qpcr_table(blood_data / CT, value_col="ct")
    with pytest.raises(InputError, match="reference gene\\(s\\) B2M not in the table"):
        od.io.read_qpcr_table(blood_data / CT, value_col="ct", reference_genes=["B2M"])


def test_ct_read_as_relative_expression_is_refused(blood_data):
    with pytest.raises(InputError, match="look like raw qPCR Ct"):
        od.io.read_qpcr_table(blood_data / CT, value_col="ct", value_kind="log2")


def test_missing_reference_ct(tmp_path, blood_data):
    text = (blood_data / CT).read_text().replace("SYN-P03\tACTB\t", "SYN-P03\tACTB\tUndetermined\t#", 1)
    lines = [
        line.split("\t#")[0] + ("\tHCC" if "Undetermined\t#" in line else "") for line in text.splitlines()
    ]
    path = tmp_path / "ct.tsv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="lack a reference-gene Ct \\(first: SYN-P03\\)"):
        od.io.read_qpcr_table(path, value_col="ct", reference_genes=["ACTB", "GAPDH"])


def test_duplicated_measurements(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("sample,gene,value\nA,GPC3,1.0\nA,HGF,2.0\nA,GPC3,3.0\nB,GPC3,0.5\nB,HGF,1.5\n")
    with pytest.raises(InputError, match="sample 'A' has 2 rows for gene 'GPC3' \\(lines 2, 4\\)"):
        od.io.read_qpcr_table(path, value_kind="log2")
    adata = od.io.read_qpcr_table(path, value_kind="log2", replicates="mean")
    assert_allclose(adata["A", "GPC3"].X[0, 0], 2.0)


def test_bad_values_name_the_line(tmp_path):
    path = tmp_path / "long.tsv"
    path.write_text("sample\tgene\tvalue\nA\tGPC3\t1.0\nA\tHGF\tabc\n")
    with pytest.raises(InputError, match=r"long\.tsv:3: non-numeric value 'abc'"):
        od.io.read_qpcr_table(path, value_kind="log2")
    with pytest.raises(InputError, match="missing column\\(s\\) ct"):
        od.io.read_qpcr_table(path, value_col="ct")


def test_ratio_values_are_log2(tmp_path):
    path = tmp_path / "gexp.tsv"
    path.write_text("sample\tgene\tvalue\nA\tGPC3\t0.5\nA\tHGF\t4\n")
    adata = od.io.read_qpcr_table(path, value_kind="ratio")
    assert_allclose(adata.X, [[-1.0, 2.0]])


def test_wide_csv_with_aliases_and_labels(blood_data):
    adata = od.io.read_expression_csv(blood_data / WIDE)
    assert adata.shape == (10, 9)
    assert list(adata.obs.columns) == ["group"]
    panel = od.blood.extract_panel(adata, label_key="group", positive="HCC")
    assert panel.columns["HSPA1B"] == "HSP70-2"
    assert panel.columns["CXCR4"] == "CD184"
    assert panel.y.sum() == 6


def test_wide_csv_duplicated_samples_and_genes(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,GPC3,HGF\nx,1,2\ny,3,4\nx,5,6\n")
    with pytest.raises(InputError, match="sample 'x' appears 2 times \\(lines 2, 4\\)"):
        od.io.read_expression_csv(path)
    path.write_text("id,GPC3,GPC3\nx,1,2\n")
    with pytest.raises(InputError, match="duplicated column name\\(s\\) in the header: GPC3"):
        od.io.read_expression_csv(path)


@settings(max_examples=25, deadline=None)
@given(shift=st.floats(-5, 5), seed=st.integers(0, 2**16))
def test_minus_delta_ct_ignores_a_per_sample_shift(tmp_path_factory, shift, seed):
    rng = np.random.default_rng(seed)
    genes = ["GPC3", "HGF", "ACTB", "GAPDH"]
    ct = rng.uniform(15, 30, size=(3, 4))
    rows = []
    for sample, offset in zip(("a", "b", "c"), (0.0, shift, 0.0), strict=True):
        for gene, value in zip(genes, ct[len(rows) // 4] + offset, strict=True):
            rows.append({"sample": sample, "gene": gene, "value": round(float(value), 6)})
    path = tmp_path_factory.mktemp("ct") / "ct.tsv"
    pd.DataFrame(rows).to_csv(path, sep="\t", index=False)
    adata = od.io.read_qpcr_table(path, reference_genes=["ACTB", "GAPDH"])
    expected = ct[:, 2:].mean(axis=1, keepdims=True) - ct[:, :2]
    assert_allclose(adata.X, expected, atol=1e-5)
