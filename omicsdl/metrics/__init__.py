"""Classification metrics shared by the systems: DeLong AUC intervals, threshold metrics, calibration."""

from __future__ import annotations

from omicsdl.metrics._calibration import calibration_summary
from omicsdl.metrics._delong import auc_delong
from omicsdl.metrics._threshold_metrics import ThresholdMetrics, threshold_metrics

__all__ = ["ThresholdMetrics", "auc_delong", "calibration_summary", "threshold_metrics"]
