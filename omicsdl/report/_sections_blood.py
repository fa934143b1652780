"""Report section for the nine-gene blood classifier (``omicsdl blood evaluate`` results)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl.report._sections_common import fmt_num, read_json, require_dir

if TYPE_CHECKING:
    import os

    from matplotlib.figure import Figure

    from omicsdl.report._builder import Report

__all__ = ["blood_section"]

_METHODS = ("mlp", "logistic", "lda", "tree")
_NAMES = {
    "mlp": "neural network (MLP)",
    "logistic": "logistic regression",
    "lda": "discriminant analysis",
    "tree": "classification tree",
}


def _methods(m: dict[str, Any]) -> list[str]:
    listed = m.get("methods") or _METHODS
    return [k for k in listed if isinstance(m.get(k), dict)]


def _roc_figure(roc: dict[str, Any], bayes: float | None) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4.6), layout="constrained")
    ax = fig.subplots()
    for method, curves in roc.items():
        curve = curves.get("cv", curves) if isinstance(curves, dict) else None
        if curve and "fpr" in curve and "tpr" in curve:
            ax.plot(curve["fpr"], curve["tpr"], label=_NAMES.get(method, method))
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=0.8, label="chance")
    ax.set_xlabel("1 − specificity (false-positive rate)")
    ax.set_ylabel("sensitivity (true-positive rate)")
    ax.set_title("ROC curves (cross-validated)" + (f"; Bayes-optimal AUC {bayes:.3f}" if bayes else ""))
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _confusion_figure(m: dict[str, Any], methods: list[str]) -> Figure | None:
    from matplotlib.figure import Figure

    blocks = {k: (m[k].get("cv") or {}).get("confusion") or m[k].get("confusion") for k in methods}
    blocks = {k: v for k, v in blocks.items() if v}
    if not blocks:
        return None
    fig = Figure(figsize=(2.6 * len(blocks), 2.8), layout="constrained")
    axes = fig.subplots(1, len(blocks), squeeze=False)
    for ax, (method, c) in zip(axes[0], blocks.items(), strict=True):
        mat = np.array([[c.get("tn", 0), c.get("fp", 0)], [c.get("fn", 0), c.get("tp", 0)]], dtype=float)
        ax.imshow(mat, cmap="Blues")
        for (i, j), v in np.ndenumerate(mat):
            colour = "white" if v > mat.max() / 2 else "black"
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", color=colour, fontsize=10)
        ax.set_xticks([0, 1], ["control", "HCC"])
        ax.set_yticks([0, 1], ["control", "HCC"])
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(_NAMES.get(method, method), fontsize=9)
    return fig


def blood_section(report: Report, results: str | os.PathLike[str]) -> str:
    """Add the blood-classifier section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        Folder written by ``omicsdl blood evaluate``: ``metrics.json`` (per
        method ``auc``, ``auc_ci_low``, ``auc_ci_high``, ``sensitivity``,
        ``specificity``; ``synthetic``, ``bayes_auc``), and when present
        ``roc.json`` (method → ``{"cv": {"fpr", "tpr"}}``) or ``roc.png``.
    """
    folder = require_dir(results, "blood classifier", "metrics.json")
    m = read_json(folder / "metrics.json", report)
    synthetic = bool(m.get("synthetic", True))
    sec = report.section("blood", "Nine-gene blood test: HCC vs control", synthetic=synthetic)
    sec.add_text(
        "Xie et al. (2018) measured nine genes (GPC3, HGF, ANXA1, FOS, SPAG9, HSPA1B, CXCR4, PFN1, CALR) in "
        "peripheral blood and found that a small neural network told early HCC from healthy controls better "
        "than logistic regression, discriminant analysis or a classification tree. The same comparison was "
        "repeated here with cross-validation; thresholds were chosen on training folds only."
    )
    if synthetic:
        sec.add_callout(
            "SYNTHETIC: these samples were simulated with the published group sizes (the original data are not "
            "public). The numbers show how the methods behave, not how well the test works in patients.",
            kind="synthetic",
        )
    methods = _methods(m)
    rows = []
    for k in methods:
        b = m[k]
        rows.append(
            {
                "method": _NAMES.get(k, k),
                "auc": b.get("auc"),
                "auc_ci_low": b.get("auc_ci_low"),
                "auc_ci_high": b.get("auc_ci_high"),
                "sensitivity": b.get("sensitivity"),
                "specificity": b.get("specificity"),
                "threshold": b.get("threshold"),
            }
        )
    table = pd.DataFrame(rows)
    bayes = m.get("bayes_auc")
    figures: dict[str, str] = {}
    if len(table):
        best = table.loc[table["auc"].astype(float).idxmax()]
        figures |= {"best method": str(best["method"]), "its AUC": fmt_num(best["auc"], 3)}
    if bayes is not None:
        figures["Bayes-optimal AUC (simulator)"] = fmt_num(bayes, 3)
    sec.add_key_figures(figures)
    sec.add_table(
        table,
        name="blood_metrics",
        caption="Cross-validated AUC with 95% confidence interval, sensitivity and specificity per method.",
    )
    roc = m.get("roc")
    if roc is None and (folder / "roc.json").is_file():
        roc = read_json(folder / "roc.json", report)
    if isinstance(roc, dict) and roc:
        sec.add_figure(_roc_figure(roc, bayes), caption="ROC curves of the four methods (cross-validated).")
    elif (folder / "roc.png").is_file():
        report.add_input(folder / "roc.png", label="blood/roc.png")
        sec.add_figure((folder / "roc.png").read_bytes(), caption="ROC curves of the methods (from roc.png).")
    else:
        sec.add_callout(
            "No ROC curve data (roc.json or roc.png) in the results: the ROC plot is skipped.", kind="warning"
        )
    fig = _confusion_figure(m, methods)
    if fig is not None:
        sec.add_figure(fig, caption="Confusion matrices (mean counts per cross-validation repeat).")
    else:
        sec.add_callout("No confusion matrices in metrics.json: that figure is skipped.", kind="warning")
    report.add_methods(blood_settings=m.get("settings", "not recorded"))
    if not len(table):
        return "Blood test: no method results were found."
    prefix = "Blood test (SYNTHETIC data)" if synthetic else "Blood test"
    return (
        f"{prefix}: the best of the four methods, {best['method']}, separates HCC from controls with AUC "
        f"{fmt_num(best['auc'], 3)} (95% CI {fmt_num(best['auc_ci_low'], 3)}–{fmt_num(best['auc_ci_high'], 3)})"
        + (
            f", against a best possible {fmt_num(bayes, 3)} on these simulated data."
            if bayes is not None
            else "."
        )
    )
