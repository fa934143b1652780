"""Report section for MR spectroscopy quantification (issue 8 results, synthetic)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl.report._sections_common import fmt_num, fmt_p, read_json, require_dir

if TYPE_CHECKING:
    import os

    from omicsdl.report._builder import Report

__all__ = ["mrs_section"]


def _flatten(doc: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    rows = []
    for key, value in doc.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += _flatten(value, prefix=f"{name}.")
        elif isinstance(value, int | float | str | bool) or value is None:
            rows.append({"metric": name, "value": value})
    return rows


def mrs_section(report: Report, results: str | os.PathLike[str]) -> str:
    """Add the MRS section from ``metrics.json`` (qcnn_mape, fit_mape, paired_p, classification)."""
    folder = require_dir(results, "MRS", "metrics.json")
    m = read_json(folder / "metrics.json", report)
    synthetic = bool(m.get("synthetic", True))
    sec = report.section("mrs", "MR spectroscopy quantification", synthetic=synthetic)
    sec.add_text(
        "Metabolite concentrations were estimated from MR spectra by a quantum-inspired convolutional network "
        "(QCNN) and by a conventional model fit; the mean absolute percentage error (MAPE) of each is "
        "compared on the same spectra."
    )
    sec.add_key_figures(
        {
            "QCNN error (MAPE)": fmt_num(m.get("qcnn_mape")),
            "model-fit error (MAPE)": fmt_num(m.get("fit_mape")),
            "paired test p": fmt_p(m.get("paired_p")),
        }
    )
    sec.add_table(pd.DataFrame(_flatten(m)), name="mrs_metrics", caption="Every MRS metric.")
    return (
        f"MR spectroscopy{' (SYNTHETIC spectra)' if synthetic else ''}: QCNN error {fmt_num(m.get('qcnn_mape'))} "
        f"vs model fit {fmt_num(m.get('fit_mape'))} (paired p = {fmt_p(m.get('paired_p'))})."
    )
