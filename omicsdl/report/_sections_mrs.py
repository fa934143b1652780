"""Report section for liver 1H-MRS quantification (``omicsdl mrs evaluate`` results, synthetic)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl.report._sections_common import fmt_num, fmt_p, read_json, require_dir

if TYPE_CHECKING:
    import os

    from omicsdl.report._builder import Report

__all__ = ["mrs_section"]


def _per_metabolite(m: dict[str, Any]) -> pd.DataFrame:
    """One row per metabolite from the dict-valued metrics (qcnn_mape, fit_mape, paired_p, ...)."""
    keys = ("qcnn_mape", "fit_mape", "paired_p", "qcnn_mc_dropout_sd_median", "fit_crlb_percent_median")
    cols = {k: m[k] for k in keys if isinstance(m.get(k), dict)}
    if not cols:
        return pd.DataFrame()
    frame = pd.DataFrame(cols)
    frame.index.name = "metabolite"
    return frame.reset_index()


def _mean(value: Any) -> float | None:
    if isinstance(value, dict):
        vals = [float(v) for v in value.values() if v is not None]
        return float(np.mean(vals)) if vals else None
    return None if value is None else float(value)


def mrs_section(report: Report, results: str | os.PathLike[str]) -> str:
    """Add the MRS section from ``metrics.json`` (qcnn_mape, fit_mape, paired_p, classification).

    ``qcnn_mape``, ``fit_mape`` and ``paired_p`` may be numbers or per-metabolite
    objects; ``fit_example.png`` is shown when present.
    """
    folder = require_dir(results, "MRS", "metrics.json")
    m = read_json(folder / "metrics.json", report)
    synthetic = bool(m.get("synthetic", True))
    sec = report.section("mrs", "Liver MR spectroscopy", synthetic=synthetic)
    sec.add_text(
        "Metabolite amounts were estimated from liver 1H-MR spectra by a convolutional network (qCNN) and by "
        "a conventional linear-combination model fit; their mean absolute percentage errors (MAPE) are "
        "compared on the same spectra, and a second network (cCNN) classifies HCC vs non-HCC patients."
    )
    q, f = _mean(m.get("qcnn_mape")), _mean(m.get("fit_mape"))
    cls = m.get("classification") if isinstance(m.get("classification"), dict) else {}
    figures = {"qCNN error (mean MAPE %)": fmt_num(q, 1), "model-fit error (mean MAPE %)": fmt_num(f, 1)}
    if not isinstance(m.get("paired_p"), dict):
        figures["paired test p"] = fmt_p(m.get("paired_p"))
    if cls:
        figures |= {
            "cCNN sensitivity": fmt_num(cls.get("sensitivity")),
            "cCNN specificity": fmt_num(cls.get("specificity")),
        }
    sec.add_key_figures(figures)
    table = _per_metabolite(m)
    if len(table):
        sec.add_table(
            table,
            name="mrs_per_metabolite",
            caption=f"Per metabolite: MAPE of qCNN and model fit, paired test p ({m.get('paired_test', 'paired')}).",
        )
    if (folder / "fit_example.png").is_file():
        report.add_input(folder / "fit_example.png", label="mrs/fit_example.png")
        sec.add_figure(
            (folder / "fit_example.png").read_bytes(), caption="A simulated spectrum and its model fit."
        )
    if cls:
        scalars = {k: v for k, v in cls.items() if isinstance(v, int | float)}
        sec.add_table(
            pd.DataFrame({"metric": list(scalars), "value": list(scalars.values())}),
            name="mrs_classification",
            caption="cCNN classification of held-out simulated patients (HCC vs non-HCC).",
        )
    better = m.get("qcnn_better")
    tail = (
        f"; the qCNN is better for {len(better)} of {len(table)} metabolites"
        if isinstance(better, list)
        else ""
    )
    return (
        f"Liver MR spectroscopy{' (SYNTHETIC spectra)' if synthetic else ''}: mean error of the qCNN "
        f"{fmt_num(q, 1)}% vs {fmt_num(f, 1)}% for the model fit{tail}."
    )
