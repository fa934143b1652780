"""Datasets: the embedded real TCGA-LIHC demo cohort, a shipped network, and labelled simulators."""

from __future__ import annotations

from omicsdl.datasets._blood_sim import BLOOD_COHORT_SIZES, bayes_auc, simulate_blood_cohort
from omicsdl.datasets._g2vec_demo import g2vec_demo, string_demo_network_path
from omicsdl.datasets._tcga_lihc_demo import tcga_lihc_demo

__all__ = [
    "BLOOD_COHORT_SIZES",
    "bayes_auc",
    "g2vec_demo",
    "simulate_blood_cohort",
    "string_demo_network_path",
    "tcga_lihc_demo",
]
