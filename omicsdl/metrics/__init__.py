"""Classification metrics shared by the systems: DeLong AUC intervals, threshold metrics, calibration."""

from __future__ import annotations

from omicsdl.metrics._classification import (
    ThresholdMetrics,
    auc_delong,
    calibration_summary,
    threshold_metrics,
)

__all__ = ["ThresholdMetrics", "auc_delong", "calibration_summary", "threshold_metrics"]
