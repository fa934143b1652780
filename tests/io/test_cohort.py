from __future__ import annotations

import gzip

import anndata as ad
import numpy as np
import pandas as pd
import pytest

import omicsdl as od
from omicsdl import InputError


def _adata(values, patients, prefix="g"):
    a = ad.AnnData(np.asarray(values, dtype=float))
    a.obs_names = patients
    a.var_names = [f"{prefix}{i}" for i in range(a.n_vars)]
    return a


@pytest.fixture
def clinical():
    idx = [f"TCGA-AA-000{i}" for i in range(4)]
    return pd.DataFrame(
        {"os_days": [10.0, 20, 30, 40], "os_event": [1, 0, 1, 0], "stage": ["I", "II", None, "IV"]}, index=idx
    )


def test_make_cohort_schema_and_roundtrip(tmp_path, clinical):
    rna = _adata(np.arange(12).reshape(4, 3), clinical.index)
    meth = _adata([[0.1, 0.9], [0.5, 0.2], [0.3, 0.3]], clinical.index[:3], prefix="m")
    mdata = od.io.make_cohort({"rna": rna, "methylation": meth}, clinical, name="toy")
    assert mdata.n_obs == 4
    assert mdata.obs["os_event"].dtype == bool
    assert mdata.obs["os_event"].tolist() == [True, False, True, False]
    assert mdata.uns["omicsdl"]["schema_version"] == od.io.SCHEMA_VERSION
    path = od.io.write_h5mu(mdata, tmp_path / "toy.h5mu")
    back = od.io.read_h5mu(path, require_survival=True)
    assert back.mod["methylation"].n_obs == 3
    np.testing.assert_allclose(back.mod["rna"].X, rna.X)
    assert back.obs["stage"].astype("object").tolist()[:2] == ["I", "II"]
    assert not list(tmp_path.glob(".*part*")), "temporary files left behind"


def test_negative_expression_is_refused_with_sample_and_feature(clinical):
    rna = _adata([[1, 2], [3, -4], [5, 6], [7, 8]], clinical.index)
    with pytest.raises(InputError, match=r"negative expression value \(-4\)") as info:
        od.io.make_cohort({"rna": rna}, clinical)
    assert "TCGA-AA-0001 / g1" in str(info.value)


def test_beta_outside_unit_interval_is_refused(clinical):
    meth = _adata([[0.1], [1.5], [0.2], [0.3]], clinical.index)
    with pytest.raises(InputError, match=r"outside \[0, 1\]"):
        od.io.make_cohort({"methylation": meth}, clinical)


def test_infinite_value_is_refused(clinical):
    rna = _adata([[1.0], [np.inf], [1], [1]], clinical.index)
    with pytest.raises(InputError, match="infinite"):
        od.io.make_cohort({"rna": rna}, clinical)


def test_duplicate_patients_are_refused(clinical):
    rna = _adata([[1.0], [2], [3], [4]], [*clinical.index[:3], clinical.index[0]])
    with pytest.raises(InputError, match="more than once"):
        od.io.make_cohort({"rna": rna}, clinical)


def test_modality_without_overlap_is_refused(clinical):
    rna = _adata([[1.0], [2]], ["TCGA-ZZ-0001", "TCGA-ZZ-0002"])
    with pytest.raises(InputError, match="no patient in common"):
        od.io.make_cohort({"rna": rna}, clinical)


def test_require_survival_names_the_patient(clinical):
    clinical.loc["TCGA-AA-0002", "os_days"] = np.nan
    rna = _adata(np.ones((4, 2)), clinical.index)
    mdata = od.io.make_cohort({"rna": rna}, clinical.drop(columns="os_event"))
    with pytest.raises(InputError, match="os_event"):
        od.io.validate_cohort(mdata, require_survival=True)


def test_read_h5mu_missing_and_corrupt_files(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        od.io.read_h5mu(tmp_path / "absent.h5mu")
    bad = tmp_path / "bad.h5mu"
    with gzip.open(bad, "wb") as fh:
        fh.write(b"not hdf5")
    with pytest.raises(InputError, match=r"not a readable \.h5mu"):
        od.io.read_h5mu(bad)
