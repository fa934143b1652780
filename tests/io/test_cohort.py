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
    assert "TCGA-AA-0001 / rna:g1" in str(info.value)


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


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("os_days", np.inf, r"os_days = inf is not a survival time"),
        ("os_days", -3.0, r"os_days = -3 is not a survival time"),
        ("os_days", 1e6, r"os_days = 1e\+06 is not a survival time in days \(finite, 0 to 36,525\)"),
        ("os_event", 2, r"os_event = 2 is not an event indicator"),
        ("os_event", 0.5, r"os_event = 0.5 is not an event indicator"),
    ],
)
def test_impossible_survival_is_refused_naming_the_patient(clinical, column, value, message):
    clinical[column] = clinical[column].astype(float)
    clinical.loc["TCGA-AA-0002", column] = value
    rna = _adata(np.ones((4, 2)), clinical.index)
    with pytest.raises(InputError, match=message) as info:
        od.io.make_cohort({"rna": rna}, clinical)
    assert "[TCGA-AA-0002]" in str(info.value)


def _written_unchecked(tmp_path, mdata):
    """Write a cohort with MuData itself (no omicsdl checks), as a foreign tool could."""
    path = tmp_path / "foreign.h5mu"
    mdata.write_h5mu(path)
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.obs.__setitem__("os_days", [10.0, np.inf, 30, 40]), "os_days = inf"),
        (
            lambda m: m.obs.__setitem__("os_event", [1.0, 2.0, 0, 0]),
            "os_event = 2 is not an event indicator",
        ),
        (lambda m: m.mod["rna"].X.__setitem__((1, 1), -np.inf), "infinite value"),
        (
            lambda m: m.mod["rna"].layers.__setitem__("counts", -np.ones((4, 3))),
            r"layers\['counts'\] holds a negative count",
        ),
        (lambda m: m.mod["methylation"].X.__setitem__((0, 0), 1.2), r"beta value outside \[0, 1\] \(1.2\)"),
    ],
)
def test_read_h5mu_validates_survival_and_values_of_any_file(tmp_path, clinical, edit, message):
    rna = _adata(np.arange(12).reshape(4, 3), clinical.index)
    meth = _adata([[0.1, 0.9], [0.5, 0.2], [0.3, 0.3], [0.4, 0.4]], clinical.index, prefix="m")
    mdata = od.io.make_cohort({"rna": rna, "methylation": meth}, clinical, name="toy")
    edit(mdata)
    path = _written_unchecked(tmp_path, mdata)
    for backed in (False, True):
        with pytest.raises(InputError, match=message):
            od.io.read_h5mu(path, backed=backed)


def test_backed_read_and_info_leave_matrices_on_disk(tmp_path, clinical, capsys):
    import h5py

    from omicsdl.cli import main

    rna = _adata(np.arange(12).reshape(4, 3), clinical.index)
    path = od.io.write_h5mu(od.io.make_cohort({"rna": rna}, clinical, name="toy"), tmp_path / "toy.h5mu")
    with h5py.File(path) as handle:  # compressed on disk
        assert handle["mod/rna/X"].compression == "gzip"
    backed = od.io.read_h5mu(path, backed=True)
    assert backed.mod["rna"].isbacked
    assert od.io.describe_cohort(backed).splitlines()[1] == "  rna: 4 patients x 3 features, 0.0% missing"
    assert main(["info", str(path), "--qc-table", str(tmp_path / "qc.tsv"), "--min-patients", "4"]) == 0
    qc = pd.read_csv(tmp_path / "qc.tsv", sep="\t")
    assert qc.loc[0, "patients"] == 4 and qc.loc[0, "max"] == 11
    assert "cohort toy: 4 patients" in capsys.readouterr().out
    assert main(["info", str(path), "--min-patients", "5"]) == 2
    assert "has 4 patients, fewer than the 5 required" in capsys.readouterr().err
    assert main(["info", str(path), "--min-events", "3"]) == 2
