"""The nine-gene blood panel (Xie et al. 2018): HCC vs controls from peripheral-blood expression.

A small neural network against logistic regression, LDA and a classification
tree, compared leakage-free with repeated cross-validation and an optional
validation series; readers for GEO, qPCR and plain tables; a labelled simulator.

Inside: ``_module`` (the torch network), ``_model`` (the fitted classifier),
``_evaluate`` (the comparison, compute only), ``_results`` (the typed result
that writes and reads its folder), ``_plot`` (its figures), ``_panel``,
``_threshold``, ``_fit``, ``_read``, ``_simulate``, ``_scenarios`` (the named
SYNTHETIC scenarios) with ``_populations`` (their class-conditional models),
``_paired`` (DeLong's paired tests between methods), ``_learning_curve`` and
``_scenario_table`` (which method wins in which scenario).
"""

from __future__ import annotations

from omicsdl.blood._evaluate import compare_blood_classifiers
from omicsdl.blood._fit import fit_blood_classifier, predict_blood
from omicsdl.blood._learning_curve import LEARNING_SIZES, blood_learning_curve
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
    plot_blood_learning_curves,
    plot_blood_roc,
    plot_blood_roc_summary,
    plot_blood_scenario_auc,
)
from omicsdl.blood._read import BLOOD_INPUT_FORMATS, attach_labels, load_blood_cohorts, read_blood_expression
from omicsdl.blood._results import (
    BLOOD_METHODS,
    BloodComparison,
    BloodMethodResult,
    BloodScenarioTable,
    BloodScores,
    BloodSettings,
    Confusion,
    PairedComparison,
    PairedTest,
    RocCurve,
    ScenarioTableSettings,
    ScenarioVerdict,
)
from omicsdl.blood._scenario_table import compare_blood_scenarios
from omicsdl.blood._scenarios import BLOOD_SCENARIOS, BayesAUC, BloodScenario, get_blood_scenario
from omicsdl.blood._simulate import (
    BLOOD_COHORT_SIZES,
    bayes_auc,
    simulate_blood_cohort,
    simulate_blood_scenario,
    split_blood_cohort,
)
from omicsdl.blood._threshold import ThresholdRule, choose_threshold

__all__ = [
    "BLOOD_COHORT_SIZES",
    "BLOOD_INPUT_FORMATS",
    "BLOOD_METHODS",
    "BLOOD_SCENARIOS",
    "LEARNING_SIZES",
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "BayesAUC",
    "BloodComparison",
    "BloodMethodResult",
    "BloodPanelClassifier",
    "BloodScenario",
    "BloodScenarioTable",
    "BloodScores",
    "BloodSettings",
    "Confusion",
    "PairedComparison",
    "PairedTest",
    "PanelData",
    "PanelMLP",
    "RocCurve",
    "ScenarioTableSettings",
    "ScenarioVerdict",
    "ThresholdRule",
    "attach_labels",
    "bayes_auc",
    "binary_labels",
    "blood_learning_curve",
    "choose_threshold",
    "compare_blood_classifiers",
    "compare_blood_scenarios",
    "extract_panel",
    "fit_blood_classifier",
    "get_blood_scenario",
    "is_synthetic",
    "load_blood_cohorts",
    "plot_blood_calibration",
    "plot_blood_confusion",
    "plot_blood_learning_curves",
    "plot_blood_roc",
    "plot_blood_roc_summary",
    "plot_blood_scenario_auc",
    "predict_blood",
    "read_blood_expression",
    "resolve_aliases",
    "simulate_blood_cohort",
    "simulate_blood_scenario",
    "split_blood_cohort",
]
