"""Report section for survival subtypes (``omicsdl subtypes evaluate`` results)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.report._sections_common import fmt_num, fmt_p

if TYPE_CHECKING:
    import os

    from omicsdl.report._builder import Report, Section
    from omicsdl.subtypes import SubtypesEvaluation

__all__ = ["subtypes_section"]


def _table(
    report: Report, ev: SubtypesEvaluation, attr: str, frame: pd.DataFrame | None
) -> pd.DataFrame | None:
    """``frame`` (a table of ``ev``), recorded as the report input ``subtypes/<file name>``."""
    if frame is None:
        return None
    path = ev.files.get(attr)
    if path is not None:
        report.add_input(path, label=f"subtypes/{path.name}")
    return frame


def _with_survival(frame: pd.DataFrame, survival: pd.DataFrame | None) -> pd.DataFrame | None:
    if {"os_days", "os_event"} <= set(frame.columns):
        out = frame
    elif survival is not None and {"os_days", "os_event"} <= set(survival.columns):
        out = frame.join(survival[["os_days", "os_event"]], how="inner")
    else:
        return None
    out = out.dropna(subset=["os_days", "os_event", "subtype"])
    return out if len(out) and out["subtype"].nunique() >= 2 else None


def _hazard_ratios(t: np.ndarray, e: np.ndarray, groups: np.ndarray) -> pd.DataFrame:
    """Cox hazard ratio (95 % CI) of every subtype against the first, as the report's table."""
    from omicsdl.survival import cox_group_hazard_ratios

    hr = cox_group_hazard_ratios(t, e, groups)
    ref = hr.attrs["reference"]
    hr.loc[ref, ["ci_low", "ci_high"]] = np.nan
    hr["note"] = [("reference" if g == ref else f"vs {ref}") for g in hr.index]
    return hr.rename_axis("subtype").reset_index().drop(columns="events")


def _km(sec: Section, frame: pd.DataFrame, *, label: str, name: str) -> float:
    from omicsdl.pl import km_plot
    from omicsdl.survival import logrank

    t = frame["os_days"].to_numpy(dtype=float)
    e = frame["os_event"].to_numpy(dtype=bool)
    groups = frame["subtype"].astype(str).to_numpy()
    p = float(logrank(t, e, groups).p_value)
    fig = km_plot(t, e, groups=groups, title=f"Overall survival by subtype ({label})")
    sec.add_figure(
        fig,
        caption=f"Kaplan-Meier curves per subtype, {label}, with the number of patients still at risk "
        f"under the plot; log-rank p = {fmt_p(p)}.",
    )
    hr = _hazard_ratios(t, e, groups)
    sec.add_table(
        hr,
        name=f"subtypes_{name}_hazard_ratios",
        caption=f"Cox hazard ratios with 95% confidence intervals ({label}).",
    )
    return p


def _evaluation_table(ev: SubtypesEvaluation) -> pd.DataFrame:
    rows = [
        {
            "evaluation": "in-sample (features and subtypes chosen on the same patients)",
            "model": "autoencoder",
            "c_index": ev.in_sample.cindex,
            "c_index_sd": None,
            "logrank_p": ev.in_sample.logrank_p,
        },
        {
            "evaluation": "held-out (nested cross-validation)",
            "model": "autoencoder",
            "c_index": ev.heldout.cindex_mean,
            "c_index_sd": ev.heldout.cindex_sd,
            "logrank_p": ev.heldout.logrank_p,
        },
    ]
    rows += [
        {
            "evaluation": "held-out (nested cross-validation), baseline",
            "model": b.name,
            "c_index": b.cindex_mean,
            "c_index_sd": b.cindex_sd,
            "logrank_p": None,
        }
        for b in ev.baseline_scores
        if b.cindex_mean is not None
    ]
    if ev.external is not None and ev.external.cindex is not None:
        rows.append(
            {
                "evaluation": f"external cohort ({ev.external.n_patients} patients, mRNA-only classifier)",
                "model": "autoencoder subtypes",
                "c_index": ev.external.cindex,
                "c_index_sd": None,
                "logrank_p": ev.external.logrank_p,
            }
        )
    return pd.DataFrame(rows)


def _text(value: Any) -> str:
    return "n/a" if value is None else str(value)


