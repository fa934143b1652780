"""Preprocessing: filters, most-variable features, log transform, imputation, scaling (fitted state); PCA."""

from __future__ import annotations

from omicsdl.pp._cohort import DEFAULT_LOG_TRANSFORM, preprocess_cohort
from omicsdl.pp._pca import fit_pca
from omicsdl.pp._preprocessor import PreprocessingReport, Preprocessor

__all__ = ["DEFAULT_LOG_TRANSFORM", "PreprocessingReport", "Preprocessor", "fit_pca", "preprocess_cohort"]
