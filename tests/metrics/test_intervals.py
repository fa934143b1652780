"""Clopper–Pearson and bootstrap AUC intervals: oracles (scipy's exact binomial CI, DeLong), coverage, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.stats import beta, binomtest

import omicsdl as od
from omicsdl import InputError


@pytest.mark.parametrize(("k", "n"), [(0, 7), (7, 7), (9, 10), (3, 17), (52, 86)])
def test_clopper_pearson_matches_scipy_and_beta_quantiles(k, n):
    low, high = od.metrics.clopper_pearson(k, n)
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    assert_allclose([low, high], [ci.low, ci.high], rtol=1e-9, atol=1e-12)
    ref_low = 0.0 if k == 0 else beta.ppf(0.025, k, n - k + 1)
    ref_high = 1.0 if k == n else beta.ppf(0.975, k + 1, n - k)
    assert_allclose([low, high], [ref_low, ref_high], rtol=1e-9, atol=1e-12)


def test_clopper_pearson_level_and_bad_input():
    narrow, wide = od.metrics.clopper_pearson(9, 10, level=0.8), od.metrics.clopper_pearson(9, 10, level=0.99)
    assert wide[0] < narrow[0] < 0.9 < narrow[1] < wide[1]
    for k, n, match in [(3, 2, "0 <= k <= n"), (-1, 5, "0 <= k <= n"), (1, 0, "n >= 1"), (1.5, 3, "whole")]:
        with pytest.raises(InputError, match=match):
            od.metrics.clopper_pearson(k, n)
    with pytest.raises(InputError, match="level"):
        od.metrics.clopper_pearson(1, 3, level=1.0)


def test_bootstrap_close_to_delong_on_a_large_sample_and_reproducible():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(300), np.zeros(300)].astype(int)
    s = y + rng.normal(size=600)
    _, _, lo, hi = od.metrics.auc_delong(y, s)
    blo, bhi = od.metrics.bootstrap_auc_ci(y, s, n_boot=1000, rng=1)
    assert_allclose([blo, bhi], [lo, hi], atol=0.012)
    assert od.metrics.bootstrap_auc_ci(y, s, n_boot=300, rng=5) == od.metrics.bootstrap_auc_ci(
        y, s, n_boot=300, rng=5
    )


def test_bootstrap_coverage_on_small_samples():
    # 17 patients (7 HCC, 10 controls) as in the MRS classification; true AUC of N(1, 1) vs N(0, 1) is 0.760
    rng = np.random.default_rng(2)
    y = np.r_[np.ones(7), np.zeros(10)].astype(int)
    hits = 0
    for _ in range(150):
        lo, hi = od.metrics.bootstrap_auc_ci(y, y + rng.normal(size=17), n_boot=300, rng=rng)
        hits += lo <= 0.7602 <= hi
    assert 0.85 <= hits / 150 <= 0.99  # percentile bootstrap under-covers slightly at n = 17


def test_bootstrap_bad_input():
    y = np.array([0, 1, 0, 1])
    with pytest.raises(InputError, match="n_boot"):
        od.metrics.bootstrap_auc_ci(y, np.arange(4.0), n_boot=10)
    with pytest.raises(InputError, match="both classes"):
        od.metrics.bootstrap_auc_ci(np.zeros(4), np.arange(4.0))
    with pytest.raises(InputError, match="level"):
        od.metrics.bootstrap_auc_ci(y, np.arange(4.0), level=0)
