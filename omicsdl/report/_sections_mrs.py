"""Report section for liver 1H-MRS quantification (``omicsdl mrs evaluate`` results, synthetic)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl.mrs._results import METRICS_FILE, MRSEvaluation
from omicsdl.report._sections_common import fmt_num, read_json, require_dir

if TYPE_CHECKING:
    import os

    from omicsdl.mrs._results import MRSClassification
    from omicsdl.report._builder import Report, Section

__all__ = ["mrs_section", "read_mrs_results"]

_COLUMNS = (
    "qcnn_mape: qCNN error (mean absolute percentage error, %); fit_mape: the linear-combination fit's; "
    "hybrid_mape: the fit with the qCNN's estimates as prior; paired_p / hybrid_paired_p: paired Wilcoxon "
    "test against the fit; *_adjusted: Holm-adjusted over the components; qcnn_mc_dropout_sd_median and "
    "fit_crlb_percent_median: the median uncertainty each method states for itself (% of the amplitude)."
)


def _mean(values: dict[str, float]) -> float | None:
    vals = [float(v) for v in values.values() if v is not None]
    return float(np.mean(vals)) if vals else None


def _names(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def read_mrs_results(report: Report, results: str | os.PathLike[str]) -> MRSEvaluation:
    """The :class:`~omicsdl.mrs.MRSEvaluation` of an ``omicsdl mrs evaluate`` folder, recorded as a report input.

    A missing folder or ``metrics.json``, or an unreadable one, is an
    :class:`~omicsdl.InputError` worded like every other section's.
    """
    folder = require_dir(results, "MRS", METRICS_FILE)
    read_json(folder / METRICS_FILE, report)  # recorded as an input; a damaged file is named here
    return MRSEvaluation.read(folder)


def _verdict(ev: MRSEvaluation, method: str, label: str) -> str:
    """One sentence: for how many components ``method`` beats the fit, and where it loses."""
    v = ev.versus_fit(method)  # type: ignore[arg-type]
    n = len(v["better"]) + len(v["worse"])
    adjusted = "Holm-adjusted p < 0.05" if ev.paired_p_adjusted else "p < 0.05, not adjusted"
    return (
        f"{label} has the lower error for {len(v['better'])} of {n} components "
        f"({len(v['better_significant'])} significantly, {adjusted}); the fit is better for "
        f"{_names(v['worse'])}"
        + (f" (significantly for {_names(v['worse_significant'])})" if v["worse_significant"] else "")
        + "."
    )


def _interval(ci: tuple[float, float] | None) -> str:
    return "" if ci is None else f" (95 % CI {ci[0]:.2f}–{ci[1]:.2f})"


def _classification(sec: Section, ev: MRSEvaluation, cls: MRSClassification) -> None:
    intervals = cls.intervals()
    rows = []
    for metric, value in cls.scalars().items():
        lo, hi = intervals.get(metric, (None, None))
        rows.append({"metric": metric, "value": value, "ci_low": lo, "ci_high": hi})
    frame = pd.DataFrame(rows)
    if not intervals:
        frame = frame[["metric", "value"]]
    methods = "; ".join(f"{k}: {v}" for k, v in cls.ci_methods.items())
    sec.add_table(
        frame,
        name="mrs_classification",
        caption=(
            "cCNN classification of held-out simulated patients (HCC vs non-HCC)"
            + (f"; 95 % intervals ({methods})." if methods else ".")
            + " With so few patients one patient moves accuracy by several points."
        ),
    )
    spreads = [(s, what) for s, what in ((ev.cohort_spread, "cohorts"), (ev.study_spread, "studies")) if s]
    if not spreads:
        return
    table = pd.DataFrame({"metric": list(spreads[0][0].summary())})
    table["this cohort"] = [getattr(cls, m) for m in table["metric"]]
    for spread, what in spreads:
        summary = spread.summary()
        for key, label in (("mean", "mean"), ("q2.5", "2.5 %"), ("q97.5", "97.5 %")):
            table[f"{label} over {spread.n} {what}"] = [summary[m][key] for m in table["metric"]]
    sec.add_table(
        table,
        name="mrs_cohort_spread",
        caption="Spread of the cCNN's metrics: " + "; ".join(s.description for s, _ in spreads) + ".",
    )


def mrs_section(report: Report, ev: MRSEvaluation) -> str:
    """Add the MRS section of an evaluation (e.g. ``MRSEvaluation.read(folder)``); return its summary sentence.

    Shows the mean errors of the qCNN, the hybrid and the model fit and who wins per
    component (with Holm-adjusted tests), the fit's convergence, the cCNN's metrics with
    their intervals and spread over simulated cohorts, the per-metabolite table, the
    example fit when the folder read has it, and which of the paper's components are not modelled.
    """
    sec = report.section("mrs", "Liver MR spectroscopy", synthetic=ev.synthetic)
    sec.add_text(
        "Metabolite amounts were estimated from liver 1H-MR spectra by a convolutional network (qCNN), by "
        "a conventional linear-combination model fit (the baseline) and by a hybrid, the fit with the "
        "qCNN's estimates as prior; their mean absolute percentage errors (MAPE) are compared on the same "
        "spectra, and a second network (cCNN) classifies HCC vs non-HCC patients. All spectra and patients "
        "are simulated."
    )
    q, f, h = _mean(ev.qcnn_mape), _mean(ev.fit_mape), _mean(ev.hybrid_mape)
    cls = ev.classification
    figures = {
        "qCNN error (mean MAPE %)": fmt_num(q, 1),
        "model-fit error (mean MAPE %, baseline)": fmt_num(f, 1),
    }
    if h is not None:
        figures["hybrid error (mean MAPE %)"] = fmt_num(h, 1)
    conv = ev.fit_convergence
    if conv:
        figures["fits converged"] = f"{conv['converged']} of {conv['n_spectra']}"
    if cls is not None:
        figures |= {
            "cCNN sensitivity": fmt_num(cls.sensitivity) + _interval(cls.sensitivity_ci),
            "cCNN specificity": fmt_num(cls.specificity) + _interval(cls.specificity_ci),
        }
        if cls.auc is not None:
            figures["cCNN ROC AUC"] = fmt_num(cls.auc) + _interval(cls.auc_ci)
    if ev.cohort_spread is not None:
        acc = ev.cohort_spread.summary()["accuracy"]
        figures[f"cCNN accuracy over {ev.cohort_spread.n} simulated cohorts"] = (
            f"{acc['mean']:.2f} ({acc['q2.5']:.2f}–{acc['q97.5']:.2f})"
        )
    sec.add_key_figures(figures)
    table = ev.per_metabolite()
    if len(table):
        verdicts = [_verdict(ev, "qcnn", "The qCNN")]
        if ev.hybrid_mape:
            verdicts.append(_verdict(ev, "hybrid", "The hybrid"))
        if conv:
            verdicts.append(
                f"The fit's nonlinear search met its convergence tests for {conv['converged']} of "
                f"{conv['n_spectra']} spectra (median {conv['evaluations_median']:.0f}, at most "
                f"{conv['evaluations_max']} of the {conv['max_evaluations']} model evaluations allowed)."
            )
        sec.add_text(" ".join(verdicts))
        sec.add_table(
            table,
            name="mrs_per_metabolite",
            caption=f"Per metabolite ({ev.paired_test or 'paired test'}). {_COLUMNS}",
        )
    figure = ev.fit_figure
    if figure is not None:
        report.add_input(figure, label=f"mrs/{figure.name}")
        sec.add_figure(figure.read_bytes(), caption="A simulated spectrum and its model fit.")
    if cls is not None:
        _classification(sec, ev, cls)
    missing = ev.assumptions.get("not_modelled")
    if isinstance(missing, dict) and missing:
        n_met = sum(not m.startswith("Lip") for m in ev.metabolites)
        sec.add_text(
            f"Bae et al. quantified 15 metabolites and 5 lipid resonances; this basis has {n_met} "
            "metabolites. "
            "Not modelled: " + "; ".join(f"{k} ({v})" for k, v in missing.items()) + "."
        )
    v = ev.versus_fit("qcnn")
    tail = (
        f"; the qCNN is better for {len(v['better'])} of {len(table)} metabolites"
        if ev.qcnn_better is not None
        else ""
    )
    if ev.hybrid_mape:
        hv = ev.versus_fit("hybrid")
        tail += f", the hybrid (the fit with the qCNN's prior, {fmt_num(h, 1)}%) for {len(hv['better'])}"
    return (
        f"Liver MR spectroscopy{' (SYNTHETIC spectra)' if ev.synthetic else ''}: mean error of the qCNN "
        f"{fmt_num(q, 1)}% vs {fmt_num(f, 1)}% for the model fit{tail}."
    )
