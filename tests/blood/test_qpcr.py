"""qPCR/GeXP long tables, wide CSV tables and label files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
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


def test_attach_labels_mismatch(blood_data, tmp_path):
    adata = od.io.read_expression_csv(blood_data / WIDE)
    labels = pd.DataFrame(
        {"sample": [f"SYN-W{i:02d}" for i in range(10)], "status": ["HCC"] * 5 + ["control"] * 5}
    )
    ok = od.blood.attach_labels(adata, labels, label_col="status")
    assert list(ok.obs["status"][:6]) == ["HCC"] * 5 + ["control"]
    bad = labels.copy()
    bad.loc[0, "sample"] = "syn-w00"
    bad.loc[1, "sample"] = "SYN-W99"
    with pytest.raises(InputError, match="2 expression sample\\(s\\) without a label") as err:
        od.blood.attach_labels(adata, bad, label_col="status")
    assert "upper/lower case" in str(err.value)
    path = tmp_path / "labels.tsv"
    labels.to_csv(path, sep="\t", index=False)
    assert od.blood.attach_labels(adata, path, label_col="status").obs["status"].iloc[-1] == "control"


def test_dispatcher_formats(blood_data):
    kinds = {
        CT: "qpcr",
        WIDE: "csv",
        "SYNTHETIC_GSE000000_series_matrix.txt.gz": "geo",
    }
    for name, kind in kinds.items():
        adata = od.blood.read_blood_expression(
            blood_data / name, value_col="ct", reference_genes=["ACTB", "GAPDH"]
        )
        assert adata.uns["input_format"] == kind


def test_real_tcga_excerpt_missing_panel_genes(blood_data):
    # REAL data (TCGA-LIHC tumours, log2 FPKM): only FOS and HSPA1B of the panel are in the excerpt.
    adata = od.io.read_expression_csv(blood_data / "tcga_lihc_fpkm_excerpt.tsv")
    assert adata.shape == (12, 5)
    with pytest.raises(
        InputError, match="7 of 9 panel gene\\(s\\) missing: GPC3, HGF, ANXA1, SPAG9, CXCR4, PFN1, CALR"
    ):
        od.blood.extract_panel(adata)
    panel = od.blood.extract_panel(adata, genes=["FOS", "HSPA1B"])
    assert_allclose(panel.X.iloc[0].to_numpy(), [3.53366514184564, 5.51314413807862])


@pytest.mark.shared
def test_real_tcga_table_from_shared_data(shared_data):
    path = shared_data / "tcga_lihc" / "tables" / "diffAREGeneexprClin_onlyTumor.txt"
    adata = od.blood.read_blood_expression(path)
    assert adata.n_obs == 363
    assert {"FOS", "HSPA1B"} <= set(adata.var_names)
    assert "stage" in adata.obs.columns  # clinical text columns go to obs
    panel = od.blood.extract_panel(adata, genes=["FOS", "HSPA1B"])
    assert panel.X.shape == (363, 2)
    assert np.isfinite(panel.X.to_numpy()).all()
