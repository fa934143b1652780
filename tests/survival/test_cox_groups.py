"""Hazard ratios per group against a reference group."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from omicsdl import InputError
from omicsdl.survival import cox_group_hazard_ratios


@pytest.fixture(scope="module")
def lihc(request):
    """The embedded TCGA-LIHC demo (session-cached by tests/conftest.py; do not modify)."""
    return request.getfixturevalue("_demo_cohort")


def test_sex_hazard_ratio_matches_lifelines(lihc):
    from lifelines import CoxPHFitter

    obs = lihc.obs
    table = cox_group_hazard_ratios(obs["os_days"], obs["os_event"], obs["sex"], reference="female")
    frame = obs[["os_days", "os_event"]].assign(male=(obs["sex"] == "male").astype(float))
    ref = CoxPHFitter().fit(frame, "os_days", "os_event").summary.loc["male"]
    assert_allclose(table.loc["male", "hazard_ratio"], ref["exp(coef)"], rtol=1e-6)
    assert table.loc["male", "ci_low"] < table.loc["male", "hazard_ratio"] < table.loc["male", "ci_high"]
    assert table.loc["female", "hazard_ratio"] == 1.0
    assert table["n"].sum() == 360
    assert table["events"].sum() == 124


def test_needs_two_groups():
    with pytest.raises(InputError, match="at least two groups"):
        cox_group_hazard_ratios([1.0, 2.0, 3.0], [1, 0, 1], ["a", "a", "a"])
    with pytest.raises(InputError, match="reference group"):
        cox_group_hazard_ratios(np.arange(1, 7.0), [1, 0, 1, 1, 0, 1], list("aaabbb"), reference="c")
