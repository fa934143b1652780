"""Survival analysis on lifelines: Kaplan-Meier, log-rank, C-index, Cox models."""

from __future__ import annotations

from omicsdl.survival._concordance import concordance_index
from omicsdl.survival._km import LogrankResult, kaplan_meier, logrank, survival_arrays

__all__ = ["LogrankResult", "concordance_index", "kaplan_meier", "logrank", "survival_arrays"]

from omicsdl.survival._cox_groups import cox_group_hazard_ratios
from omicsdl.survival._cox_univariate import MIN_EVENTS, cox_univariate, select_cox_features

__all__ += ["MIN_EVENTS", "cox_group_hazard_ratios", "cox_univariate", "select_cox_features"]
