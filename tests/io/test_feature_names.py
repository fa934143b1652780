"""Feature names unique across a cohort's omics: ``rna:ACAT1``, the symbol in ``var["symbol"]``."""

from __future__ import annotations

import warnings

import anndata as ad
import mudata as md
import numpy as np
import pandas as pd
import pytest

import omicsdl as od


def _toy(patients, names, values):
    a = ad.AnnData(np.asarray(values, dtype=np.float32))
    a.obs_names = patients
    a.var_names = names
    return a


@pytest.fixture
def clinical():
    idx = [f"TCGA-AA-000{i}" for i in range(3)]
    return pd.DataFrame({"os_days": [10.0, 20, 30], "os_event": [1, 0, 1]}, index=idx)


def test_demo_h5mu_loads_and_slices_without_any_warning(demo_cohort, tmp_path):
    path = od.io.write_h5mu(demo_cohort, tmp_path / "demo.h5mu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mdata = md.read_h5mu(path)
        head = mdata[:10].copy()
        one = mdata[:, ["rna:ACAT1"]]
        by_symbol = mdata["rna"][:, mdata["rna"].var["symbol"] == "ACAT1"]
        both = mdata[:, ["rna:AGRN", "methylation:AGRN"]].copy()
    assert head.n_obs == 10
    assert mdata.var_names.is_unique
    assert one.mod["rna"].n_vars == 1 and one.mod["methylation"].n_vars == 0
    assert by_symbol.var_names.tolist() == ["rna:ACAT1"]
    # one symbol, two omics, two different measurements
    assert (
        both.mod["rna"].var["symbol"].tolist() == both.mod["methylation"].var["symbol"].tolist() == ["AGRN"]
    )
    assert np.nanmax(both.mod["methylation"].X) <= 1 < np.nanmax(both.mod["rna"].X)
    assert set(mdata["mirna"].var["modality"]) == {"mirna"}
    assert mdata["mirna"].var_names[0].startswith("mirna:hsa-")


def test_plain_mudata_in_a_fresh_interpreter_is_silent(demo_cohort, tmp_path):
    """No omicsdl state: only MuData's announced default (0.4) set, as omicsdl's io layer does on import.

    mudata 0.3 warns (FutureWarning) on every MuData update while ``pull_on_update``
    is unset, whatever the file holds; with it set, nothing in the file may warn.
    """
    import subprocess
    import sys

    path = od.io.write_h5mu(demo_cohort, tmp_path / "demo.h5mu")
    code = (
        "import mudata as md; md.set_options(pull_on_update=False); "
        f"m = md.read_h5mu({str(path)!r}); m[:10].copy(); m[:, ['rna:ACAT1']].copy(); "
        "r = m['rna']; r[:, r.var['symbol'] == 'ACAT1'].copy()"
    )
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_make_cohort_prefixes_without_changing_the_input(clinical):
    rna = _toy(clinical.index, ["ACAT1", "AGRN"], [[1, 2], [3, 4], [5, 6]])
    meth = _toy(clinical.index, ["AGRN"], [[0.1], [0.2], [0.3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mdata = od.io.make_cohort({"rna": rna, "methylation": meth}, clinical)
    assert mdata.var_names.tolist() == ["rna:ACAT1", "rna:AGRN", "methylation:AGRN"]
    assert mdata["methylation"].var["symbol"].tolist() == ["AGRN"]
    assert rna.var_names.tolist() == ["ACAT1", "AGRN"] and "symbol" not in rna.var
    assert od.io.feature_symbols(mdata["rna"]).tolist() == ["ACAT1", "AGRN"]
    assert od.io.index_by_symbol(mdata["rna"]).var_names.tolist() == ["ACAT1", "AGRN"]


def test_cohort_of_an_older_omicsdl_is_read_with_prefixes(tmp_path, clinical):
    """Schema version 1 wrote plain symbols, shared between rna and methylation."""
    rna = _toy(clinical.index, ["ACAT1", "AGRN"], [[1, 2], [3, 4], [5, 6]])
    meth = _toy(clinical.index, ["AGRN"], [[0.1], [0.2], [0.3]])
    with warnings.catch_warnings(), md.set_options(pull_on_update=False):
        warnings.simplefilter("ignore")  # MuData's intersecting-names warning: what the old files did
        old = md.MuData({"rna": rna, "methylation": meth})
        for column in clinical.columns:
            old.obs[column] = clinical[column].to_numpy()
        old.uns["omicsdl"] = {"schema_version": 1, "name": "old", "source": ""}
        old.write_h5mu(tmp_path / "old.h5mu")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = od.io.read_h5mu(tmp_path / "old.h5mu", require_survival=True)
        picked = back[:, ["methylation:AGRN"]].copy()
    assert back.var_names.tolist() == ["rna:ACAT1", "rna:AGRN", "methylation:AGRN"]
    assert back.uns["omicsdl"]["schema_version"] == od.io.SCHEMA_VERSION
    np.testing.assert_allclose(picked.mod["methylation"].X.ravel(), [0.1, 0.2, 0.3], rtol=1e-6)
    np.testing.assert_allclose(back["rna"][:, "rna:AGRN"].X.ravel(), [2, 4, 6])


def test_match_features_by_name_then_symbol(demo_cohort):
    rna = demo_cohort["rna"]
    # a model of an older omicsdl (plain names) and one fitted on the cohort (prefixed)
    assert od.io.match_features(["ACAT1", "rna:A1BG", "NOPE"], rna).tolist()[-1] == -1
    positions = od.io.match_features(["ACAT1", "rna:A1BG"], rna)
    assert rna.var_names[positions].tolist() == ["rna:ACAT1", "rna:A1BG"]
    plain = od.io.index_by_symbol(rna)
    assert plain.var_names[od.io.match_features(["rna:ACAT1"], plain)].tolist() == ["ACAT1"]


def test_preprocessor_of_plain_names_applies_to_a_prefixed_cohort(demo_cohort):
    plain = od.io.index_by_symbol(demo_cohort["mirna"])
    pp = od.pp.Preprocessor(log_transform=True).fit(plain)
    assert not pp.features_[0].startswith("mirna:")
    out = pp.transform(demo_cohort["mirna"])
    assert out.uns["omicsdl_pp"]["n_features_imputed"] == 0
    np.testing.assert_allclose(out.X, pp.transform(plain).X)
