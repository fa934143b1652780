"""Survival analysis on lifelines and scikit-survival.

Kaplan-Meier, log-rank, Harrell's C, Cox models (univariate screens, group
hazard ratios, ridge Cox with an inner-CV penalty), held-out metrics (Uno's C,
time-dependent AUC, integrated Brier score), paired fold comparisons,
permutation p-values and prognosis labels.
"""

from __future__ import annotations

from omicsdl.survival._concordance import concordance_index
from omicsdl.survival._cox_groups import cox_group_hazard_ratios
from omicsdl.survival._cox_univariate import MIN_EVENTS, cox_univariate, select_cox_features
from omicsdl.survival._cv_compare import PairedDifference, paired_cv_difference
from omicsdl.survival._heldout_metrics import DEFAULT_HORIZONS_DAYS, UNO_TAU_DAYS, heldout_metrics
from omicsdl.survival._km import LogrankResult, kaplan_meier, logrank, survival_arrays
from omicsdl.survival._labels import DEFAULT_HORIZON_DAYS, PROGNOSIS_GROUPS, prognosis_labels
from omicsdl.survival._permutation import permutation_p_value
from omicsdl.survival._ridge_cox import RIDGE_ALPHAS, RidgeCoxFit, fit_ridge_cox

__all__ = [
    "DEFAULT_HORIZONS_DAYS",
    "DEFAULT_HORIZON_DAYS",
    "MIN_EVENTS",
    "PROGNOSIS_GROUPS",
    "RIDGE_ALPHAS",
    "UNO_TAU_DAYS",
    "LogrankResult",
    "PairedDifference",
    "RidgeCoxFit",
    "concordance_index",
    "cox_group_hazard_ratios",
    "cox_univariate",
    "fit_ridge_cox",
    "heldout_metrics",
    "kaplan_meier",
    "logrank",
    "paired_cv_difference",
    "permutation_p_value",
    "prognosis_labels",
    "select_cox_features",
    "survival_arrays",
]
