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


#: plain column names of the model table (the TSV beside the page keeps the raw names)
_MODEL_COLUMNS = {
    "model": "Model",
    "description": "What it is",
    "uses_clinical": "Uses clinical data",
    "harrell_c": "Held-out C (Harrell)",
    "spread": "Spread over repeats (sd)",
    "uno_c": "Uno's C (to 5 years)",
    "auc_1y": "AUC at 1 year",
    "auc_3y": "AUC at 3 years",
    "auc_5y": "AUC at 5 years",
    "ibs": "Integrated Brier score (lower is better)",
    "difference": "Difference from the best baseline",
    "ci": "95% interval of the difference",
    "seconds_per_fold": "Seconds per fold",
    "n_failed_folds": "Folds without subtypes",
}

_GLOSSARY = (
    "How to read this table. Held-out C (Harrell's concordance): for two patients, how often the one the "
    "model calls higher-risk dies first; 0.50 is chance, 1 is perfect; computed on patients the model "
    "never saw. Uno's C: the same, weighted for censoring. AUC at t years: how well the risk separates "
    "patients who died before t from those alive at t. Integrated Brier score: error of the predicted "
    "survival curves (0 is perfect, about 0.25 is useless). Difference from the best baseline: the mean "
    "per-fold difference in held-out C from the best of the simple baselines (PCA + ridge Cox, per-omic "
    "ridge Cox, stage), with a 95% interval corrected for the overlap of cross-validation training sets "
    "(Nadeau and Bengio); an interval that contains 0 means no detectable difference."
)


def _model_table(ev: SubtypesEvaluation) -> pd.DataFrame:
    """The models table with plain column names, the headline metric first."""
    t = ev.models.copy()
    one = (ev.n_repeats or 1) == 1
    t["spread"] = ["one repeat" if one or v != v else f"{v:.3f}" for v in t["harrell_c_sd"]]
    t["difference"] = [
        "reference" if m == ev.recommendation.reference else ("n/a" if d != d else f"{d:+.3f}")
        for m, d in zip(t["model"], t["diff_vs_reference"], strict=True)
    ]
    t["ci"] = [
        "" if lo != lo else f"{lo:+.3f} to {hi:+.3f}"
        for lo, hi in zip(t["diff_ci_low"], t["diff_ci_high"], strict=True)
    ]
    t["uses_clinical"] = np.where(t["uses_clinical"].astype(bool), "yes (stage)", "no")
    t = t.sort_values("harrell_c", ascending=False, kind="stable")
    return t[list(_MODEL_COLUMNS)].rename(columns=_MODEL_COLUMNS)


def _top_features(ev: SubtypesEvaluation, n: int = 8) -> pd.DataFrame | None:
    """Top features per omic of the recommended model, with direction and how stable they were across fits."""
    top = ev.top_features
    if top is None or top.empty:
        return None
    model = str(top["model"].iloc[0]) if "model" in top else ev.recommendation.model.split("+")[0]
    top = top[top["rank"] <= n].copy()
    stab = ev.feature_stability
    if stab is not None and not stab.empty:
        s = stab[stab["model"] == model].set_index(["omic", "feature"])["fraction_of_fits"]
        top["stable"] = [
            f"{100 * s.get((o, f), 0.0):.0f}%" for o, f in zip(top["omic"], top["feature"], strict=True)
        ]
    cols = {"omic": "Omic", "rank": "Rank", "feature": "Feature", "direction": "Effect on risk",
            "importance": "Importance (mean |attribution|)", "stable": "Among the top 20 in CV fits"}  # fmt: skip
    return top[[c for c in cols if c in top]].rename(columns=cols)


