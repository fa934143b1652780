"""Plotting only: every function draws what :mod:`omicsdl.survival` / :mod:`omicsdl.tl` computed."""

from __future__ import annotations

__all__: list[str] = []

from omicsdl.pl._km import km_plot

__all__ += ["km_plot"]
