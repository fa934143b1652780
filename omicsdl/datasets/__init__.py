"""Datasets: the embedded real TCGA-LIHC demo cohort and labelled simulators."""

from __future__ import annotations

from omicsdl.datasets._tcga_lihc_demo import tcga_lihc_demo

__all__ = ["tcga_lihc_demo"]

from omicsdl.datasets._blood_sim import BLOOD_COHORT_SIZES, bayes_auc, simulate_blood_cohort

__all__ += ["BLOOD_COHORT_SIZES", "bayes_auc", "simulate_blood_cohort"]
