"""Figures of the blood-classifier comparison (drawing only; nothing is computed here).

Each function takes a :class:`~omicsdl.blood.BloodComparison` and returns a
:class:`matplotlib.figure.Figure` (no pyplot, no backend switch). The result
draws :func:`plot_blood_roc` and :func:`plot_blood_calibration` into its
folder; the report draws :func:`plot_blood_roc_summary` and
:func:`plot_blood_confusion`. The scenario table draws
:func:`plot_blood_scenario_auc` and :func:`plot_blood_learning_curves`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from omicsdl.blood._results import BloodComparison, BloodScenarioTable

__all__ = [
    "plot_blood_calibration",
    "plot_blood_confusion",
    "plot_blood_learning_curves",
    "plot_blood_roc",
    "plot_blood_roc_summary",
    "plot_blood_scenario_auc",
]

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

        panels = ["cv"] + (["validation"] if result.has_validation else [])
        fig = Figure(figsize=(5.2 * len(panels), 5.0), layout="constrained")
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
    else:
        panels = ["cv", "validation"][: len(axes)]
        fig = axes[0].figure
    tag = "SYNTHETIC data — " if result.synthetic else ""
    run = result.settings
    n_repeats = "?" if run is None or run.n_repeats is None else run.n_repeats
    n_splits = "?" if run is None or run.n_splits is None else run.n_splits
    names = {"cv": f"{n_repeats}×{n_splits}-fold CV", "validation": "external validation"}
    for ax, panel in zip(axes, panels, strict=False):
        for method in result.methods:
            scores = result.scores(method, panel)
            if scores is None or scores.roc is None:
                continue
            label = (
                f"{_LABELS.get(method, method)}: AUC {scores.auc:.3f} "
                f"({scores.auc_ci_low:.3f}–{scores.auc_ci_high:.3f})"
            )
            ax.plot(scores.roc.fpr, scores.roc.tpr, label=label, drawstyle="default")
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

    Parameters
    ----------
    result
        Output of :func:`omicsdl.blood.compare_blood_classifiers`.
    ax
        Axes to draw on; new figure when ``None``.

    Returns
    -------
    The figure.
    """
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(5.2, 5.0), layout="constrained")
        ax = fig.subplots()
    else:
        fig = ax.figure
    for method in result.methods:
        for evaluation, style in (("cv", "-"), ("validation", "--")):
            scores = result.scores(method, evaluation)
            if scores is None or scores.calibration is None:
                continue
            bins = scores.calibration["bins"]
            ax.plot(
                [b["mean_predicted"] for b in bins],
                [b["observed_fraction"] for b in bins],
                style,
                marker="o",
                markersize=3,
                label=f"{_LABELS.get(method, method)} ({evaluation}): Brier {scores.brier:.3f}",
            )
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    ax.set_title(("SYNTHETIC data — " if result.synthetic else "") + "calibration", fontsize=10)
    ax.set_xlabel("mean predicted probability of HCC")
    ax.set_ylabel("observed fraction HCC")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=7)
    return fig


def plot_blood_roc_summary(result: BloodComparison, *, labels: Mapping[str, str] | None = None) -> Figure:
    """One panel of cross-validated ROC curves, one line per method (the report's figure).

    Parameters
    ----------
    result
        A comparison with ROC curves (fresh, or read from a folder with ``roc.json``).
    labels
        Method → name shown in the legend (default: short names).

    Returns
    -------
    The figure.
    """
    from matplotlib.figure import Figure

    labels = _LABELS if labels is None else labels
    fig = Figure(figsize=(5, 4.6), layout="constrained")
    ax = fig.subplots()
    for method in result.methods:
        scores = result.scores(method, "cv")
        if scores is not None and scores.roc is not None:
            ax.plot(scores.roc.fpr, scores.roc.tpr, label=labels.get(method, method))
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8, label="chance")
    ax.set_xlabel("1 − specificity (false-positive rate)")
    ax.set_ylabel("sensitivity (true-positive rate)")
    bayes = result.bayes_auc
    ax.set_title("ROC curves (cross-validated)" + (f"; Bayes-optimal AUC {bayes:.3f}" if bayes else ""))
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_blood_confusion(result: BloodComparison, *, labels: Mapping[str, str] | None = None) -> Figure:
    """Cross-validated confusion matrix per method (mean counts per repeat).

    Parameters
    ----------
    result
        A comparison in which at least one method has cross-validated confusion counts.
    labels
        Method → panel title (default: short names).

    Returns
    -------
    The figure.

    Raises
    ------
    ValueError
        No method has confusion counts.
    """
    from matplotlib.figure import Figure

    labels = _LABELS if labels is None else labels
    blocks = {m: s.confusion for m in result.methods if (s := result.scores(m, "cv")) and s.confusion}
    if not blocks:
        msg = "no method of this comparison has confusion counts"
        raise ValueError(msg)
    fig = Figure(figsize=(2.6 * len(blocks), 2.8), layout="constrained")
    axes = fig.subplots(1, len(blocks), squeeze=False)
    for ax, (method, c) in zip(axes[0], blocks.items(), strict=True):
        mat = np.array([[c.tn, c.fp], [c.fn, c.tp]], dtype=float)
        ax.imshow(mat, cmap="Blues")
        for (i, j), v in np.ndenumerate(mat):
            colour = "white" if v > mat.max() / 2 else "black"
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", color=colour, fontsize=10)
        ax.set_xticks([0, 1], ["control", "HCC"])
        ax.set_yticks([0, 1], ["control", "HCC"])
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(labels.get(method, method), fontsize=9)
    return fig