def _benchmark_part(report: Report, sec: Section, ev: SubtypesEvaluation) -> str:
    """The model comparison (folders written since the benchmark); returns the summary sentence."""
    rec = ev.recommendation
    table = ev.models.set_index("model")
    c = table["harrell_c"]
    ref = rec.reference
    stage_c = c.get("stage")
    chaud = c.get("chaudhary")
    one = (ev.n_repeats or 1) == 1
    perm = ev.permutation
    perm_text = (
        "not tested"
        if perm is None or not perm.n_permutations
        else f"p = {fmt_p(perm.p_value)} ({perm.n_permutations} permutations)"
    )
    sec.add_key_figures(
        {
            "patients": _text(ev.n_patients)
            + (f" ({ev.n_left_out} left out: an omic missing)" if ev.n_left_out else ""),
            "deaths": _text(ev.n_events),
            "recommended model (held-out C)": f"{rec.model} {fmt_num(rec.cindex, 3)}",
            "best baseline (held-out C)": f"{ref} {fmt_num(c.get(ref), 3)}" if ref else "n/a",
            "published pipeline (held-out C)": f"{fmt_num(chaud, 3)} vs best baseline {fmt_num(c.get(ref), 3)}"
            if chaud is not None
            else "not run",
            "stage alone (held-out C)": fmt_num(stage_c, 3),
            "held-out subtype separation": perm_text,
            "in-sample log-rank p (optimistic)": fmt_p(ev.in_sample.logrank_p),
        }
    )
    sec.add_callout(rec.statement, kind="note")
    diff = (
        ""
        if rec.difference is None
        else f" Its difference from {rec.compared_with}: {rec.difference:+.3f} "
        f"(95% interval {rec.ci_low:+.3f} to {rec.ci_high:+.3f})."
    )
    sec.add_text(
        f"Every model was fitted and scored on exactly the same cross-validation folds ({ev.n_folds} folds × "
        f"{'one repeat' if one else f'{ev.n_repeats} repeats'}, seed {ev.seed}); every step — preprocessing, "
        "feature selection, embeddings, survival screens, clusters, penalties (by inner cross-validation) and "
        "classifiers — was refitted on the training patients of each fold. "
        f"The recommended model is the one with the best held-out C: {rec.model}"
        f"{' (it uses clinical stage)' if rec.uses_clinical else ''}.{diff}"
        + (" With one repeat there is no spread over repeats to show." if one else "")
    )
    if perm is not None and perm.n_permutations:
        sec.add_text(
            f"Held-out separation of the published pipeline's subtypes: permutation p = {fmt_p(perm.p_value)} "
            f"from {perm.n_permutations} permutations of the survival times, each re-running the whole "
            "cross-validation (the smallest p possible is 1/(permutations + 1)). Under permuted survival, "
            f"{100 * (perm.no_subtypes_fraction or 0):.0f}% of the folds found no survival-associated feature "
            "and formed no subtypes, as they should. A log-rank p of pooled cross-validated groups is not "
            "a valid p-value and is not shown."
        )
    sec.add_table(
        _model_table(ev),
        name="subtypes_models",
        caption="All models on the same folds, best held-out C first (C: 0.5 = chance).",
        max_rows=40,
    )
    if "models" in ev.files:
        report.add_input(ev.files["models"], label="subtypes/models.tsv")
    sec.add_text(_GLOSSARY)
    top = _top_features(ev)
    if top is not None:
        sec.add_table(
            top,
            name="subtypes_top_features",
            caption=f"Which features drive the risk of the recommended model ({rec.model.split('+')[0]}, fitted on "
            "every patient): integrated gradients (deep models) or coefficients through the PCA loadings "
            "(linear models), with how often each was among the top 20 of its omic across the "
            "cross-validation fits.",
            max_rows=30,
        )
    best_c = fmt_num(rec.cindex)
    sentence = (
        f"Survival: on patients the models had not seen, the best is {rec.model} (held-out C-index "
        f"{best_c}; 0.50 is chance), against the best baseline {ref} ({fmt_num(c.get(ref))}) and stage alone "
        f"({fmt_num(stage_c)})"
    )
    if chaud is not None:
        sentence += f"; the published deep-learning subtypes reach {fmt_num(chaud)}"
    if rec.best_deep and rec.best_linear:
        lo, hi = rec.deep_vs_linear_ci
        verdict = (
            "beat"
            if lo is not None and lo > 0
            else "lose to"
            if hi is not None and hi < 0
            else "do not beat (a tie within the interval)"
        )
        sentence += f", and the deep models {verdict} the linear ones"
    if perm is not None and perm.n_permutations:
        sentence += f"; held-out subtype separation {perm_text}"
    return sentence + "."


