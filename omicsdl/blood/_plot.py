"""ROC curves of the blood-classifier comparison (plotting only; nothing is computed here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from omicsdl.blood._evaluate import BloodComparison

__all__ = ["plot_blood_calibration", "plot_blood_roc"]

_LABELS = {"mlp": "MLP", "logistic": "Logistic regression", "lda": "LDA", "tree": "Classification tree"}


def plot_blood_roc(result: BloodComparison, *, axes: Sequence[Axes] | None = None) -> Figure:
    """ROC curves per method: repeated-CV (vertical average) and, if present, validation.

    Legends give each method's AUC and 95 % CI. Titles say ``SYNTHETIC`` when the
    data came from the simulator and then also give the Bayes-optimal AUC.

    Parameters
    ----------
    result
        Output of :func:`omicsdl.blood.compare_blood_classifiers`.
    axes
        One or two axes to draw on (CV, validation); new figure when ``None``.

    Returns
    -------
    The figure.
    """
    if axes is None:
        from matplotlib.figure import Figure

        panels = ["cv"] + (
            ["validation"] if any(m.get("validation") for m in result.metrics.values()) else []
        )
        fig = Figure(figsize=(5.2 * len(panels), 5.0), layout="constrained")
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
    else:
        panels = ["cv", "validation"][: len(axes)]
        fig = axes[0].figure
    tag = "SYNTHETIC data — " if result.synthetic else ""
    names = {"cv": f"{result.settings.get('n_repeats', '?')}×{result.settings.get('n_splits', '?')}-fold CV"}
    names["validation"] = "external validation"
    for ax, panel in zip(axes, panels, strict=False):
        for method, blocks in result.metrics.items():
            block = blocks.get(panel)
            curve = result.roc.get(method, {}).get(panel)
            if not block or not curve:
                continue
            label = (
                f"{_LABELS.get(method, method)}: AUC {block['auc']:.3f} "
                f"({block['auc_ci_low']:.3f}–{block['auc_ci_high']:.3f})"
            )
            ax.plot(curve["fpr"], curve["tpr"], label=label, drawstyle="default")
        ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
        title = f"{tag}{names[panel]}"
        if result.bayes_auc is not None:
            title += f"\nBayes-optimal AUC {result.bayes_auc:.3f}"
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("1 − specificity")
        ax.set_ylabel("sensitivity")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.01)
        ax.set_aspect("equal")
        ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_blood_calibration(result: BloodComparison, *, ax: Axes | None = None) -> Figure:
    """Reliability diagram: mean predicted HCC probability vs observed HCC fraction per bin.

    One line per method and evaluation (quantile bins from
    :func:`omicsdl.metrics.calibration_summary`); the legend gives the Brier score.
    Class weighting pulls the probabilities towards balanced classes, so a
    line above the diagonal (HCC under-predicted) is expected for a cohort with more HCC than controls.
    """
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(5.2, 5.0), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    for method, blocks in result.metrics.items():
        for evaluation, style in (("cv", "-"), ("validation", "--")):
            block = blocks.get(evaluation)
            if not block:
                continue
            bins = block["calibration"]["bins"]
            brier = block["calibration"]["brier"]
            ax.plot(
                [b["mean_predicted"] for b in bins],
                [b["observed_fraction"] for b in bins],
                style,
                marker="o",
                markersize=3,
                label=f"{_LABELS.get(method, method)} ({evaluation}): Brier {brier:.3f}",
            )
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    ax.set_title(("SYNTHETIC data — " if result.synthetic else "") + "calibration", fontsize=10)
    ax.set_xlabel("mean predicted probability of HCC")
    ax.set_ylabel("observed fraction HCC")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=7)
    return fig
