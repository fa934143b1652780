"""Metrics shared by the systems: DeLong AUC, threshold metrics, calibration, repeated-split intervals."""

from __future__ import annotations

from omicsdl.metrics._calibration import calibration_summary
from omicsdl.metrics._delong import auc_delong
from omicsdl.metrics._paired_difference import ScoreInterval, paired_difference, score_interval
from omicsdl.metrics._threshold_metrics import ThresholdMetrics, threshold_metrics

__all__ = [
    "ScoreInterval",
    "ThresholdMetrics",
    "auc_delong",
    "calibration_summary",
    "paired_difference",
    "score_interval",
    "threshold_metrics",
]
