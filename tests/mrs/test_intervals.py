"""Intervals of the cCNN's metrics and the Holm adjustment, against scipy/statsmodels and by property."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests

from omicsdl.mrs._intervals import bootstrap_auc_ci, clopper_pearson, holm_adjust


@pytest.mark.parametrize(("k", "n"), [(0, 7), (6, 7), (7, 7), (9, 10), (16, 17)])
def test_clopper_pearson_is_the_beta_quantile_interval(k, n):
    lo, hi = clopper_pearson(k, n)
    expected_lo = 0.0 if k == 0 else beta.ppf(0.025, k, n - k + 1)
    expected_hi = 1.0 if k == n else beta.ppf(0.975, k + 1, n - k)
    np.testing.assert_allclose([lo, hi], [expected_lo, expected_hi], rtol=1e-8, atol=1e-12)
    assert lo <= k / n <= hi


def test_clopper_pearson_known_values_and_refusals():
    # 7/7 (the paper's sensitivity): the exact lower bound is 0.025 ** (1 / 7)
    assert clopper_pearson(7, 7)[0] == pytest.approx(0.025 ** (1 / 7))
    assert clopper_pearson(9, 10, level=0.9)[1] < clopper_pearson(9, 10)[1]
    with pytest.raises(ValueError, match="0 <= k <= n"):
        clopper_pearson(8, 7)
    with pytest.raises(ValueError, match="0 <= k <= n"):
        clopper_pearson(0, 0)


def test_bootstrap_auc_interval_is_seeded_and_covers_the_auc():
    rng = np.random.default_rng(0)
    y = np.array([1] * 7 + [0] * 10)
    score = np.concatenate([rng.normal(1, 1, 7), rng.normal(0, 1, 10)])
    auc = roc_auc_score(y, score)
    lo, hi = bootstrap_auc_ci(y, score, n_boot=2000, rng=1)
    assert lo < auc < hi and 0 <= lo and hi <= 1
    assert bootstrap_auc_ci(y, score, n_boot=2000, rng=1) == (lo, hi)
    # perfect separation stays perfect in every within-class resample; ties count one half
    assert bootstrap_auc_ci(y, np.arange(17)[::-1], n_boot=50, rng=0) == (1.0, 1.0)
    assert bootstrap_auc_ci(y, np.zeros(17), n_boot=50, rng=0) == (0.5, 0.5)
    with pytest.raises(ValueError, match="one positive and one negative"):
        bootstrap_auc_ci(np.ones(5), np.arange(5), n_boot=10, rng=0)


def test_holm_matches_the_step_down_by_hand():
    p = {"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5}
    # sorted 0.01, 0.03, 0.04, 0.5 times 4, 3, 2, 1, then running maximum
    assert holm_adjust(p) == pytest.approx({"a": 0.04, "c": 0.09, "b": 0.09, "d": 0.5})
    assert holm_adjust({}) == {}
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(0, 0.05, 6), rng.uniform(0, 1, 11), [0.02, 0.02]])  # with ties
    mine = holm_adjust({f"m{i}": v for i, v in enumerate(values)})
    np.testing.assert_allclose(list(mine.values()), multipletests(values, method="holm")[1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=17))
def test_holm_never_lowers_a_p_value_and_keeps_their_order(values):
    p = {f"m{i}": v for i, v in enumerate(values)}
    adj = holm_adjust(p)
    assert all(p[k] <= adj[k] <= 1 for k in p)
    order = sorted(p, key=p.get)
    assert all(adj[a] <= adj[b] for a, b in itertools.pairwise(order))
