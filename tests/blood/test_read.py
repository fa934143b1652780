"""The blood input dispatcher, label tables and the cohorts of a comparison (files or simulated)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl import InputError

SERIES = "SYNTHETIC_GSE000000_series_matrix.txt.gz"
PLATFORM = "SYNTHETIC_GPL000000_platform.txt"
CT = "SYNTHETIC_gexp_ct_long.tsv"
WIDE = "SYNTHETIC_panel_wide.csv"


def test_dispatcher_reads_geo_with_platform(blood_data):
    adata = od.blood.read_blood_expression(blood_data / SERIES, platform=blood_data / PLATFORM)
    assert adata.uns["input_format"] == "geo"
    assert "GPC3" in adata.var_names
    assert isinstance(adata.obs, pd.DataFrame)


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


def test_load_cohorts_simulated_and_from_files(blood_data, tmp_path):
    train, valid = od.blood.load_blood_cohorts(simulate=True, rng=0)
    assert (train.n_obs, valid.n_obs) == (157, 86)
    assert set(train.obs["cohort"]) == {"training"} and set(valid.obs["cohort"]) == {"validation"}
    same, _ = od.blood.load_blood_cohorts(simulate=True, rng=0)
    np.testing.assert_array_equal(same.X, train.X)
    # from files: the label column is kept, a separate label table is attached to both cohorts
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "id,status\n" + "".join(f"SYN-W{i:02d},{'HCC' if i < 5 else 'ctrl'}\n" for i in range(10))
    )
    train, valid = od.blood.load_blood_cohorts(
        blood_data / WIDE, blood_data / WIDE, label_key="status", labels=labels
    )
    assert list(train.obs["status"][:6]) == ["HCC"] * 5 + ["ctrl"]
    assert list(valid.obs["status"]) == list(train.obs["status"])
    train, valid = od.blood.load_blood_cohorts(blood_data / WIDE, label_key="group")
    assert valid is None and "group" in train.obs


def test_load_cohorts_needs_exactly_one_source(blood_data):
    with pytest.raises(InputError, match="not both"):
        od.blood.load_blood_cohorts(blood_data / WIDE, simulate=True)
    # as before the move out of the CLI: a validation file next to --simulate is ignored (and logged)
    _, valid = od.blood.load_blood_cohorts(None, blood_data / WIDE, simulate=True, rng=0)
    assert valid.n_obs == 86
    with pytest.raises(InputError, match="no training data"):
        od.blood.load_blood_cohorts()
