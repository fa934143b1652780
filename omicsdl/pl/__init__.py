"""Plotting shared by the systems: Kaplan-Meier curves and figure saving.

Every function draws what was computed elsewhere; nothing here fits or tests.
System-specific figures live in their system (``omicsdl.blood._plot``, ...).
"""

from __future__ import annotations

from omicsdl.pl._km import km_plot
from omicsdl.pl._save import save_figure

__all__ = ["km_plot", "save_figure"]
