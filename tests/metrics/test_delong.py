"""DeLong AUC and its variance: brute-force oracle with ties, properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn.metrics import roc_auc_score

import omicsdl as od
from omicsdl import InputError


def _delong_bruteforce(y, s):
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    return psi.mean(), np.var(v10, ddof=1) / pos.size + np.var(v01, ddof=1) / neg.size


def test_delong_matches_bruteforce_with_ties():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(23), np.zeros(17)].astype(int)
    s = np.round(rng.normal(size=40) + 0.8 * y, 1)  # rounding creates ties
    auc, var, lo, hi = od.metrics.auc_delong(y, s)
    ref_auc, ref_var = _delong_bruteforce(y, s)
    assert_allclose(auc, ref_auc, rtol=1e-12)
    assert_allclose(auc, roc_auc_score(y, s), rtol=1e-12)
    assert_allclose(var, ref_var, rtol=1e-10)
    assert_allclose(
        [lo, hi], [auc - 1.959963984540054 * np.sqrt(var), auc + 1.959963984540054 * np.sqrt(var)]
    )


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.floats(-5, 5, allow_nan=False), min_size=6, max_size=40),
    data=st.data(),
)
def test_auc_properties(scores, data):
    s = np.asarray(scores)
    y = np.asarray(data.draw(st.lists(st.integers(0, 1), min_size=s.size, max_size=s.size)))
    if y.min() == y.max():
        y[0] = 1 - y[0]
    auc, var, lo, hi = od.metrics.auc_delong(y, s)
    assert 0.0 <= lo <= auc <= hi <= 1.0
    assert var >= 0
    assert_allclose(od.metrics.auc_delong(y, -s)[0], 1 - auc, atol=1e-12)


def test_auc_needs_both_classes():
    with pytest.raises(InputError, match="both classes"):
        od.metrics.auc_delong(np.ones(5), np.arange(5.0))
