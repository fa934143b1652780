"""Kaplan-Meier plot, overall or per group, with at-risk counts and the log-rank p."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

__all__ = ["km_plot"]


def km_plot(
    durations: ArrayLike,
    events: ArrayLike,
    groups: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    time_unit: str = "days",
    order: Sequence[str] | None = None,
    at_risk: bool = True,
    ci: bool = True,
) -> Figure:
    """Kaplan-Meier curves (lifelines) with at-risk counts below the axis.

    Plotting only: the curves and the log-rank test come from lifelines via
    :mod:`omicsdl.survival`.

    Parameters
    ----------
    durations, events
        Follow-up time and event indicator per patient.
    groups
        Group per patient (e.g. subtype); ``None`` draws one overall curve.
    ax
        Axes to draw on (a new figure otherwise).
    title
        Title; the log-rank p (with two or more groups) is appended.
    time_unit
        Label of the time axis.
    order
        Order of the groups in the legend (default: sorted).
    at_risk
        Add the table of patients at risk (lifelines ``add_at_risk_counts``).
    ci
        Shade the 95 % confidence band.

    Returns
    -------
    The figure (a :class:`matplotlib.figure.Figure` of its own, outside pyplot's
    state, unless ``ax`` was given): save it with :func:`omicsdl.pl.save_figure`.
    """
    from lifelines import KaplanMeierFitter
    from lifelines.plotting import add_at_risk_counts

    from omicsdl.survival import logrank, survival_arrays

    t, e = survival_arrays(durations, events)
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(6.4, 4.8 if at_risk else 4.0), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    labels = np.full(t.shape, "all", dtype=object) if groups is None else np.asarray(groups).astype(str)
    names = list(order) if order is not None else sorted(pd.unique(labels))
    fitters = []
    for name in names:
        mask = labels == name
        if not mask.any():
            continue
        kmf = KaplanMeierFitter().fit(t[mask], e[mask], label=f"{name} (n={int(mask.sum())})")
        kmf.plot_survival_function(ax=ax, ci_show=ci, show_censors=True, censor_styles={"ms": 4})
        fitters.append(kmf)
    text = title or ("Overall survival" if groups is None else "Survival by group")
    if groups is not None and len(fitters) >= 2:
        p = logrank(t, e, labels).p_value
        text += f"\nlog-rank p = {p:.2g}"
    ax.set_title(text)
    ax.set_xlabel(f"time ({time_unit})")
    ax.set_ylabel("survival probability")
    ax.set_ylim(0, 1.02)
    if at_risk and fitters:
        add_at_risk_counts(*fitters, ax=ax, fig=fig, rows_to_show=["At risk"])
    return fig