def _legacy_part(report: Report, sec: Section, ev: SubtypesEvaluation) -> str:
    """The evaluation of a folder written before the model benchmark; returns the summary sentence."""
    pca = ev.baseline("pca")
    pca_c = None if pca is None else pca.cindex_mean
    one = (ev.n_repeats or 1) == 1
    held = fmt_num(ev.heldout.cindex_mean) + (
        "" if one or ev.heldout.cindex_sd is None else f" ± {fmt_num(ev.heldout.cindex_sd)}"
    )
    sec.add_key_figures(
        {
            "patients": _text(ev.n_patients),
            "deaths": _text(ev.n_events),
            "subtypes (k)": _text(ev.k),
            "in-sample log-rank p (optimistic)": fmt_p(ev.in_sample.logrank_p),
            "held-out C-index": held + (" (one repeat)" if one else ""),
            "PCA baseline (held-out)": fmt_num(pca_c),
        }
    )
    sec.add_callout(
        "These results were written by an older omicsdl: the held-out log-rank p-value of pooled "
        "cross-validated groups is not a valid p-value and is not shown; re-run `omicsdl subtypes evaluate` "
        "for every model on the same folds and a permutation test.",
        kind="warning",
    )
    rows = [
        {"evaluation": "in-sample (features and subtypes chosen on the same patients)", "model": "autoencoder",
         "C-index": ev.in_sample.cindex},
        {"evaluation": "held-out (cross-validation)", "model": "autoencoder", "C-index": ev.heldout.cindex_mean},
    ]  # fmt: skip
    rows += [
        {"evaluation": "held-out (cross-validation), baseline", "model": b.name, "C-index": b.cindex_mean}
        for b in ev.baseline_scores
        if b.cindex_mean is not None
    ]
    sec.add_table(
        pd.DataFrame(rows),
        name="subtypes_evaluation",
        caption="Held-out evaluation beside the in-sample one, with the baselines (C-index: 0.5 = chance).",
    )
    held_c = ev.heldout.cindex_mean
    if held_c is None:
        return "Survival subtypes: the held-out C-index is not available."
    versus = ""
    if pca_c is not None:
        versus = f", PCA baseline {float(pca_c):.2f}: " + (
            "the subtypes do better" if held_c > pca_c else "the baseline does as well or better"
        )
    return (
        f"Survival subtypes: {ev.k or '?'} subtypes among {ev.n_patients or '?'} patients; on patients the model "
        f"had not seen, held-out C-index {float(held_c):.2f}; 0.50 is chance{versus}."
    )


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
        "K-means groups the patients. Beside it, other survival models — DeepProg-style autoencoders, an "
        "autoencoder trained on survival, and simple linear baselines — predict each patient's risk. A "
        "result measured on the same patients that chose the subtypes (in-sample) is optimistic; held-out "
        "figures come from cross-validation, where each patient is scored by models that never saw them."
    )
    if ev.models is not None and ev.recommendation is not None:
        summary = _benchmark_part(report, sec, ev)
    else:
        summary = _legacy_part(report, sec, ev)
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
        column = "model" if "model" in held.columns else "method"
        held = held[held[column].astype(str).isin(["chaudhary", "autoencoder"])]
        if len(held) and "subtype" in held.columns:
            held = held[(held["repeat"] == held["repeat"].min()) & (held["subtype"].astype(str) != "none")]
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
            caption="Clinical association of the in-sample subtypes (stage, grade, age, sex). These p-values are "
            "descriptive: the subtypes were chosen for their survival differences; sparse tables use exact "
            "tests.",
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
            caption="Top differential features per omic between the in-sample subtypes (10 per omic, by FDR; "
            f"the full table is {name} in the subtypes results). Descriptive only: these omics built the "
            "subtypes, so differences between them are expected and the p-values are not evidence.",
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
        subtypes_cv=f"{ev.n_folds or '?'} folds × {ev.n_repeats or '?'} repeat(s)",
        subtypes_params=ev.params if ev.params is not None else "not recorded",
    )
    return summary