_COLOURS = {"mlp": "C0", "logistic": "C1", "lda": "C2", "tree": "C3", "bayes": "0.3"}


def plot_blood_scenario_auc(
    table: BloodScenarioTable, *, labels: Mapping[str, str] | None = None, evaluation: str = "cv"
) -> Figure:
    """AUC of every method per SYNTHETIC scenario, beside the Bayes-optimal and best linear AUC.

    One row per scenario: a marker per method (its AUC with the DeLong 95 %
    interval), a black bar at the Bayes-optimal AUC (no method can beat it in
    expectation) and a grey bar at the best linear AUC.

    Parameters
    ----------
    table
        Output of :func:`omicsdl.blood.compare_blood_scenarios` (or read from its folder).
    labels
        Method → legend name (default: short names).
    evaluation
        ``"cv"`` (repeated CV on the training series) or ``"validation"``.

    Returns
    -------
    The figure.
    """
    from matplotlib.figure import Figure

    labels = _LABELS if labels is None else labels
    names = table.names
    fig = Figure(figsize=(7.2, 0.55 * len(names) + 1.4), layout="constrained")
    ax = fig.subplots()
    methods = table.comparisons[names[0]].methods if names else []
    offsets = np.linspace(-0.24, 0.24, max(len(methods), 1))
    for row, name in enumerate(names):
        comparison = table.comparisons[name]
        references = (
            (table.best_linear_auc(name, evaluation), "best linear", "0.65", 4.0),  # type: ignore[arg-type]
            (comparison.bayes_auc_of(evaluation), "Bayes-optimal", "black", 1.5),  # type: ignore[arg-type]
        )
        for value, label, colour, width in references:
            if value is not None:
                ax.plot(
                    [value] * 2,
                    [row - 0.4, row + 0.4],
                    color=colour,
                    lw=width,
                    label=label if row == 0 else None,
                )
        for offset, method in zip(offsets, methods, strict=False):
            s = comparison.scores(method, evaluation)  # type: ignore[arg-type]
            if s is None or s.auc is None:
                continue
            ax.errorbar(
                s.auc,
                row + offset,
                xerr=[[s.auc - s.auc_ci_low], [s.auc_ci_high - s.auc]] if s.auc_ci_low is not None else None,
                fmt="o",
                ms=4,
                color=_COLOURS.get(method),
                elinewidth=0.8,
                label=labels.get(method, method) if row == 0 else None,
            )
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlabel("ROC AUC (95 % CI)")
    where = "cross-validated on the training series" if evaluation == "cv" else "validation series"
    ax.set_title(f"SYNTHETIC data — AUC per scenario ({where})", fontsize=10)
    fig.legend(loc="outside lower center", fontsize=7, ncols=6)
    return fig


def plot_blood_learning_curves(
    table: BloodScenarioTable, *, labels: Mapping[str, str] | None = None
) -> Figure:
    """Learning curves per SYNTHETIC scenario: test AUC against training size, one panel per scenario.

    Lines are the mean AUC over draws with a band of ± 1 SD; the dashed line is
    the Bayes-optimal AUC of the test population, the dotted vertical line the
    published training size (157).

    Parameters
    ----------
    table
        A scenario table with learning curves.
    labels
        Method → legend name (default: short names).

    Returns
    -------
    The figure.

    Raises
    ------
    ValueError
        The table has no learning curves.
    """
    from matplotlib.figure import Figure

    curves = table.learning_curves
    if curves is None or not len(curves):
        msg = "this scenario table has no learning curves"
        raise ValueError(msg)
    labels = _LABELS if labels is None else labels
    names = [n for n in table.names if (curves["scenario"] == n).any()]
    ncols = min(4, len(names))
    nrows = int(np.ceil(len(names) / ncols))
    fig = Figure(figsize=(3.1 * ncols, 2.7 * nrows + 0.5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, sharex=True)).ravel()
    for ax, name in zip(axes, names, strict=False):
        part = curves[curves["scenario"] == name]
        for method, rows in part.groupby("method", sort=False):
            if method == "bayes":
                continue
            rows = rows.sort_values("n_train")
            n, mean, sd = rows["n_train"].to_numpy(), rows["auc_mean"].to_numpy(), rows["auc_sd"].to_numpy()
            ax.plot(
                n,
                mean,
                marker="o",
                ms=3,
                color=_COLOURS.get(str(method)),
                label=labels.get(str(method), method),
            )
            ax.fill_between(n, mean - sd, mean + sd, color=_COLOURS.get(str(method)), alpha=0.15, lw=0)
        ax.axhline(float(part["bayes_auc"].iloc[0]), color="black", ls="--", lw=1, label="Bayes-optimal")
        ax.axvline(157, color="0.5", ls=":", lw=1)
        ax.set_xscale("log")
        sizes = sorted(part["n_train"].unique())
        ax.set_xticks(sizes, [str(int(n)) for n in sizes])
        ax.minorticks_off()
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    for ax in axes[::ncols]:
        ax.set_ylabel("test AUC", fontsize=8)
    for ax in axes[-ncols:]:
        ax.set_xlabel("training samples", fontsize=8)
    axes[0].legend(fontsize=6, loc="lower right")
    fig.suptitle("SYNTHETIC data — learning curves (dotted: the published 157 training samples)", fontsize=10)
    return fig
