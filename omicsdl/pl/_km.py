"""Kaplan-Meier curves with a number-at-risk table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl.survival._km import logrank, survival_arrays

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

__all__ = ["km_plot"]


def km_plot(
    durations: ArrayLike,
    events: ArrayLike,
    *,
    groups: ArrayLike | None = None,
    ax: Axes | None = None,
    time_unit: str = "days",
    title: str | None = None,
    at_risk: bool = True,
) -> Figure:
    """Plot Kaplan-Meier curves (overall or per group) with at-risk counts.

    With two or more groups the log-rank p-value is added to the title.

    Returns
    -------
    The matplotlib figure (the caller saves or closes it).
    """
    import matplotlib as mpl

    mpl.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from lifelines import KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts

    t, e = survival_arrays(durations, events)
    labels = (
        np.full(t.shape, "all patients", dtype=object) if groups is None else np.asarray(groups, dtype=object)
    )
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
    else:
        fig = ax.figure
    fitters = []
    for label in sorted(pd.unique(labels), key=str):
        mask = labels == label
        kmf = KaplanMeierFitter().fit(t[mask], e[mask], label=f"{label} (n={int(mask.sum())})")
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=True, censor_styles={"ms": 4})
        fitters.append(kmf)
    ax.set_xlabel(f"time ({time_unit})")
    ax.set_ylabel("survival probability")
    ax.set_ylim(0, 1.02)
    heading = title or "Kaplan-Meier estimate"
    if len(fitters) > 1:
        res = logrank(t, e, labels)
        heading += f"\nlog-rank p = {res.p_value:.2g}"
    ax.set_title(heading)
    if at_risk:
        add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"])
    return fig
