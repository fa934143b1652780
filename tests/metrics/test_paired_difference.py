"""Scores over repeated splits: the corrected t interval against a hand computation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import t as student_t

from omicsdl.metrics import paired_difference, score_interval


def test_plain_and_corrected_intervals_by_hand():
    values = np.array([0.61, 0.70, 0.66, 0.72, 0.58, 0.69])
    plain = score_interval(values)
    half = student_t.ppf(0.975, 5) * values.std(ddof=1) / np.sqrt(6)
    assert (plain.ci_low, plain.ci_high) == pytest.approx((values.mean() - half, values.mean() + half))
    corrected = score_interval(values, n_train=120, n_test=60)
    half_nb = student_t.ppf(0.975, 5) * np.sqrt((1 / 6 + 60 / 120) * values.var(ddof=1))
    assert corrected.ci_high - corrected.mean == pytest.approx(half_nb)
    assert corrected.corrected and corrected.ci_high - corrected.ci_low > plain.ci_high - plain.ci_low


def test_paired_difference_drops_missing_pairs_and_checks_lengths():
    d = paired_difference([0.7, np.nan, 0.6], [0.6, 0.5, 0.65])
    assert d.n == 2 and d.mean == pytest.approx(0.025)
    assert np.isnan(paired_difference([0.7], [0.6]).ci_low)
    with pytest.raises(ValueError, match="same length"):
        paired_difference([0.7, 0.6], [0.6])
