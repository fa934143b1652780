"""Figures of the survival-subtypes system: Kaplan-Meier curves per subtype.

Called by the result writers in :mod:`omicsdl.subtypes._results`, never by the
compute modules. Nothing here selects a matplotlib backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["external_km", "heldout_km", "in_sample_km", "save_and_close"]


def _km(frame: pd.DataFrame, title: str) -> Figure | None:
    """Kaplan-Meier curves of ``frame``'s subtypes; ``None`` unless it has survival and two subtypes."""
    from omicsdl.pl import km_plot

    if not {"os_days", "os_event", "subtype"} <= set(frame.columns) or frame["subtype"].nunique() < 2:
        return None
    return km_plot(frame["os_days"], frame["os_event"], frame["subtype"], title=title)


def in_sample_km(in_sample: pd.DataFrame) -> Figure | None:
    """Curves of the in-sample subtypes (K-means labels of all patients)."""
    return _km(in_sample, "Subtypes, in-sample (fit and scored on all patients)")


def heldout_km(heldout: pd.DataFrame, survival: pd.DataFrame | None = None) -> Figure | None:
    """Curves of the held-out subtypes of the published pipeline (``chaudhary``), first repeat.

    ``survival`` (indexed by patient, ``os_days``/``os_event``) supplies the survival
    when the predictions table does not carry it.
    """
    column = "model" if "model" in heldout.columns else "method"
    if "subtype" not in heldout.columns or ("os_days" not in heldout.columns and survival is None):
        return None
    if "os_days" not in heldout.columns and survival is not None:
        heldout = heldout.join(survival[["os_days", "os_event"]], on="patient")
    first = heldout[
        heldout[column].isin(["chaudhary", "autoencoder"]) & (heldout["repeat"] == heldout["repeat"].min())
    ]
    first = first[first["subtype"].astype(str) != "none"]
    return _km(first, "Subtypes of held-out patients (cross-validation, repeat 1)")


def external_km(predictions: pd.DataFrame) -> Figure | None:
    """Curves of the subtypes predicted for an external cohort (when it has survival)."""
    return _km(predictions, "Unnamed HCC cohort, mRNA-only classifier")


def save_and_close(fig: Figure, path: Path) -> Path:
    """Save ``fig`` as ``path`` (PNG, 120 dpi) and release it."""
    import matplotlib.pyplot as plt

    from omicsdl.pl import save_figure

    try:
        return save_figure(fig, path, dpi=120)
    finally:
        plt.close(fig)
