"""Plotting only: functions return matplotlib figures and never compute statistics themselves."""

from __future__ import annotations

from omicsdl.pl._km import km_plot

__all__ = ["km_plot"]
