"""(namespace filled as modules land)."""

from omicsdl.tl._blood_compare import (
    BLOOD_METHODS,
    BloodComparison,
    compare_blood_classifiers,
    write_blood_comparison,
)
from omicsdl.tl._blood_metrics import ThresholdMetrics, auc_delong, calibration_summary, threshold_metrics

__all__ = [
    *globals().get("__all__", []),
    "BLOOD_METHODS",
    "BloodComparison",
    "ThresholdMetrics",
    "auc_delong",
    "calibration_summary",
    "compare_blood_classifiers",
    "threshold_metrics",
    "write_blood_comparison",
]

from omicsdl.tl._blood_fit import fit_blood_classifier, predict_blood

__all__ += ["fit_blood_classifier", "predict_blood"]
