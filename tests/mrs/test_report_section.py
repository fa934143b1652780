"""The report's MRS section: baselines, who wins, adjusted p, intervals, spreads, what is not modelled."""

from __future__ import annotations

import pandas as pd
import pytest

from omicsdl.mrs import NOT_MODELLED, MRSEvaluation
from omicsdl.report._builder import Report
from omicsdl.report._sections_mrs import mrs_section, read_mrs_results


def test_section_states_baseline_winners_intervals_and_spread(evaluation, tmp_path):
    evaluation.write(tmp_path / "mrs")
    report = Report(title="MRS check")
    ev = read_mrs_results(report, tmp_path / "mrs")
    summary = mrs_section(report, ev)
    assert "for the model fit; the qCNN is better for" in summary and "the hybrid" in summary
    out = report.write(tmp_path / "report")
    html = out.read_text()
    section = html.split('<section id="mrs">')[1].split("</section>")[0]
    assert "SYNTHETIC DATA" in section and "baseline" in section
    assert "Holm-adjusted p &lt; 0.05" in section or "Holm-adjusted p < 0.05" in section
    assert "95 % CI" in section and "simulated cohorts" in section
    for name in NOT_MODELLED:
        assert name in section
    tables = tmp_path / "report" / "tables"
    per = pd.read_csv(tables / "mrs_per_metabolite.tsv", sep="\t")
    assert {"paired_p", "paired_p_adjusted", "hybrid_mape", "hybrid_paired_p_adjusted"} <= set(per.columns)
    cls = pd.read_csv(tables / "mrs_classification.tsv", sep="\t").set_index("metric")
    lo, hi = evaluation.classification.sensitivity_ci
    assert cls.loc["sensitivity", ["ci_low", "ci_high"]].tolist() == pytest.approx([lo, hi], rel=1e-9)
    spread = pd.read_csv(tables / "mrs_cohort_spread.tsv", sep="\t").set_index("metric")
    acc = evaluation.cohort_spread.summary()["accuracy"]
    assert spread.loc["accuracy", "mean over 6 cohorts"] == acc["mean"]
    assert (
        spread.loc["accuracy", "97.5 % over 2 studies"]
        == evaluation.study_spread.summary()["accuracy"]["q97.5"]
    )


def test_section_of_an_old_metrics_file_shows_what_it_has(tmp_path):
    ev = MRSEvaluation(
        qcnn_mape={"fat": 4.1}, fit_mape={"fat": 6.3}, paired_p={"fat": 0.003}, qcnn_better=["fat"]
    )
    report = Report(title="old")
    summary = mrs_section(report, ev)
    assert summary.endswith("4.1% vs 6.3% for the model fit; the qCNN is better for 1 of 1 metabolites.")
    html = report.write(tmp_path / "r").read_text()
    assert "p &lt; 0.05, not adjusted" in html or "p < 0.05, not adjusted" in html
