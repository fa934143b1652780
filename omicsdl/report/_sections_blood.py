"""Report section for the nine-gene blood classifier (``omicsdl blood evaluate`` results)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from omicsdl.report._sections_common import fmt_num, require_dir

if TYPE_CHECKING:
    import os

    from omicsdl.blood import BloodComparison
    from omicsdl.report._builder import Report

__all__ = ["blood_section", "read_blood_results"]

_NAMES = {
    "mlp": "neural network (MLP)",
    "logistic": "logistic regression",
    "lda": "discriminant analysis",
    "tree": "classification tree",
}


def read_blood_results(results: str | os.PathLike[str]) -> BloodComparison:
    """The :class:`~omicsdl.blood.BloodComparison` in a folder written by ``omicsdl blood evaluate``.

    Raises
    ------
    InputError
        The folder does not exist or has no ``metrics.json`` (the message names
        the folder and says to run the blood step), or the result cannot be read.
    """
    from omicsdl.blood import BloodComparison

    folder = require_dir(results, "blood classifier", BloodComparison.main_file)
    return BloodComparison.read(folder)


def blood_section(report: Report, results: BloodComparison | str | os.PathLike[str]) -> str:
    """Add the blood-classifier section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        The comparison, or the folder written by ``omicsdl blood evaluate``
        (read with :func:`read_blood_results`). The ROC figure is the folder's
        own ``roc.png`` when present, else drawn from the ROC curves, else
        left out (the section says so).
    """
    from omicsdl.blood import BloodComparison, plot_blood_confusion, plot_blood_roc_summary

    result = results if isinstance(results, BloodComparison) else read_blood_results(results)
    if result.metrics_file is not None:
        report.add_input(
            result.metrics_file, label=f"{result.metrics_file.parent.name}/{result.metrics_file.name}"
        )
    synthetic = result.synthetic
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
    rows = []
    for method in result.methods:
        cv = result.scores(method, "cv")
        rows.append(
            {
                "method": _NAMES.get(method, method),
                "auc": cv.auc,
                "auc_ci_low": cv.auc_ci_low,
                "auc_ci_high": cv.auc_ci_high,
                "sensitivity": cv.sensitivity,
                "specificity": cv.specificity,
                "threshold": cv.threshold,
            }
        )
    table = pd.DataFrame(rows)
    bayes = result.bayes_auc
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
    roc_png = result.figure_file("roc")
    if roc_png is not None:
        report.add_input(roc_png, label=f"blood/{roc_png.name}")
        sec.add_figure(roc_png.read_bytes(), caption=f"ROC curves of the methods (from {roc_png.name}).")
    elif any(s.roc is not None for m in result.methods if (s := result.scores(m, "cv"))):
        sec.add_figure(
            plot_blood_roc_summary(result, labels=_NAMES),
            caption="ROC curves of the four methods (cross-validated).",
        )
    else:
        sec.add_callout(
            "No ROC curve data (roc.json or roc.png) in the results: the ROC plot is skipped.", kind="warning"
        )
    if any(s.confusion is not None for m in result.methods if (s := result.scores(m, "cv"))):
        sec.add_figure(
            plot_blood_confusion(result, labels=_NAMES),
            caption="Confusion matrices (mean counts per cross-validation repeat).",
        )
    else:
        sec.add_callout("No confusion matrices in metrics.json: that figure is skipped.", kind="warning")
    report.add_methods(
        blood_settings=result.settings.to_dict() if result.settings is not None else "not recorded"
    )
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
