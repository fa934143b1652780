"""The scenario table and the learning curves: structure, reproducibility, files, the report section, the CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import omicsdl as od
from omicsdl.cli import main
from omicsdl.report import Report
from omicsdl.report._sections_blood import blood_section

QUICK = {
    "methods": ["mlp", "logistic", "tree"],
    "n_splits": 3,
    "n_repeats": 1,
    "learning_sizes": (40, 157),
    "n_draws": 2,
    "n_test": 300,
    "mlp_params": {"max_epochs": 40},
}


@pytest.fixture(scope="module")
def table():
    return od.blood.compare_blood_scenarios(["linear", "healthy_to_cirrhosis"], rng=0, **QUICK)


def test_table_structure_and_verdicts(table):
    assert table.names == ["linear", "healthy_to_cirrhosis"]
    frame = table.to_frame()
    assert len(frame) == 4 and set(frame["evaluation"]) == {"cv", "validation"}
    for row in frame.itertuples():
        aucs = {m: getattr(row, f"auc_{m}") for m in QUICK["methods"]}
        assert row.best == max(aucs, key=aucs.get)
        assert set(row.beats.split(";") if row.beats else []) | set(
            row.ties.split(";") if row.ties else []
        ) == (set(aucs) - {row.best})
        assert row.difference_to_runner_up >= 0
    transfer = table.comparisons["healthy_to_cirrhosis"]
    assert transfer.bayes_auc == pytest.approx(0.94) and transfer.bayes_auc_validation == pytest.approx(
        0.8336, abs=1e-3
    )
    assert table.best_linear_auc("healthy_to_cirrhosis", "validation") == pytest.approx(0.8336, abs=1e-3)
    # healthy controls in training, cirrhosis in validation: specificity collapses for every method
    for method in QUICK["methods"]:
        assert transfer.scores(method, "validation").specificity < transfer.scores(method, "cv").specificity
    curves = table.learning_curves
    assert set(curves["method"]) == {*QUICK["methods"], "bayes"}
    assert set(curves["n_train"]) == {40, 157} and (curves["n_draws"] == 2).all()


def test_learning_curve_of_a_linear_method_reaches_the_bayes_auc():
    curve = od.blood.blood_learning_curve(
        "linear", sizes=[640], n_draws=1, n_test=2000, methods=["logistic"], rng=1
    )
    row = curve[curve["method"] == "logistic"].iloc[0]
    assert row["auc_mean"] == pytest.approx(0.94, abs=0.015)
    assert curve[curve["method"] == "bayes"]["auc_mean"].iloc[0] == pytest.approx(0.94, abs=0.01)
    with pytest.raises(od.InputError, match="sizes >= 10"):
        od.blood.blood_learning_curve("linear", sizes=[5])


def test_write_read_and_same_seed_same_files(table, tmp_path):
    written = table.write(tmp_path / "t")
    for name in ("scenarios.json", "scenarios.tsv", "scenario_pairs.tsv", "scenario_methods.tsv",
                 "learning_curves.tsv", "learning_curves.png", "scenario_auc.png", "linear/metrics.json",
                 "healthy_to_cirrhosis/paired_tests.tsv"):  # fmt: skip
        assert name in written, name
    back = od.blood.BloodScenarioTable.read(tmp_path / "t")
    assert back == table
    pd.testing.assert_frame_equal(back.to_frame(), table.to_frame())
    doc = json.loads((tmp_path / "t" / "scenarios.json").read_text())
    assert doc["synthetic"] is True and "SYNTHETIC" in doc["note"]
    assert doc["scenarios"]["linear"]["bayes_auc"]["method"] == "closed form"
    again = od.blood.compare_blood_scenarios(["linear", "healthy_to_cirrhosis"], rng=0, **QUICK)
    again.write(tmp_path / "u", plot=False)
    for name in ("scenarios.json", "scenarios.tsv", "learning_curves.tsv", "linear/metrics.json"):
        assert (tmp_path / "u" / name).read_text() == (tmp_path / "t" / name).read_text()
    with pytest.raises(od.InputError, match="give each scenario once"):
        od.blood.compare_blood_scenarios(["linear", "linear"])


def test_report_section_shows_the_table_in_plain_words(table, tmp_path):
    table.write(tmp_path / "t", plot=False)
    report = Report("blood")
    sentence = blood_section(report, tmp_path / "t")
    assert "Across 2 simulated blood-test scenarios (SYNTHETIC)" in sentence
    assert "specificity" in sentence and "best possible AUC" in sentence
    html = report.write(tmp_path / "r").read_text()
    part = html.split('<section id="blood_scenarios">')[1].split("</section>")[0]
    assert "SYNTHETIC DATA" in part and "Which method wins in which scenario" in part
    assert "<th>Best possible AUC</th>" in part and "<th>Significantly better than</th>" in part
    assert "Learning curves" in part
    # plain column names in the page, raw names in the TSV
    assert "auc_ci_low" not in html.split('<section id="blood">')[1].split("</section>")[0]
    tsv = pd.read_csv(tmp_path / "r" / "tables" / "blood_metrics.tsv", sep="\t")
    assert {"auc", "auc_ci_low", "auc_ci_high"} <= set(tsv.columns)


def test_cli_scenarios_and_table(tmp_path, capsys):
    assert main(["blood", "scenarios"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in od.blood.BLOOD_SCENARIOS)
    args = ["blood", "scenario-table", "--scenarios", "cirrhosis_controls", "--methods", "lda,logistic",
            "--folds", "3", "--repeats", "1", "--learning-sizes", "40", "--draws", "1", "--test-size", "100"]  # fmt: skip
    assert main([*args, "--no-plot", "--out", str(tmp_path / "t")]) == 0
    assert od.blood.BloodScenarioTable.read(tmp_path / "t").names == ["cirrhosis_controls"]
    assert main([*args[:3], "nope", "--out", str(tmp_path / "x")]) == 2
    assert "unknown blood scenario 'nope'" in capsys.readouterr().err
    # bad learning-curve options are refused before any comparison runs, and nothing is written
    assert main([*args[:-6], "--learning-sizes", "3", "--out", str(tmp_path / "y")]) == 2
    assert "need sizes >= 10" in capsys.readouterr().err
    assert not (tmp_path / "y").exists()
    # a folder with someone else's scenarios.json is refused before any work, kept as it was
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "scenarios.json").write_text("{}")
    assert main([*args, "--no-plot", "--out", str(tmp_path / "mine")]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "mine" / "scenarios.json").read_text() == "{}"


def test_report_reads_a_table_nested_in_an_evaluation_folder(table, tmp_path):
    # the blood_classifier workflow writes results/blood (evaluate) and results/blood/scenarios (table)
    table.comparisons["linear"].write(tmp_path / "blood", plot=False)
    table.write(tmp_path / "blood" / "scenarios", plot=False)
    report = Report("blood")
    sentence = blood_section(report, tmp_path / "blood")
    assert sentence.startswith("Blood test (SYNTHETIC data)") and "Across 2 simulated" in sentence
    assert [s.id for s in report.sections] == ["blood", "blood_scenarios"]
    assert {"blood/metrics.json", "scenarios/scenarios.json"} <= set(report.inputs)
