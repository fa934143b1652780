"""Survival analysis on lifelines: Kaplan-Meier, log-rank, C-index, Cox models, prognosis labels."""

from __future__ import annotations

from omicsdl.survival._concordance import concordance_index
from omicsdl.survival._cox_groups import cox_group_hazard_ratios
from omicsdl.survival._cox_univariate import MIN_EVENTS, cox_univariate, select_cox_features
from omicsdl.survival._km import LogrankResult, kaplan_meier, logrank, survival_arrays
from omicsdl.survival._labels import DEFAULT_HORIZON_DAYS, PROGNOSIS_GROUPS, prognosis_labels

__all__ = [
    "DEFAULT_HORIZON_DAYS",
    "MIN_EVENTS",
    "PROGNOSIS_GROUPS",
    "LogrankResult",
    "concordance_index",
    "cox_group_hazard_ratios",
    "cox_univariate",
    "kaplan_meier",
    "logrank",
    "prognosis_labels",
    "select_cox_features",
    "survival_arrays",
]
