"""The nine-gene blood panel (Xie et al. 2018): HCC vs controls from peripheral-blood expression.

A small neural network against logistic regression, LDA and a classification
tree, compared leakage-free with repeated cross-validation and an optional
validation series; readers for GEO, qPCR and plain tables; a labelled simulator.

Inside: ``_module`` (the torch network), ``_model`` (the fitted classifier),
``_evaluate`` (the comparison, compute only), ``_results`` (the typed result
that writes and reads its folder), ``_plot`` (its figures), ``_panel``,
``_threshold``, ``_fit``, ``_read`` and ``_simulate``.
"""

from __future__ import annotations

from omicsdl.blood._evaluate import compare_blood_classifiers
from omicsdl.blood._fit import fit_blood_classifier, predict_blood
from omicsdl.blood._model import BloodPanelClassifier
from omicsdl.blood._module import PanelMLP
from omicsdl.blood._panel import (
    NINE_GENE_PANEL,
    PANEL_ALIASES,
    PanelData,
    binary_labels,
    extract_panel,
    is_synthetic,
    resolve_aliases,
)
from omicsdl.blood._plot import (
    plot_blood_calibration,
    plot_blood_confusion,
    plot_blood_roc,
    plot_blood_roc_summary,
)
from omicsdl.blood._read import BLOOD_INPUT_FORMATS, attach_labels, load_blood_cohorts, read_blood_expression
from omicsdl.blood._results import (
    BLOOD_METHODS,
    BloodComparison,
    BloodMethodResult,
    BloodScores,
    BloodSettings,
    Confusion,
    RocCurve,
)
from omicsdl.blood._simulate import BLOOD_COHORT_SIZES, bayes_auc, simulate_blood_cohort, split_blood_cohort
from omicsdl.blood._threshold import ThresholdRule, choose_threshold

__all__ = [
    "BLOOD_COHORT_SIZES",
    "BLOOD_INPUT_FORMATS",
    "BLOOD_METHODS",
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "BloodComparison",
    "BloodMethodResult",
    "BloodPanelClassifier",
    "BloodScores",
    "BloodSettings",
    "Confusion",
    "PanelData",
    "PanelMLP",
    "RocCurve",
    "ThresholdRule",
    "attach_labels",
    "bayes_auc",
    "binary_labels",
    "choose_threshold",
    "compare_blood_classifiers",
    "extract_panel",
    "fit_blood_classifier",
    "is_synthetic",
    "load_blood_cohorts",
    "plot_blood_calibration",
    "plot_blood_confusion",
    "plot_blood_roc",
    "plot_blood_roc_summary",
    "predict_blood",
    "read_blood_expression",
    "resolve_aliases",
    "simulate_blood_cohort",
    "split_blood_cohort",
]
