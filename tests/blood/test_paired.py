"""Paired DeLong tests between every pair of methods: oracles (direct DeLong per pair, statsmodels' Holm)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.multitest import multipletests

import omicsdl as od
from omicsdl.blood._paired import paired_delong_tests


def _scores(rng, y, shape=()):
    return {
        "a": y * 1.2 + rng.normal(size=(*shape, y.size)),
        "b": y * 0.8 + rng.normal(size=(*shape, y.size)),
        "c": y * 0.3 + rng.normal(size=(*shape, y.size)),
    }


def test_one_test_set_equals_delong_per_pair_and_holm():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(40), np.zeros(30)].astype(int)
    scores = _scores(rng, y)
    tests = paired_delong_tests(y, scores)
    assert list(tests) == [("a", "b"), ("a", "c"), ("b", "c")]
    direct = {k: od.metrics.delong_paired_test(y, scores[k[0]], scores[k[1]]) for k in tests}
    for key, t in tests.items():
        assert_allclose([t.auc_difference, t.ci_low, t.ci_high, t.p],
                        [direct[key].difference, direct[key].ci_low, direct[key].ci_high, direct[key].p_value],
                        rtol=1e-10)  # fmt: skip
    holm = multipletests([direct[k].p_value for k in tests], method="holm")[1]
    assert_allclose([t.p_holm for t in tests.values()], holm, rtol=1e-12)


def test_repeats_average_differences_and_variances():
    rng = np.random.default_rng(1)
    y = np.r_[np.ones(25), np.zeros(20)].astype(int)
    scores = _scores(rng, y, shape=(4,))
    t = paired_delong_tests(y, scores)[("a", "c")]
    per_repeat = [od.metrics.delong_paired_test(y, scores["a"][r], scores["c"][r]) for r in range(4)]
    diff = np.mean([r.difference for r in per_repeat])
    var = np.mean([r.variance for r in per_repeat])
    assert t.auc_difference == pytest.approx(diff, rel=1e-12)
    assert (t.ci_high - t.ci_low) / 2 == pytest.approx(1.959963984540054 * np.sqrt(var), rel=1e-9)


def test_comparison_reports_every_pair_consistently(small_result):
    assert len(small_result.paired_tests) == 6
    for evaluation in ("cv", "validation"):
        tests = [p.get(evaluation) for p in small_result.paired_tests]
        assert_allclose([t.p_holm for t in tests], multipletests([t.p for t in tests], method="holm")[1])
        for pair, t in zip(small_result.paired_tests, tests, strict=True):
            a, b = small_result.scores(pair.a, evaluation), small_result.scores(pair.b, evaluation)
            assert t.auc_difference == pytest.approx(a.auc - b.auc, abs=1e-12)
            assert t.ci_low < t.auc_difference < t.ci_high and t.p <= t.p_holm <= 1
    flipped = small_result.paired_test("tree", "mlp", "validation")
    assert flipped.auc_difference == pytest.approx(
        -small_result.paired_test("mlp", "tree", "validation").auc_difference
    )
    # metrics.json: one entry per pair with the contract keys
    entries = small_result.to_dict()["paired_tests"]
    assert len(entries) == 6
    assert {"a", "b", "auc_difference", "ci_low", "ci_high", "p", "p_holm"} <= set(entries[0])
    assert set(entries[0]["validation"]) == {"auc_difference", "ci_low", "ci_high", "p", "p_holm"}
