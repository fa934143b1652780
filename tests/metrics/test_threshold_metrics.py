"""Sensitivity, specificity and confusion counts at a threshold."""

from __future__ import annotations

import math

import numpy as np
import pytest

import omicsdl as od


def test_counts_by_hand_and_ties_at_the_threshold_are_positive():
    y = np.array([1, 1, 1, 0, 0, 0, 0])
    s = np.array([0.9, 0.5, 0.2, 0.5, 0.4, 0.1, 0.0])
    tm = od.metrics.threshold_metrics(y, s, 0.5)
    assert (tm.tp, tm.fn, tm.tn, tm.fp) == (2, 1, 3, 1)
    assert tm.sensitivity == pytest.approx(2 / 3)
    assert tm.specificity == pytest.approx(3 / 4)
    assert tm.to_dict() == {
        "threshold": 0.5, "sensitivity": tm.sensitivity, "specificity": 0.75, "tp": 2, "fn": 1, "tn": 3, "fp": 1,
    }  # fmt: skip


def test_one_class_gives_nan_not_an_error():
    tm = od.metrics.threshold_metrics(np.ones(3), np.array([0.1, 0.6, 0.9]), 0.5)
    assert tm.sensitivity == pytest.approx(2 / 3)
    assert math.isnan(tm.specificity)
