"""Survival analysis on lifelines: Kaplan-Meier, log-rank, C-index, Cox models."""

from __future__ import annotations

from omicsdl.survival._concordance import concordance_index
from omicsdl.survival._km import LogrankResult, kaplan_meier, logrank, survival_arrays

__all__ = ["LogrankResult", "concordance_index", "kaplan_meier", "logrank", "survival_arrays"]
