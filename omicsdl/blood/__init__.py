"""The nine-gene blood panel (Xie et al. 2018): HCC vs controls from peripheral-blood expression.

A small neural network against logistic regression, LDA and a classification
tree, compared leakage-free with repeated cross-validation and an optional
validation series; readers for GEO, qPCR and plain tables; a labelled simulator.
"""

from __future__ import annotations

from omicsdl.blood._evaluate import (
    BLOOD_METHODS,
    BloodComparison,
    compare_blood_classifiers,
    write_blood_comparison,
)
from omicsdl.blood._fit import fit_blood_classifier, predict_blood
from omicsdl.blood._model import BLOOD_MODEL_FORMAT_VERSION, BloodPanelClassifier
from omicsdl.blood._module import PanelMLP
from omicsdl.blood._panel import (
    NINE_GENE_PANEL,
    PANEL_ALIASES,
    PanelData,
    binary_labels,
    extract_panel,
    resolve_aliases,
)
from omicsdl.blood._plot import plot_blood_calibration, plot_blood_roc
from omicsdl.blood._read import BLOOD_INPUT_FORMATS, attach_labels, read_blood_expression
from omicsdl.blood._simulate import BLOOD_COHORT_SIZES, bayes_auc, simulate_blood_cohort
from omicsdl.blood._threshold import choose_threshold

__all__ = [
    "BLOOD_COHORT_SIZES",
    "BLOOD_INPUT_FORMATS",
    "BLOOD_METHODS",
    "BLOOD_MODEL_FORMAT_VERSION",
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "BloodComparison",
    "BloodPanelClassifier",
    "PanelData",
    "PanelMLP",
    "attach_labels",
    "bayes_auc",
    "binary_labels",
    "choose_threshold",
    "compare_blood_classifiers",
    "extract_panel",
    "fit_blood_classifier",
    "plot_blood_calibration",
    "plot_blood_roc",
    "predict_blood",
    "read_blood_expression",
    "resolve_aliases",
    "simulate_blood_cohort",
    "write_blood_comparison",
]
