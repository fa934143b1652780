"""Ridge Cox with an inner-CV penalty, held-out metrics on scikit-survival, paired CV intervals, permutation p."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import omicsdl as od


def _synthetic(n: int = 300, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))  # SYNTHETIC: covariate 0 sets the hazard
    t = rng.exponential(1000 * np.exp(-0.8 * x[:, 0]))
    c = rng.exponential(1500, size=n)
    return x, np.minimum(t, c), t <= c


def test_ridge_cox_matches_lifelines_and_picks_a_penalty_from_the_grid():
    import pandas as pd
    from lifelines import CoxPHFitter

    x, t, e = _synthetic()
    fit = od.survival.fit_ridge_cox(x, t, e, alphas=(1e-6,), rng=0)  # (almost) unpenalised
    z = fit.standardise(x)
    ref = CoxPHFitter().fit(pd.DataFrame(z, columns=list("abcde")).assign(T=t, E=e.astype(int)), "T", "E")
    assert_allclose(fit.coef, ref.params_.to_numpy(), rtol=1e-3, atol=1e-4)  # oracle: lifelines, Efron ties
    chosen = od.survival.fit_ridge_cox(x, t, e, rng=0)
    assert chosen.alpha in od.survival.RIDGE_ALPHAS and set(chosen.inner_cindex) == set(
        od.survival.RIDGE_ALPHAS
    )
    strong = od.survival.fit_ridge_cox(x, t, e, alphas=(1e4,), rng=0)
    assert np.abs(strong.coef).sum() < np.abs(fit.coef).sum()  # the penalty shrinks
    x_gap = x.copy()
    x_gap[0, 1] = np.nan
    assert np.isfinite(od.survival.fit_ridge_cox(x_gap, t, e, rng=0).linear_predictor(x_gap)).all()


def test_heldout_metrics_agree_with_their_definitions():
    from sksurv.metrics import concordance_index_ipcw
    from sksurv.util import Surv

    x, t, e = _synthetic(600, seed=1)
    risk = x[:, 0]
    m = od.survival.heldout_metrics(t[:300], e[:300], risk[:300], t[300:], e[300:], risk[300:])
    assert_allclose(m["harrell_c"], od.survival.concordance_index(t[300:], e[300:], risk[300:]), rtol=1e-9)
    tau = min(od.survival.UNO_TAU_DAYS, t[:300].max() - 1e-9)
    inside = t[300:] < t[:300].max()
    uno = concordance_index_ipcw(
        Surv.from_arrays(e[:300], t[:300]),
        Surv.from_arrays(e[300:][inside], t[300:][inside]),
        risk[300:][inside],
        tau=tau,
    )[0]
    assert_allclose(m["uno_c"], uno, rtol=1e-9)
    assert set(m) == {"harrell_c", "uno_c", "auc_1y", "auc_3y", "auc_5y", "ibs"}
    noise = np.random.default_rng(2).normal(size=600)
    worse = od.survival.heldout_metrics(t[:300], e[:300], noise[:300], t[300:], e[300:], noise[300:])
    assert m["auc_1y"] > worse["auc_1y"] + 0.1 and m["ibs"] < worse["ibs"]
    assert 0.4 < worse["harrell_c"] < 0.6


def test_metrics_a_fold_cannot_support_are_nan():
    x, t, e = _synthetic(200)
    short = np.minimum(t, 500.0)  # nobody followed beyond 500 days: no AUC at 3 or 5 years
    m = od.survival.heldout_metrics(short[:100], e[:100], x[:100, 0], short[100:], e[100:], x[100:, 0])
    assert np.isnan(m["auc_3y"]) and np.isnan(m["auc_5y"]) and np.isfinite(m["harrell_c"])


def test_paired_interval_is_wider_than_the_naive_one():
    from scipy.stats import t as student_t

    d = np.array([0.02, 0.03, -0.01, 0.04, 0.02, 0.0, 0.01, 0.03, 0.05, -0.02])
    res = od.survival.paired_cv_difference(d, n_train=288, n_test=72)
    naive = student_t.ppf(0.975, 9) * d.std(ddof=1) / np.sqrt(10)
    assert res.ci_high - res.mean > naive  # the Nadeau-Bengio correction widens it
    assert_allclose(
        res.ci_high - res.mean, student_t.ppf(0.975, 9) * np.sqrt((0.1 + 72 / 288) * d.var(ddof=1))
    )
    with pytest.raises(od.InputError, match="at least two folds"):
        od.survival.paired_cv_difference([0.1], n_train=10, n_test=2)


@given(st.lists(st.floats(-1, 1), min_size=2, max_size=30), st.floats(0.5, 0.99))
def test_paired_interval_contains_its_mean(diffs, level):
    res = od.survival.paired_cv_difference(diffs, n_train=100, n_test=25, level=level)
    assert res.ci_low <= res.mean <= res.ci_high


@given(st.floats(-5, 5), st.lists(st.floats(-5, 5), min_size=1, max_size=50))
def test_permutation_p_is_never_zero_and_at_most_one(observed, null):
    p = od.survival.permutation_p_value(observed, null)
    assert 1 / (1 + len(null)) <= p <= 1
