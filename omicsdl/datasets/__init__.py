"""Datasets: the embedded real TCGA-LIHC demo cohort and a shipped STRING network subset."""

from __future__ import annotations

from omicsdl.datasets._g2vec_demo import g2vec_demo, string_demo_network_path
from omicsdl.datasets._tcga_lihc_demo import tcga_lihc_demo

__all__ = ["g2vec_demo", "string_demo_network_path", "tcga_lihc_demo"]
