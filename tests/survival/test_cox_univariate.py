"""Univariate Cox screen: agrees with lifelines (Efron ties) and refuses bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from omicsdl import InputError
from omicsdl.survival import cox_univariate, select_cox_features


@pytest.fixture(scope="module")
def lihc(request):
    """The embedded TCGA-LIHC demo (session-cached by tests/conftest.py; do not modify)."""
    return request.getfixturevalue("_demo_cohort")


@pytest.fixture(scope="module")
def mirna(lihc):
    m = lihc
    X = np.log2(np.asarray(m["mirna"].X[:, :12], dtype=float) + 1)
    return X, m.obs["os_days"].to_numpy(), m.obs["os_event"].to_numpy(), list(m["mirna"].var_names[:12])


def test_matches_lifelines_on_real_mirna(mirna):
    from lifelines import CoxPHFitter

    X, t, e, names = mirna
    assert len(np.unique(t[e])) < e.sum()  # the real data have tied death times: Efron matters
    table = cox_univariate(X, t, e, feature_names=names)
    for j in range(4):
        frame = pd.DataFrame({"x": X[:, j], "T": t, "E": e})
        ref = CoxPHFitter().fit(frame, "T", "E").summary.loc["x"]
        row = table.iloc[j]
        assert_allclose(row["coef"], ref["coef"], rtol=1e-5, atol=1e-8)
        assert_allclose(row["se"], ref["se(coef)"], rtol=1e-5)
        assert_allclose(row["p_value"], ref["p"], rtol=1e-4)
    assert table["converged"].all()
    assert list(table.index) == names


def test_bh_adjusted_not_below_raw(mirna):
    X, t, e, _ = mirna
    table = cox_univariate(X, t, e)
    assert (table["p_adj"] >= table["p_value"] - 1e-15).all()


def test_too_few_events_refused(mirna):
    X, t, e, _ = mirna
    few = e.copy()
    few[np.flatnonzero(e)[5:]] = False
    with pytest.raises(InputError, match="only 5 observed event"):
        cox_univariate(X, t, few)


def test_constant_feature_raises_or_is_skipped(mirna):
    X, t, e, _ = mirna
    X = X.copy()
    X[:, 3] = 2.5
    with pytest.raises(InputError, match="constant feature") as err:
        cox_univariate(X, t, e, feature_names=[f"g{j}" for j in range(X.shape[1])])
    assert "g3" in str(err.value)
    table = cox_univariate(X, t, e, on_constant="skip")
    assert np.isnan(table["p_value"].iloc[3])
    assert table["p_value"].drop(index="f3").notna().all()


def test_no_significant_feature_stops():
    rng = np.random.default_rng(1)  # synthetic: survival independent of the features
    X = rng.normal(size=(120, 5))
    t = rng.exponential(100, size=120)
    e = rng.random(120) < 0.6
    table = cox_univariate(X, t, e)
    with pytest.raises(InputError, match="no survival subtypes are formed"):
        select_cox_features(table, alpha=1e-6)


@settings(max_examples=15, deadline=None)
@given(st.floats(0.1, 10), st.floats(-5, 5))
def test_coefficient_is_scale_equivariant(scale, shift):
    rng = np.random.default_rng(3)  # synthetic
    x = rng.normal(size=80)
    t = rng.exponential(np.exp(-0.7 * x))
    e = rng.random(80) < 0.8
    base = cox_univariate(x, t, e)["coef"].iloc[0]
    moved = cox_univariate(x * scale + shift, t, e)["coef"].iloc[0]
    assert_allclose(moved * scale, base, rtol=1e-6)
