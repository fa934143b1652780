"""Preprocessing: filters, log transform, imputation and scaling with fitted state."""

from __future__ import annotations

from omicsdl.pp._cohort import DEFAULT_LOG_TRANSFORM, preprocess_cohort
from omicsdl.pp._preprocessor import PreprocessingReport, Preprocessor

__all__ = ["DEFAULT_LOG_TRANSFORM", "PreprocessingReport", "Preprocessor", "preprocess_cohort"]
