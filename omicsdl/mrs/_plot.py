"""MRS figures: a fitted spectrum with its components, the cCNN ROC curve (plotting only).

Each function returns a :class:`matplotlib.figure.Figure` (no pyplot, no backend switch);
:meth:`omicsdl.mrs.MRSEvaluation.write` saves them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from matplotlib.figure import Figure

    from omicsdl.mrs._fit import FitResult

__all__ = ["plot_classification_roc", "plot_fit"]


def plot_fit(result: FitResult, *, title: str = "linear-combination fit", top: int = 8) -> Figure:
    """Plot data, fit, baseline and the ``top`` largest components on a reversed ppm axis.

    Parameters
    ----------
    result
        One linear-combination fit.
    title
        Title of the figure.
    top
        How many components to draw (the largest).
    """
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


def plot_classification_roc(
    fpr: Sequence[float],
    tpr: Sequence[float],
    *,
    auc: float,
    scores: Mapping[str, Sequence[float]] | None = None,
    synthetic: bool = True,
    title: str = "cCNN, HCC vs non-HCC, held out from fitting",
) -> Figure:
    """Plot a precomputed ROC curve (HCC positive) and, optionally, the scores per true class.

    Parameters
    ----------
    fpr, tpr
        The curve, e.g. ``evaluation.classification.fpr`` / ``.tpr`` of :func:`~omicsdl.mrs.evaluate_mrs`.
    auc
        The area under it, shown in the legend.
    scores
        True class -> predicted HCC probabilities, drawn as a strip plot beside the curve.
    synthetic
        Prefix the title with ``SIMULATED`` (the default: the evaluation patients are simulated).
    title
        The title after the prefix.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9 if scores else 5, 4.6), layout="constrained")
    axes = fig.subplots(1, 2 if scores else 1, squeeze=False)[0]
    ax = axes[0]
    ax.plot(fpr, tpr, color="C3", lw=1.6, label=f"cCNN: AUC {auc:.3f}")
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", lw=1)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("1 - specificity")
    ax.set_ylabel("sensitivity")
    ax.legend(loc="lower right", fontsize=9)
    if scores:
        ax2 = axes[1]
        for i, (label, values) in enumerate(scores.items()):
            jitter = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else np.zeros(1)
            ax2.scatter(np.full(len(values), i) + jitter, values, s=22, color=f"C{i}", label=label)
        ax2.axhline(0.5, color="0.6", linestyle="--", lw=0.8)
        ax2.set_xticks(range(len(scores)), list(scores))
        ax2.set_xlim(-0.6, len(scores) - 0.4)
        ax2.set_ylim(-0.02, 1.02)
        ax2.set_ylabel("predicted P(HCC)")
        ax2.set_xlabel("true class")
    fig.suptitle(("SIMULATED patients: " if synthetic else "") + title, fontsize=10)
    return fig
