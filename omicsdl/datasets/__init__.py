"""Datasets: the embedded real TCGA-LIHC demo cohort, a shipped STRING subset, SYNTHETIC GDC projects."""

from __future__ import annotations

from omicsdl.datasets._g2vec_demo import g2vec_demo, string_demo_network_path
from omicsdl.datasets._synthetic_gdc import SyntheticGdc, write_probe_map, write_synthetic_gdc
from omicsdl.datasets._tcga_lihc_demo import tcga_lihc_demo

__all__ = [
    "SyntheticGdc",
    "g2vec_demo",
    "string_demo_network_path",
    "tcga_lihc_demo",
    "write_probe_map",
    "write_synthetic_gdc",
]
