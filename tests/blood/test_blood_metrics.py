"""DeLong AUC variance, thresholds and threshold metrics."""

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


def test_youden_threshold_and_metrics():
    y = np.array([0, 0, 0, 1, 1, 1])
    s = np.array([0.1, 0.2, 0.6, 0.5, 0.8, 0.9])
    thr = od.blood.choose_threshold(y, s)
    tm = od.metrics.threshold_metrics(y, s, thr)
    assert tm.sensitivity + tm.specificity - 1 == pytest.approx(2 / 3)
    assert (tm.tp, tm.fn, tm.tn, tm.fp) in {(3, 0, 2, 1), (2, 1, 3, 0)}


@pytest.mark.parametrize("target", [0.5, 0.8, 0.95, 1.0])
def test_target_sensitivity_threshold_reaches_target(target):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    s = rng.normal(size=200) + y
    thr = od.blood.choose_threshold(y, s, rule=target)
    assert od.metrics.threshold_metrics(y, s, thr).sensitivity >= target
    # the highest such threshold: a slightly higher one falls below the target
    higher = s[s > thr].min() if (s > thr).any() else np.inf
    assert od.metrics.threshold_metrics(y, s, higher).sensitivity < target


def test_bad_threshold_rule():
    with pytest.raises(InputError, match="threshold rule"):
        od.blood.choose_threshold(np.array([0, 1]), np.array([0.1, 0.9]), rule="otsu")


def test_calibration_summary_perfect_probabilities():
    rng = np.random.default_rng(2)
    p = rng.uniform(size=20000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    cal = od.metrics.calibration_summary(y, p)
    assert_allclose(cal["brier"], 1 / 6, atol=0.01)
    for b in cal["bins"]:
        assert abs(b["mean_predicted"] - b["observed_fraction"]) < 0.03