def subtypes_section(
    report: Report, results: str | os.PathLike[str], *, survival: pd.DataFrame | None = None
) -> str:
    """Add the survival-subtypes section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        The folder ``omicsdl subtypes evaluate --out`` wrote, read with
        :meth:`omicsdl.subtypes.SubtypesEvaluation.read`. Parts whose table is
        absent are skipped and the page says so.
    survival
        Clinical table indexed by patient with ``os_days`` and ``os_event``
        (used when the assignment tables carry no survival columns).

    Raises
    ------
    InputError
        ``results`` is not a folder, or not a readable subtypes evaluation.
    """
    from omicsdl.subtypes import SubtypesEvaluation

    folder = Path(results)
    if not folder.is_dir():
        raise InputError(
            "the subtypes results folder does not exist",
            source=folder,
            fix="run the subtypes step first, or drop this option to leave subtypes out of the report",
        )
    ev = SubtypesEvaluation.read(folder)
    metrics = ev.files["metrics"]
    report.add_input(metrics, label=f"{folder.name}/{metrics.name}")
    sec = report.section("subtypes", "Survival subtypes")
    sec.add_text(
        "Patients were grouped into molecular subtypes with the method of Chaudhary et al. (2018): an "
        "autoencoder compresses the three omics, the compressed features linked to survival are kept, and "
        "K-means groups the patients. A result measured on the same patients that chose the subtypes "
        "(in-sample) is optimistic; the held-out figure comes from nested cross-validation, where each "
        "patient's subtype is predicted by a classifier that never saw that patient."
    )
    pca = ev.baseline("pca")
    pca_c = None if pca is None else pca.cindex_mean
    sec.add_key_figures(
        {
            "patients": _text(ev.n_patients),
            "deaths": _text(ev.n_events),
            "subtypes (k)": _text(ev.k),
            "in-sample log-rank p": fmt_p(ev.in_sample.logrank_p),
            "in-sample C-index": fmt_num(ev.in_sample.cindex),
            "held-out C-index": f"{fmt_num(ev.heldout.cindex_mean)} ± {fmt_num(ev.heldout.cindex_sd)}",
            "PCA baseline (held-out)": fmt_num(pca_c),
        }
    )
    if ev.n_repeats is not None:
        sec.add_callout(
            f"Cross-validation: {ev.n_folds or '?'} folds × {ev.n_repeats} repeat(s), seed {ev.seed}.",
            kind="note",
        )
    sec.add_table(
        _evaluation_table(ev),
        name="subtypes_evaluation",
        caption="Held-out evaluation beside the in-sample one, with the baselines (C-index: 0.5 = chance).",
    )
    if (frame := _table(report, ev, "baselines", ev.baselines)) is not None:
        sec.add_table(
            frame,
            name="subtypes_baselines",
            caption="Every model of the nested cross-validation (mean and spread over repeats).",
        )

    if (frame := _table(report, ev, "in_sample_subtypes", ev.in_sample_subtypes)) is not None:
        frame = _with_survival(frame, survival)
        if frame is None:
            name = ev.files["in_sample_subtypes"].name
            sec.add_callout(
                f"{name} has no survival times for its patients; the in-sample "
                "Kaplan-Meier plot is skipped (pass the cohort to the report).",
                kind="warning",
            )
        else:
            _km(sec, frame, label="in-sample", name="in_sample")
    else:
        sec.add_callout(
            "No per-patient subtype table (in-sample subtypes) in the results: the in-sample "
            "Kaplan-Meier curves and hazard ratios are not shown.",
            kind="warning",
        )
    if (frame := _table(report, ev, "k_selection", ev.k_selection)) is not None:
        sec.add_table(
            frame.reset_index(),
            name="subtypes_k_selection",
            caption="Choice of the number of subtypes k: silhouette and Calinski-Harabasz scores.",
        )
    if (held := _table(report, ev, "heldout_predictions", ev.heldout_predictions)) is not None:
        held = held[held["method"].astype(str) == "autoencoder"]
        if len(held):
            held = held[held["repeat"] == held["repeat"].min()]
        frame = _with_survival(held.set_index("patient"), survival) if len(held) else None
        if frame is not None:
            _km(sec, frame, label="held-out, first repeat", name="heldout")
    else:
        sec.add_callout(
            "No held-out assignment table (held-out predictions): the held-out Kaplan-Meier curves "
            "are not shown.",
            kind="warning",
        )

    if ev.external is not None:
        frame = _with_survival(_table(report, ev, "external.predictions", ev.external.predictions), None)
        if frame is not None:
            _km(sec, frame, label="external cohort, mRNA-only classifier", name="external")

    char = report.section("characterisation", "What distinguishes the subtypes")
    if ev.characterisation is not None:
        clinical = _table(report, ev, "characterisation.clinical", ev.characterisation.clinical)
        char.add_table(
            clinical,
            name="subtypes_clinical_association",
            caption="Clinical association of the subtypes (stage, grade, age, sex).",
        )
        diff = _table(report, ev, "characterisation.features", ev.characterisation.features)
        name = ev.files["characterisation.features"].name
        sort = next((c for c in ("fdr", "p_value") if c in diff), None)
        if sort:
            diff = diff.sort_values(sort, kind="stable")
        if "omic" in diff:
            diff = diff.groupby("omic", sort=False).head(10)
        char.add_table(
            diff,
            name="subtypes_top_differential_features",
            caption="Top differential features per omic between subtypes (10 per omic, by FDR; the full "
            f"table is {name} in the subtypes results).",
            max_rows=40,
        )
    else:
        char.add_callout(
            "The subtypes step wrote no characterisation tables (clinical association, "
            "differential features); this part is skipped.",
            kind="warning",
        )

    report.add_methods(
        subtypes_seed=ev.seed,
        subtypes_cv=f"{ev.n_folds or '?'} folds × {ev.n_repeats or '?'} repeats",
        subtypes_params=ev.params if ev.params is not None else "not recorded",
    )
    held_c = ev.heldout.cindex_mean
    if held_c is None:
        sure = "the held-out C-index is not available"
    else:
        sure = (
            f"on patients the model had not seen, it tells which of two patients lives longer correctly for "
            f"{100 * float(held_c):.0f}% of pairs (held-out C-index {float(held_c):.2f}; 0.50 is chance"
            + (f", PCA baseline {float(pca_c):.2f})" if pca_c is not None else ")")
        )
    return (
        f"Survival subtypes: {ev.k or '?'} subtypes among {ev.n_patients or '?'} patients separate "
        f"survival in-sample (log-rank p = {fmt_p(ev.in_sample.logrank_p)}, an optimistic figure); {sure}."
    )
