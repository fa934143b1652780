"""Figure of a fitted spectrum with its components (plotting only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from omicsdl.mrs._fit import FitResult

__all__ = ["plot_fit"]


def plot_fit(result: FitResult, *, title: str = "linear-combination fit", top: int = 8) -> Figure:
    """Plot data, fit, baseline and the ``top`` largest components on a reversed ppm axis."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 6))
    ax, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    ax.plot(result.ppm, result.data, color="0.4", lw=0.8, label="data")
    ax.plot(result.ppm, result.fit, color="C3", lw=1.2, label="fit")
    ax.plot(result.ppm, result.baseline, color="C2", lw=0.8, label="baseline + water")
    ax.plot(result.ppm, result.data - result.fit, color="0.7", lw=0.6, label="residual")
    ax.legend(fontsize=8)
    ax.set_title(title)
    order = np.argsort(-np.abs(result.components).max(1))[:top]
    for k in order:
        ax2.plot(result.ppm, result.components[k], lw=0.9, label=result.names[k])
    ax2.legend(fontsize=7, ncol=4)
    ax2.set_xlim(result.ppm.max(), result.ppm.min())
    ax2.set_xlabel("chemical shift (ppm)")
    fig.tight_layout()
    return fig
