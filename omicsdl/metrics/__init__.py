"""Metrics shared by the systems.

DeLong AUC intervals and DeLong's paired test of two AUCs, a stratified
bootstrap AUC interval, exact (Clopper–Pearson) intervals of proportions,
threshold metrics, calibration, Holm's adjustment, and intervals over
repeated splits.
"""

from __future__ import annotations

from omicsdl.metrics._bootstrap import bootstrap_auc_ci
from omicsdl.metrics._calibration import calibration_summary
from omicsdl.metrics._delong import PairedAUCTest, auc_delong, delong_covariance, delong_paired_test
from omicsdl.metrics._holm import holm_adjust
from omicsdl.metrics._paired_difference import ScoreInterval, paired_difference, score_interval
from omicsdl.metrics._proportion import clopper_pearson
from omicsdl.metrics._threshold_metrics import ThresholdMetrics, threshold_metrics

__all__ = [
    "PairedAUCTest",
    "ScoreInterval",
    "ThresholdMetrics",
    "auc_delong",
    "bootstrap_auc_ci",
    "calibration_summary",
    "clopper_pearson",
    "delong_covariance",
    "delong_paired_test",
    "holm_adjust",
    "paired_difference",
    "score_interval",
    "threshold_metrics",
]
