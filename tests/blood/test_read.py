"""The blood input dispatcher and label tables."""

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
