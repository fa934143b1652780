"""Report section for liver 1H-MRS quantification (``omicsdl mrs evaluate`` results, synthetic)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl.mrs._results import METRICS_FILE, MRSEvaluation
from omicsdl.report._sections_common import fmt_num, read_json, require_dir

if TYPE_CHECKING:
    import os

    from omicsdl.report._builder import Report

__all__ = ["mrs_section", "read_mrs_results"]


def _mean(values: dict[str, float]) -> float | None:
    vals = [float(v) for v in values.values() if v is not None]
    return float(np.mean(vals)) if vals else None


def read_mrs_results(report: Report, results: str | os.PathLike[str]) -> MRSEvaluation:
    """The :class:`~omicsdl.mrs.MRSEvaluation` of an ``omicsdl mrs evaluate`` folder, recorded as a report input.

    A missing folder or ``metrics.json``, or an unreadable one, is an
    :class:`~omicsdl.InputError` worded like every other section's.
    """
    folder = require_dir(results, "MRS", METRICS_FILE)
    read_json(folder / METRICS_FILE, report)  # recorded as an input; a damaged file is named here
    return MRSEvaluation.read(folder)


def mrs_section(report: Report, ev: MRSEvaluation) -> str:
    """Add the MRS section of an evaluation (e.g. ``MRSEvaluation.read(folder)``); return its summary sentence.

    Shows the mean qCNN and model-fit errors, the cCNN's sensitivity and specificity, the
    per-metabolite table, the example fit when the folder read has it, and the classification table.
    """
    sec = report.section("mrs", "Liver MR spectroscopy", synthetic=ev.synthetic)
    sec.add_text(
        "Metabolite amounts were estimated from liver 1H-MR spectra by a convolutional network (qCNN) and by "
        "a conventional linear-combination model fit; their mean absolute percentage errors (MAPE) are "
        "compared on the same spectra, and a second network (cCNN) classifies HCC vs non-HCC patients."
    )
    q, f = _mean(ev.qcnn_mape), _mean(ev.fit_mape)
    cls = ev.classification
    figures = {"qCNN error (mean MAPE %)": fmt_num(q, 1), "model-fit error (mean MAPE %)": fmt_num(f, 1)}
    if cls is not None:
        figures |= {
            "cCNN sensitivity": fmt_num(cls.sensitivity),
            "cCNN specificity": fmt_num(cls.specificity),
        }
    sec.add_key_figures(figures)
    table = ev.per_metabolite()
    if len(table):
        sec.add_table(
            table,
            name="mrs_per_metabolite",
            caption=f"Per metabolite: MAPE of qCNN and model fit, paired test p ({ev.paired_test or 'paired'}).",
        )
    figure = ev.fit_figure
    if figure is not None:
        report.add_input(figure, label=f"mrs/{figure.name}")
        sec.add_figure(figure.read_bytes(), caption="A simulated spectrum and its model fit.")
    if cls is not None:
        scalars = cls.scalars()
        sec.add_table(
            pd.DataFrame({"metric": list(scalars), "value": list(scalars.values())}),
            name="mrs_classification",
            caption="cCNN classification of held-out simulated patients (HCC vs non-HCC).",
        )
    better = ev.qcnn_better
    tail = f"; the qCNN is better for {len(better)} of {len(table)} metabolites" if better is not None else ""
    return (
        f"Liver MR spectroscopy{' (SYNTHETIC spectra)' if ev.synthetic else ''}: mean error of the qCNN "
        f"{fmt_num(q, 1)}% vs {fmt_num(f, 1)}% for the model fit{tail}."
    )
