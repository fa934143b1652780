"""Report sections for the nine-gene blood classifier: one comparison, and the scenario table.

``omicsdl blood evaluate`` writes a comparison folder (``metrics.json``);
``omicsdl blood scenario-table`` a table folder (``scenarios.json``) that holds
one comparison per scenario. :func:`blood_section` takes either (or a
comparison folder with the table in its ``scenarios/`` sub-folder) and adds
one section per result, in plain words first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from omicsdl.report._sections_common import fmt_num, fmt_p, require_dir

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    from matplotlib.figure import Figure

    from omicsdl.blood import BloodComparison, BloodScenarioTable, PairedTest
    from omicsdl.report._builder import Report, Section

__all__ = ["blood_section", "read_blood_results"]

_NAMES = {
    "mlp": "neural network (MLP)",
    "logistic": "logistic regression",
    "lda": "discriminant analysis (LDA)",
    "tree": "classification tree",
}
_EVALUATIONS = {"cv": "cross-validation (training series)", "validation": "validation series"}
_GLOSSARY = (
    "Words used here. AUC: the chance that the test scores a random HCC patient above a random control "
    "(0.5 = guessing, 1 = perfect). Best possible AUC (Bayes-optimal): the AUC of the ideal rule that knows how "
    "the data were simulated; no method can beat it on average. Best linear AUC: the best a weighted sum of the "
    "genes can do (logistic regression and LDA are weighted sums). Paired test (DeLong): compares two methods' "
    "AUCs on the same samples, which is far more sensitive than comparing their separate intervals. "
    "Holm-adjusted p: the p-value corrected for the six method pairs compared at once; below 0.05 we call a "
    "difference significant. Inner-CV threshold: the HCC/control cut-off of each fold is chosen on predictions "
    "for training samples that the model did not see, never on the samples it is tested on."
)


def read_blood_results(results: str | os.PathLike[str]) -> BloodComparison | BloodScenarioTable:
    """The result in a folder written by ``omicsdl blood evaluate`` or ``omicsdl blood scenario-table``.

    Raises
    ------
    InputError
        The folder does not exist or holds neither ``scenarios.json`` nor
        ``metrics.json`` (the message names the folder and says to run the
        blood step), or the result cannot be read.
    """
    from omicsdl.blood import BloodComparison, BloodScenarioTable

    if (Path(results) / BloodScenarioTable.main_file).is_file():
        return BloodScenarioTable.read(results)
    folder = require_dir(results, "blood classifier", BloodComparison.main_file)
    return BloodComparison.read(folder)


def blood_section(
    report: Report, results: BloodComparison | BloodScenarioTable | str | os.PathLike[str]
) -> str:
    """Add the blood-classifier section(s); return the plain-words sentences for the summary.

    Parameters
    ----------
    report
        The report to extend.
    results
        A comparison, a scenario table, or the folder of either
        (:func:`read_blood_results`). A comparison folder with a scenario table
        in its ``scenarios/`` sub-folder gives both sections. The ROC figure is
        the folder's own ``roc.png`` when present, else drawn from the ROC
        curves, else left out (the section says so).
    """
    from omicsdl.blood import BloodComparison, BloodScenarioTable

    result = (
        results if isinstance(results, BloodComparison | BloodScenarioTable) else read_blood_results(results)
    )
    if isinstance(result, BloodScenarioTable):
        main = result.comparisons.get("linear") or next(iter(result.comparisons.values()))
        first = _comparison_section(report, main)
        return first + " " + _table_section(report, result)
    sentence = _comparison_section(report, result)
    nested = result.nested_scenario_table()
    if nested is not None:
        sentence += " " + _table_section(report, nested)
    return sentence


# -- one comparison -------------------------------------------------------------------------------


def _difference_words(test: PairedTest | None, a: str, b: str) -> str:
    if test is None:
        return f"{_NAMES.get(a, a)} and {_NAMES.get(b, b)} were not compared by a paired test"
    verdict = (
        "the paired test cannot tell them apart"
        if test.p_holm >= 0.05
        else f"{_NAMES.get(a, a) if test.auc_difference > 0 else _NAMES.get(b, b)} is significantly better"
    )
    return (
        f"the difference {test.auc_difference:+.3f} (95% CI {test.ci_low:+.3f} to {test.ci_high:+.3f}; "
        f"Holm-adjusted p = {fmt_p(test.p_holm)}): {verdict}"
    )


def _above_bayes_callout(sec: Section, result: BloodComparison) -> None:
    above = []
    for method in result.methods:
        for evaluation in ("cv", "validation"):
            s, bayes = result.scores(method, evaluation), result.bayes_auc_of(evaluation)  # type: ignore[arg-type]
            if s is not None and s.auc is not None and bayes is not None and s.auc > bayes:
                above.append((method, evaluation, s))
    if not above:
        return
    method, evaluation, s = max(above, key=lambda item: item[2].auc)
    n = s.n or "the"
    sec.add_callout(
        f"Why an AUC can be above the best possible AUC: {len(above)} of the AUCs here exceed the best possible "
        f"value (for example {_NAMES.get(method, method)}, {_EVALUATIONS[evaluation]}: {fmt_num(s.auc, 3)} vs "
        f"{fmt_num(result.bayes_auc_of(evaluation), 3)}). No method is better than optimal: the best possible AUC "  # type: ignore[arg-type]
        f"is the value on infinitely many patients, while each AUC here is measured on {n} simulated samples and "
        f"would move by about ±{fmt_num((s.auc_ci_high - s.auc_ci_low) / 2, 2)} (its 95% interval) with another "
        "simulated cohort of the same size. The best possible AUC lies inside every such interval.",
        kind="note",
    )


def _comparison_section(report: Report, result: BloodComparison) -> str:
    from omicsdl.blood import plot_blood_confusion, plot_blood_roc_summary

    if result.metrics_file is not None:
        label = f"{result.metrics_file.parent.name}/{result.metrics_file.name}"
        report.add_input(result.metrics_file, label=label)
    synthetic = result.synthetic
    sec = report.section("blood", "Nine-gene blood test: HCC vs control", synthetic=synthetic)
    sec.add_text(
        "Xie et al. (2018) measured nine genes (GPC3, HGF, ANXA1, FOS, SPAG9, HSPA1B, CXCR4, PFN1, CALR) in "
        "peripheral blood and found that a small neural network told early HCC from healthy controls better "
        "than logistic regression, discriminant analysis or a classification tree. The same comparison was "
        "repeated here with cross-validation; each fold's cut-off was chosen on its training samples only."
    )
    if synthetic:
        scenario = f" (scenario '{result.scenario}')" if result.scenario else ""
        sec.add_callout(
            f"SYNTHETIC: these samples were simulated{scenario} with the published group sizes (the original data "
            "are not public). The numbers show how the methods behave, not how well the test works in patients.",
            kind="synthetic",
        )
    rows = []
    for method in result.methods:
        cv, val = result.scores(method, "cv"), result.scores(method, "validation")
        rows.append(
            {
                "method": _NAMES.get(method, method),
                "auc": cv.auc,
                "auc_ci_low": cv.auc_ci_low,
                "auc_ci_high": cv.auc_ci_high,
                "sensitivity": cv.sensitivity,
                "specificity": cv.specificity,
                "threshold": cv.threshold,
                "validation_auc": None if val is None else val.auc,
            }
        )
    table = pd.DataFrame(rows)
    if table["validation_auc"].isna().all():
        table = table.drop(columns="validation_auc")
    bayes = result.bayes_auc
    figures: dict[str, str] = {}
    best = None
    if len(table):
        best = table.loc[table["auc"].astype(float).idxmax()]
        for method in ("mlp", "logistic"):
            if method in result.methods:
                label = "neural network AUC" if method == "mlp" else "logistic regression AUC (baseline)"
                figures[label] = fmt_num(result.scores(method, "cv").auc, 3)
        figures["best method"] = str(best["method"])
    if bayes is not None:
        figures["best possible AUC (simulator)"] = fmt_num(bayes, 3)
    sec.add_key_figures(figures)
    sec.add_table(
        table,
        name="blood_metrics",
        caption="Cross-validated AUC with 95% confidence interval, sensitivity and specificity at the cut-off, "
        "per method (and the AUC on the validation series, when there is one).",
        labels={
            "method": "Method",
            "auc": "AUC",
            "auc_ci_low": "95% CI low",
            "auc_ci_high": "95% CI high",
            "sensitivity": "Sensitivity",
            "specificity": "Specificity",
            "threshold": "Cut-off (probability of HCC)",
            "validation_auc": "AUC, validation series",
        },
    )
    if result.paired_tests:
        pairs = pd.DataFrame(
            [
                {
                    "comparison": f"{_NAMES.get(t.a, t.a)} − {_NAMES.get(t.b, t.b)}",
                    "evaluation": _EVALUATIONS[evaluation],
                    "auc_difference": test.auc_difference,
                    "ci_low": test.ci_low,
                    "ci_high": test.ci_high,
                    "p": test.p,
                    "p_holm": test.p_holm,
                    "significant": "yes" if test.p_holm < 0.05 else "no",
                }
                for t in result.paired_tests
                for evaluation in ("cv", "validation")
                if (test := t.get(evaluation)) is not None  # type: ignore[arg-type]
            ]
        )
        sec.add_table(
            pairs,
            name="blood_paired_tests",
            caption="Every pair of methods compared on the same samples (DeLong's paired test); p-values "
            "Holm-adjusted over the six pairs of each evaluation. On cross-validation the test treats the fold "
            "models as fixed and ignores how they would change with another training set.",
            labels={
                "comparison": "Difference in AUC",
                "evaluation": "Evaluated on",
                "auc_difference": "AUC difference",
                "ci_low": "95% CI low",
                "ci_high": "95% CI high",
                "p": "p",
                "p_holm": "p, Holm-adjusted",
                "significant": "Significant",
            },
        )
    _above_bayes_callout(sec, result)
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
    sec.add_text(_GLOSSARY)
    report.add_methods(blood_classifier=_settings_words(result))
    if best is None:
        return "Blood test: no method results were found."
    prefix = "Blood test (SYNTHETIC data)" if synthetic else "Blood test"
    sentence = (
        f"{prefix}: the best of the {len(result.methods)} methods, {best['method']}, separates HCC from controls "
        f"with AUC {fmt_num(best['auc'], 3)} (95% CI {fmt_num(best['auc_ci_low'], 3)}–"
        f"{fmt_num(best['auc_ci_high'], 3)})"
    )
    if {"mlp", "logistic"} <= set(result.methods):
        mlp, lr = result.scores("mlp", "cv").auc, result.scores("logistic", "cv").auc
        sentence += (
            f"; the neural network reached {fmt_num(mlp, 3)} against {fmt_num(lr, 3)} for logistic regression "
            f"(the baseline): {_difference_words(result.paired_test('mlp', 'logistic'), 'mlp', 'logistic')}"
        )
    if bayes is not None:
        sentence += f". The best possible AUC on these simulated data is {fmt_num(bayes, 3)}"
        if float(best["auc"]) > bayes:
            sentence += (
                f"; the best method's AUC is above it only by chance (it is measured on {result.settings.n_train} "  # type: ignore[union-attr]
                "simulated samples, see the blood section)"
                if result.settings is not None and result.settings.n_train
                else "; the best method's AUC is above it only by the chance of a finite sample"
            )
    return sentence + "."


def _settings_words(result: BloodComparison) -> str:
    run = result.settings
    if run is None:
        return "not recorded"
    parts = [
        f"{run.n_repeats} × {run.n_splits}-fold stratified cross-validation on {run.n_train} samples "
        f"({run.n_train_positive} HCC)",
        f"cut-off by {'Youden' if run.threshold_rule == 'youden' else f'target sensitivity {run.threshold_rule}'} "
        f"on {run.threshold_chosen_on}",
        f"AUC interval: {run.auc_ci}",
    ]
    if run.paired_test:
        parts.append(f"paired tests: {run.paired_test}")
    if run.n_validation:
        parts.append(f"validation series: {run.n_validation} samples ({run.n_validation_positive} HCC)")
    if result.scenario:
        parts.append(f"SYNTHETIC scenario {result.scenario}")
    parts.append(f"seed {run.seed}")
    return "; ".join(parts)


# -- the scenario table ---------------------------------------------------------------------------


def _table_rows(table: BloodScenarioTable) -> pd.DataFrame:
    rows = []
    for name, comparison in table.comparisons.items():
        for evaluation in ("cv", "validation"):
            verdict = table.verdict(name, evaluation)  # type: ignore[arg-type]
            if verdict is None:
                continue
            row: dict[str, object] = {
                "scenario": _plain(name),
                "evaluation": _EVALUATIONS[evaluation],
                "bayes_auc": comparison.bayes_auc_of(evaluation),  # type: ignore[arg-type]
                "best_linear_auc": table.best_linear_auc(name, evaluation),  # type: ignore[arg-type]
            }
            for method in comparison.methods:
                s = comparison.scores(method, evaluation)  # type: ignore[arg-type]
                row[method] = None if s is None else s.auc
            t = verdict.runner_up_test
            row["winner"] = _NAMES.get(verdict.best, verdict.best)
            row["beats"] = ", ".join(_NAMES.get(m, m) for m in verdict.beats) or "none"
            row["evidence"] = (
                "–"
                if t is None
                else f"{t.auc_difference:+.3f} ({t.ci_low:+.3f} to {t.ci_high:+.3f}), p = {fmt_p(t.p_holm)} "
                f"vs {_NAMES.get(verdict.runner_up or '', verdict.runner_up)}"
            )
            rows.append(row)
    return pd.DataFrame(rows)


def _mlp_record(table: BloodScenarioTable, evaluation: str = "cv") -> dict[str, list[str]]:
    """Scenarios where the MLP is significantly better than / worse than / tied with logistic regression."""
    record: dict[str, list[str]] = {"better": [], "worse": [], "tied": []}
    for name, comparison in table.comparisons.items():
        if not {"mlp", "logistic"} <= set(comparison.methods):
            continue
        t = comparison.paired_test("mlp", "logistic", evaluation)  # type: ignore[arg-type]
        if t is None:
            continue
        key = "tied" if t.p_holm >= 0.05 else ("better" if t.auc_difference > 0 else "worse")
        record[key].append(name)
    return record


def _table_section(report: Report, table: BloodScenarioTable) -> str:
    if table.main_path is not None:
        report.add_input(table.main_path, label=f"{table.main_path.parent.name}/{table.main_path.name}")
    sec = report.section(
        "blood_scenarios", "Blood test: which method wins in which situation", synthetic=True
    )
    n = len(table.comparisons)
    sec.add_text(
        f"Data in which logistic regression is optimal by construction can only show the neural network tie or "
        f"lose. So the comparison was repeated in {n} simulated situations, each chosen because it gives one kind "
        "of method a reason to win: a curved boundary between the groups (HCC patients more variable than "
        "controls), an interaction between two genes, heavy tails and failed measurements, a validation series "
        "measured in another batch, and controls with liver cirrhosis instead of healthy people. Every situation "
        "keeps the published group sizes (157 training samples, 86 validation samples) and states the best AUC "
        "any method could reach."
    )
    sec.add_callout(
        "SYNTHETIC: every number in this section comes from simulated data. Parameters taken from the "
        "literature and parameters that are assumptions are listed per scenario in scenarios.json.",
        kind="synthetic",
    )
    record = _mlp_record(table)
    sec.add_key_figures(
        {
            "scenarios": str(n),
            "MLP significantly better than logistic regression": str(len(record["better"])),
            "MLP significantly worse": str(len(record["worse"])),
            "no significant difference": str(len(record["tied"])),
        }
    )
    frame = _table_rows(table)
    methods = [m for m in ("mlp", "logistic", "lda", "tree") if m in frame.columns]
    sec.add_table(
        frame,
        name="blood_scenarios",
        caption="Which method wins in which scenario: AUC of every method, the best possible (Bayes-optimal) and "
        "the best linear AUC, the winner, the methods it beats (paired DeLong test, Holm-adjusted p < 0.05 over "
        "the six pairs of the scenario), and the evidence against the runner-up: AUC difference (95% CI), "
        "adjusted p.",
        max_rows=2 * n,
        labels={
            "scenario": "Scenario",
            "evaluation": "Evaluated on",
            "bayes_auc": "Best possible AUC",
            "best_linear_auc": "Best linear AUC",
            **{m: _NAMES[m] for m in methods},
            "winner": "Highest AUC",
            "beats": "Significantly better than",
            "evidence": "Against the runner-up",
        },
    )
    from omicsdl.blood import plot_blood_learning_curves, plot_blood_scenario_auc

    _saved_or_drawn(
        sec,
        table.figure_file("scenario_auc"),
        lambda: plot_blood_scenario_auc(table, labels=_NAMES),
        caption="AUC per scenario (cross-validated) with 95% intervals, the best possible (black) and the best "
        "linear AUC (grey).",
    )
    curves = table.learning_curves
    excess = None
    if curves is not None and len(curves):
        _saved_or_drawn(
            sec,
            table.figure_file("learning_curves"),
            lambda: plot_blood_learning_curves(table, labels=_NAMES),
            caption="Learning curves: AUC on a large simulated test set (mean ± SD over independent training "
            "sets) against the number of training samples; dashed: the best possible AUC; dotted: the published "
            "157.",
        )
        _learning_table(sec, curves)
        fitted = curves[curves["method"] != "bayes"]
        excess = float((fitted["auc_mean"] - fitted["bayes_auc"]).max())
    above = [
        (name, m, e)
        for name, c in table.comparisons.items()
        for m in c.methods
        for e in ("cv", "validation")
        if (s := c.scores(m, e)) is not None
        and s.auc is not None
        and (b := c.bayes_auc_of(e)) is not None
        and s.auc > b  # type: ignore[arg-type]
    ]
    if above:
        sec.add_callout(
            f"{len(above)} of the AUCs in the table are above the best possible AUC of their scenario. That is "
            "sampling noise, not a better-than-optimal method: each is measured on one simulated cohort of 157 "
            "(cross-validation) or 86 (validation) samples, whose AUC varies by about ±0.03–0.08 between cohorts, "
            "while the best possible AUC is the value on infinitely many samples."
            + (
                f" On the learning curves' large test sets the highest mean AUC of any method is {excess:+.3f} "
                "from the best possible."
                if excess is not None
                else ""
            ),
            kind="note",
        )
    described = pd.DataFrame(
        [
            {
                "scenario": _plain(name),
                "title": d.get("title"),
                "model": d.get("model"),
                "expectation": d.get("expectation"),
                "sources": " | ".join(d.get("sources", [])),
            }
            for name, d in table.scenarios.items()
        ]
    )
    sec.add_table(
        described,
        name="blood_scenario_models",
        caption="The scenarios: what is simulated, what each favours, and where the parameters come from "
        "(assumptions are marked as such).",
        max_rows=n,
        labels={
            "scenario": "Scenario",
            "title": "In short",
            "model": "How the data are simulated",
            "expectation": "What it favours",
            "sources": "Parameters from",
        },
    )
    report.add_methods(blood_scenario_table=_table_settings_words(table))
    return _table_sentence(table, record)


def _saved_or_drawn(sec: Section, saved: Path | None, draw: Callable[[], Figure], *, caption: str) -> None:
    """The figure the results folder holds, or else one drawn from the numbers."""
    sec.add_figure(saved.read_bytes() if saved is not None else draw(), caption=caption)


def _learning_table(sec: Section, curves: pd.DataFrame) -> None:
    fitted = curves[curves["method"] != "bayes"]
    wide = fitted.pivot_table(index=["scenario", "method"], columns="n_train", values="auc_mean", sort=False)
    wide.columns = [f"n_{int(c)}" for c in wide.columns]
    wide = wide.reset_index()
    bayes = curves.groupby("scenario", sort=False)["bayes_auc"].first()
    wide.insert(2, "bayes_auc", wide["scenario"].map(bayes))
    wide["method"] = wide["method"].map(lambda m: _NAMES.get(m, m))
    wide["scenario"] = wide["scenario"].map(_plain)
    sizes = [c for c in wide.columns if c.startswith("n_")]
    sec.add_table(
        wide,
        name="blood_learning_curves",
        caption="Mean test AUC by number of training samples (each the mean over "
        f"{int(curves['n_draws'].iloc[0])} training sets; test set {int(curves['n_test'].iloc[0])} per class).",
        max_rows=len(wide),
        labels={
            "scenario": "Scenario",
            "method": "Method",
            "bayes_auc": "Best possible AUC",
            **{c: f"{c[2:]} samples" for c in sizes},
        },
    )


def _plain(name: str) -> str:
    """A scenario name for people (``unequal_covariance`` → ``unequal covariance``)."""
    return name.replace("_", " ")


def _table_settings_words(table: BloodScenarioTable) -> str:
    run = table.settings
    if run is None:
        return "not recorded"
    sizes = ", ".join(str(s) for s in run.learning_sizes) or "none"
    return (
        f"scenarios {', '.join(run.scenarios)}; {run.n_repeats} × {run.n_splits}-fold CV with inner-CV cut-offs "
        f"({run.threshold_rule}); learning curves at {sizes} training samples, {run.n_draws} draws each, "
        f"{run.n_test} test samples per class; seed {run.seed}"
    )


def _table_sentence(table: BloodScenarioTable, record: dict[str, list[str]]) -> str:
    n = len(table.comparisons)
    parts = [
        f"Across {n} simulated blood-test scenarios (SYNTHETIC), the neural network was significantly better than "
        f"logistic regression in {len(record['better'])}"
        + (f" ({', '.join(map(_plain, record['better']))})" if record["better"] else "")
        + f", significantly worse in {len(record['worse'])}"
        + (f" ({', '.join(map(_plain, record['worse']))})" if record["worse"] else "")
        + f" and not distinguishable in {len(record['tied'])} (paired DeLong test on cross-validation, "
        "Holm-adjusted p < 0.05)."
    ]
    transfer = table.comparisons.get("healthy_to_cirrhosis")
    if transfer is not None and transfer.has_validation:
        best = max(transfer.methods, key=lambda m: transfer.scores(m, "cv").auc)
        cv, val = transfer.scores(best, "cv"), transfer.scores(best, "validation")
        parts.append(
            f"A test trained against healthy controls and used on cirrhosis patients kept its sensitivity "
            f"({fmt_num(cv.sensitivity, 2)} → {fmt_num(val.sensitivity, 2)}) but lost specificity "
            f"({fmt_num(cv.specificity, 2)} → {fmt_num(val.specificity, 2)}, {_NAMES.get(best, best)}): against "
            f"cirrhosis the best possible AUC is {fmt_num(transfer.bayes_auc_of('validation'), 3)} instead of "
            f"{fmt_num(transfer.bayes_auc, 3)}."
        )
    if table.learning_curves is not None and len(table.learning_curves):
        curves = table.learning_curves
        big = int(curves["n_train"].max())
        at = curves[(curves["n_train"] == big) & (curves["method"] != "bayes")]
        gap = at.groupby("scenario", sort=False).apply(
            lambda g: float(g["bayes_auc"].iloc[0] - g["auc_mean"].max()), include_groups=False
        )
        parts.append(
            f"With {big} training samples (learning curves) the best method came within "
            f"{fmt_num(max(gap.min(), 0.0), 3)} of the best possible AUC in {_plain(str(gap.idxmin()))} but "
            f"stayed {fmt_num(gap.max(), 3)} below it in {_plain(str(gap.idxmax()))}."
        )
    return " ".join(parts)
