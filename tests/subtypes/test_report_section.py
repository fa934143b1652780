"""The subtypes report section on a benchmark folder: every headline beside its baseline, plain names."""

from __future__ import annotations

import pandas as pd


def test_section_states_baselines_winner_and_permutation_count(evaluation_and_fits, tmp_path):
    from omicsdl.report import build_report

    ev, _ = evaluation_and_fits
    ev.write(tmp_path / "subtypes")
    page = build_report(cohort="demo", subtypes=tmp_path / "subtypes").write(tmp_path / "report")
    html = page.read_text()
    summary = html.split('id="summary"')[1].split("</section>")[0]
    rec = ev.recommendation
    assert f"the best is {rec.model}" in summary and f"best baseline {rec.reference}" in summary
    assert "stage alone" in summary and "the published deep-learning subtypes reach" in summary
    assert "deep models" in summary and "(3 permutations)" in summary
    section = html.split('<section id="subtypes">')[1].split("</section>")[0]
    assert rec.statement.split(".")[0] in section
    assert "± 0.00" not in html and "one repeat" in section
    assert "not a valid p-value" in section  # the pooled log-rank p is explained, never shown
    table = pd.read_csv(tmp_path / "report" / "tables" / "subtypes_models.tsv", sep="\t")
    assert {
        "Model",
        "Held-out C (Harrell)",
        "Uno's C (to 5 years)",
        "Difference from the best baseline",
    } <= set(table.columns)
    assert "harrell_c" not in table.columns and "c_index_sd" not in html  # plain names for people
    assert table["Held-out C (Harrell)"].is_monotonic_decreasing
    assert "How to read this table" in section
    top = pd.read_csv(tmp_path / "report" / "tables" / "subtypes_top_features.tsv", sep="\t")
    assert {"Omic", "Feature", "Effect on risk"} <= set(top.columns)
    char = html.split('<section id="characterisation">')[1].split("</section>")[0]
    assert "descriptive" in char.lower()
