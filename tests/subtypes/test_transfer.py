"""Transfer of fitted subtypes to an external mRNA cohort (a real 40-patient fixture)."""

from __future__ import annotations

import pytest

import omicsdl as od
from omicsdl import InputError
from tests.subtypes.conftest import copy_cohort


def test_transfer_to_unnamed_cohort_fixture(fitted, lihc, test_data):
    ext = od.subtypes.read_expression_survival_table(
        test_data / "subtypes" / "hcc150_first40_120genes.csv.gz"
    )
    res = od.subtypes.transfer_subtypes(fitted, lihc, ext, rng=0)
    assert res.n_shared_features == 120
    assert res.n_patients == 40
    assert res.cindex is None or 0 <= res.cindex <= 1
    assert set(res.predictions["subtype"]) <= set(fitted.subtypes_)
    other = copy_cohort(ext)
    other.mod["rna"].var_names = [f"rna:X{i}" for i in range(other.mod["rna"].n_vars)]
    other.mod["rna"].var["symbol"] = [f"X{i}" for i in range(other.mod["rna"].n_vars)]
    with pytest.raises(InputError, match="shares none of the 365 training rna features"):
        od.subtypes.transfer_subtypes(fitted, lihc, other)
