"""Report section for survival subtypes (``omicsdl subtypes evaluate`` results)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from omicsdl.report._sections_common import find_file, fmt_num, fmt_p, read_json, read_tsv, require_dir

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from omicsdl.report._builder import Report, Section

__all__ = ["subtypes_section"]

_ASSIGNMENTS = ("subtypes_in_sample.tsv", "subtypes.tsv", "assignments.tsv", "in_sample*.tsv")
_HELDOUT = ("heldout*.tsv", "held_out*.tsv")
_BASELINES = ("baselines*.tsv",)
_HAZARDS = ("*hazard*.tsv", "cox*.tsv")
_CLINICAL = ("*clinical*.tsv",)
_DIFFERENTIAL = ("*differential*.tsv", "*top_features*.tsv")
_K_SELECTION = ("k_selection.tsv",)
_EXTERNAL = ("external_predictions.tsv",)


def _read_tsv(path: Path, report: Report) -> pd.DataFrame:
    return read_tsv(path, report, "subtypes")


def _patient_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Index by patient; keep ``subtype`` (and survival columns if present)."""
    frame = frame.copy()
    key = next((c for c in ("patient", "patient_id", "barcode", "obs_names") if c in frame), frame.columns[0])
    return frame.set_index(key)


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


def _evaluation_table(m: dict[str, Any]) -> pd.DataFrame:
    rows = [
        {
            "evaluation": "in-sample (features and subtypes chosen on the same patients)",
            "model": "autoencoder",
            "c_index": m.get("in_sample_cindex"),
            "c_index_sd": None,
            "logrank_p": m.get("in_sample_logrank_p"),
        },
        {
            "evaluation": "held-out (nested cross-validation)",
            "model": "autoencoder",
            "c_index": m.get("heldout_cindex_mean"),
            "c_index_sd": m.get("heldout_cindex_sd"),
            "logrank_p": m.get("heldout_logrank_p"),
        },
    ]
    for key, value in m.items():
        if key.endswith("_heldout_cindex_mean") and value is not None:
            model = key.removesuffix("_heldout_cindex_mean")
            rows.append(
                {
                    "evaluation": "held-out (nested cross-validation), baseline",
                    "model": model,
                    "c_index": value,
                    "c_index_sd": m.get(f"{model}_heldout_cindex_sd"),
                    "logrank_p": None,
                }
            )
    if m.get("external_cindex") is not None:
        rows.append(
            {
                "evaluation": f"external cohort ({m.get('external_n_patients', '?')} patients, mRNA-only classifier)",
                "model": "autoencoder subtypes",
                "c_index": m.get("external_cindex"),
                "c_index_sd": None,
                "logrank_p": m.get("external_logrank_p"),
            }
        )
    return pd.DataFrame(rows)


