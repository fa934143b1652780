"""Decision thresholds chosen on training data: Youden's J and a target sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

import omicsdl as od
from omicsdl import InputError


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


def test_youden_threshold_and_metrics():
    y = np.array([0, 0, 0, 1, 1, 1])
    s = np.array([0.1, 0.2, 0.6, 0.5, 0.8, 0.9])
    thr = od.blood.choose_threshold(y, s)
    tm = od.metrics.threshold_metrics(y, s, thr)
    assert tm.sensitivity + tm.specificity - 1 == pytest.approx(2 / 3)
    assert (tm.tp, tm.fn, tm.tn, tm.fp) in {(3, 0, 2, 1), (2, 1, 3, 0)}
