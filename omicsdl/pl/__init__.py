"""(namespace filled as modules land)."""

from omicsdl.pl._roc import plot_blood_calibration, plot_blood_roc, save_figure

__all__ = [*globals().get("__all__", []), "plot_blood_calibration", "plot_blood_roc", "save_figure"]