def subtypes_section(
    report: Report, results: str | os.PathLike[str], *, survival: pd.DataFrame | None = None
) -> str:
    """Add the survival-subtypes section; return one plain-words sentence for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        Folder with ``metrics.json`` from ``omicsdl subtypes evaluate`` and,
        optionally (here or in ``tables/``), per-patient subtypes
        (``subtypes.tsv``: patient, subtype), held-out assignments
        (``heldout.tsv``: method, repeat, fold, patient, subtype, risk),
        ``baselines.tsv``, hazard ratios, clinical associations and
        differential features. Parts whose file is absent are skipped and the
        page says so.
    survival
        Clinical table indexed by patient with ``os_days`` and ``os_event``
        (used when the assignment files carry no survival columns).
    """
    folder = require_dir(results, "subtypes", "metrics.json")
    m = read_json(folder / "metrics.json", report)
    sec = report.section("subtypes", "Survival subtypes")
    sec.add_text(
        "Patients were grouped into molecular subtypes with the method of Chaudhary et al. (2018): an "
        "autoencoder compresses the three omics, the compressed features linked to survival are kept, and "
        "K-means groups the patients. A result measured on the same patients that chose the subtypes "
        "(in-sample) is optimistic; the held-out figure comes from nested cross-validation, where each "
        "patient's subtype is predicted by a classifier that never saw that patient."
    )
    sec.add_key_figures(
        {
            "patients": str(m.get("n_patients", "n/a")),
            "deaths": str(m.get("n_events", "n/a")),
            "subtypes (k)": str(m.get("k", "n/a")),
            "in-sample log-rank p": fmt_p(m.get("in_sample_logrank_p")),
            "in-sample C-index": fmt_num(m.get("in_sample_cindex")),
            "held-out C-index": f"{fmt_num(m.get('heldout_cindex_mean'))} ± {fmt_num(m.get('heldout_cindex_sd'))}",
            "PCA baseline (held-out)": fmt_num(m.get("pca_heldout_cindex_mean")),
        }
    )
    if m.get("n_repeats") is not None:
        sec.add_callout(
            f"Cross-validation: {m.get('n_folds', '?')} folds × {m['n_repeats']} repeat(s), seed {m.get('seed')}.",
            kind="note",
        )
    sec.add_table(
        _evaluation_table(m),
        name="subtypes_evaluation",
        caption="Held-out evaluation beside the in-sample one, with the baselines (C-index: 0.5 = chance).",
    )
    if (path := find_file(folder, *_BASELINES)) is not None:
        sec.add_table(
            _read_tsv(path, report),
            name="subtypes_baselines",
            caption="Every model of the nested cross-validation (mean and spread over repeats).",
        )

    if (path := find_file(folder, *_ASSIGNMENTS)) is not None:
        frame = _with_survival(_patient_table(_read_tsv(path, report)), survival)
        if frame is None:
            sec.add_callout(
                f"{path.name} has no survival times for its patients; the in-sample "
                "Kaplan-Meier plot is skipped (pass the cohort to the report).",
                kind="warning",
            )
        else:
            _km(sec, frame, label="in-sample", name="in_sample")
    else:
        sec.add_callout(
            "No per-patient subtype table (subtypes.tsv) in the results: the in-sample "
            "Kaplan-Meier curves and hazard ratios are not shown.",
            kind="warning",
        )
    if (path := find_file(folder, *_K_SELECTION)) is not None:
        sec.add_table(
            _read_tsv(path, report),
            name="subtypes_k_selection",
            caption="Choice of the number of subtypes k: silhouette and Calinski-Harabasz scores.",
        )
    if (path := find_file(folder, *_HELDOUT)) is not None:
        held = _read_tsv(path, report)
        if "method" in held:
            held = held[held["method"].astype(str) == "autoencoder"]
        if "repeat" in held and len(held):
            held = held[held["repeat"] == held["repeat"].min()]
        frame = _with_survival(_patient_table(held), survival) if len(held) else None
        if frame is not None:
            _km(sec, frame, label="held-out, first repeat", name="heldout")
    else:
        sec.add_callout(
            "No held-out assignment table (heldout.tsv): the held-out Kaplan-Meier curves are not shown.",
            kind="warning",
        )

    if (path := find_file(folder, *_EXTERNAL)) is not None:
        frame = _with_survival(_patient_table(_read_tsv(path, report)), None)
        if frame is not None:
            _km(sec, frame, label="external cohort, mRNA-only classifier", name="external")

    char = report.section("characterisation", "What distinguishes the subtypes")
    found = False
    if (path := find_file(folder, *_CLINICAL)) is not None:
        found = True
        char.add_table(
            _read_tsv(path, report),
            name="subtypes_clinical_association",
            caption="Clinical association of the subtypes (stage, grade, age, sex).",
        )
    if (path := find_file(folder, *_DIFFERENTIAL)) is not None:
        found = True
        diff = _read_tsv(path, report)
        sort = next((c for c in ("fdr", "q_value", "p_adj", "p_value", "p") if c in diff), None)
        if sort:
            diff = diff.sort_values(sort, kind="stable")
        if "omic" in diff:
            diff = diff.groupby("omic", sort=False).head(10)
        char.add_table(
            diff,
            name="subtypes_top_differential_features",
            caption="Top differential features per omic between subtypes (10 per omic, by FDR; the full "
            f"table is {path.name} in the subtypes results).",
            max_rows=40,
        )
    if not found:
        char.add_callout(
            "The subtypes step wrote no characterisation tables (clinical association, "
            "differential features); this part is skipped.",
            kind="warning",
        )

    report.add_methods(
        subtypes_seed=m.get("seed"),
        subtypes_cv=f"{m.get('n_folds', '?')} folds × {m.get('n_repeats', '?')} repeats",
        subtypes_params=m.get("params", "not recorded"),
    )
    held_c = m.get("heldout_cindex_mean")
    pca = m.get("pca_heldout_cindex_mean")
    if held_c is None:
        sure = "the held-out C-index is not available"
    else:
        sure = (
            f"on patients the model had not seen, it tells which of two patients lives longer correctly for "
            f"{100 * float(held_c):.0f}% of pairs (held-out C-index {float(held_c):.2f}; 0.50 is chance"
            + (f", PCA baseline {float(pca):.2f})" if pca is not None else ")")
        )
    return (
        f"Survival subtypes: {m.get('k', '?')} subtypes among {m.get('n_patients', '?')} patients separate "
        f"survival in-sample (log-rank p = {fmt_p(m.get('in_sample_logrank_p'))}, an optimistic figure); {sure}."
    )
