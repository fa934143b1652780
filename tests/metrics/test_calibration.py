"""Brier score and the quantile reliability table."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

import omicsdl as od


def test_calibration_summary_perfect_probabilities():
    rng = np.random.default_rng(2)
    p = rng.uniform(size=20000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    cal = od.metrics.calibration_summary(y, p)
    assert_allclose(cal["brier"], 1 / 6, atol=0.01)
    for b in cal["bins"]:
        assert abs(b["mean_predicted"] - b["observed_fraction"]) < 0.03
