"""DeLong's paired test: oracle against a direct O(m n) computation, calibration under H0, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

import omicsdl as od
from omicsdl import InputError


def _paired_direct(y, a, b):
    """DeLong et al. (1988) eqs. (3)-(5) written out with the psi kernel, no ranks."""
    out = []
    for s in (a, b):
        pos, neg = s[y == 1], s[y == 0]
        psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
        out.append((psi.mean(), psi.mean(axis=1), psi.mean(axis=0)))
    (auc_a, v10a, v01a), (auc_b, v10b, v01b) = out
    m, n = v10a.size, v01a.size
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    c = np.array([1.0, -1.0])
    var = c @ s10 @ c / m + c @ s01 @ c / n
    return auc_a, auc_b, var


def test_paired_matches_direct_computation_with_ties():
    rng = np.random.default_rng(1)
    y = np.r_[np.ones(31), np.zeros(22)].astype(int)
    a = np.round(y * 0.9 + rng.normal(size=y.size), 1)  # rounding makes ties
    b = np.round(0.6 * a + y * 0.3 + rng.normal(scale=0.8, size=y.size), 1)
    res = od.metrics.delong_paired_test(y, a, b)
    auc_a, auc_b, var = _paired_direct(y, a, b)
    assert_allclose([res.auc_a, res.auc_b], [auc_a, auc_b], rtol=1e-12)
    assert_allclose([res.auc_a, res.auc_b], [roc_auc_score(y, a), roc_auc_score(y, b)], rtol=1e-12)
    assert_allclose(res.variance, var, rtol=1e-10)
    z = (auc_a - auc_b) / np.sqrt(var)
    assert_allclose(res.z, z, rtol=1e-10)
    assert_allclose(res.p_value, 2 * norm.sf(abs(z)), rtol=1e-10)
    half = norm.ppf(0.975) * np.sqrt(var)
    assert_allclose([res.ci_low, res.ci_high], [auc_a - auc_b - half, auc_a - auc_b + half], rtol=1e-10)
    # against a constant score (no variance of its own) the paired variance is the single-AUC variance
    assert_allclose(od.metrics.auc_delong(y, a)[1], _paired_direct(y, a, np.zeros_like(a))[2], rtol=1e-10)


def test_antisymmetric_and_identical_scores():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=40)
    y[:2] = [0, 1]
    a, b = rng.normal(size=40) + y, rng.normal(size=40) + 0.5 * y
    ab, ba = od.metrics.delong_paired_test(y, a, b), od.metrics.delong_paired_test(y, b, a)
    assert_allclose(ab.difference, -ba.difference)
    assert_allclose(ab.p_value, ba.p_value)
    same = od.metrics.delong_paired_test(y, a, 3 * a + 1)  # a monotone transform ranks identically
    assert same.difference == 0 and same.variance == pytest.approx(0, abs=1e-15) and same.p_value == 1.0


def test_type_one_error_near_nominal_under_h0():
    # two scores with the same AUC (independent noise of the same size): p < 0.05 in about 5 % of draws
    rng = np.random.default_rng(3)
    y = np.r_[np.ones(60), np.zeros(40)].astype(int)
    p = []
    for _ in range(400):
        signal = rng.normal(size=100) + 0.8 * y
        p.append(
            od.metrics.delong_paired_test(
                y, signal + rng.normal(size=100), signal + rng.normal(size=100)
            ).p_value
        )
    rate = float(np.mean(np.asarray(p) < 0.05))
    assert 0.02 <= rate <= 0.09, rate


def test_power_against_a_real_difference():
    rng = np.random.default_rng(4)
    # expected AUCs Phi(2/sqrt 2) = 0.921 and Phi(0.5/sqrt 2) = 0.638: a difference of 0.28
    y = np.r_[np.ones(200), np.zeros(200)].astype(int)
    res = od.metrics.delong_paired_test(y, 2.0 * y + rng.normal(size=400), 0.5 * y + rng.normal(size=400))
    assert res.ci_low < 0.283 < res.ci_high and res.p_value < 1e-6


def test_bad_input():
    y = np.array([0, 1, 0, 1])
    with pytest.raises(InputError, match="differ in shape"):
        od.metrics.delong_paired_test(y, np.arange(4.0), np.arange(3.0))
    with pytest.raises(InputError, match="both classes"):
        od.metrics.delong_paired_test(np.ones(4), np.arange(4.0), np.arange(4.0))
    with pytest.raises(InputError, match="NaN"):
        od.metrics.delong_paired_test(y, np.array([0, 1, np.nan, 2]), np.arange(4.0))
    with pytest.raises(InputError, match="0/1"):
        od.metrics.delong_paired_test(np.array([0, 2, 0, 1]), np.arange(4.0), np.arange(4.0))
