"""Plotting only: every function draws what :mod:`omicsdl.survival` / :mod:`omicsdl.tl` computed."""

from __future__ import annotations

from omicsdl.pl._km import km_plot
from omicsdl.pl._roc import plot_blood_calibration, plot_blood_roc
from omicsdl.pl._save import save_figure

__all__ = ["km_plot", "plot_blood_calibration", "plot_blood_roc", "save_figure"]
