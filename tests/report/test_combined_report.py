"""The combined report: every module's section from its results folder, skipped parts, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from omicsdl import InputError
from omicsdl.cli import main
from omicsdl.report import build_report


def _html(results, tmp_path, **kwargs):
    report = build_report(
        subtypes=results["subtypes"], g2vec=results["g2vec"], blood=results["blood"], mrs=results["mrs"],
        survival=results["survival"], **kwargs,
    )  # fmt: skip
    path = report.write(tmp_path / "report")
    return path.read_text(), tmp_path / "report"


def test_every_section_from_results_folders(results_dirs, tmp_path):
    html, out = _html(results_dirs, tmp_path, title="All modules")
    summary = html.split('id="summary"')[1].split("</section>")[0]
    # plain words first: one sentence per module, and how sure we are
    assert (
        "2 subtypes among 360 patients" in summary
        and "held-out C-index 0.61; 0.50 is chance, PCA baseline 0.58" in summary
    )
    assert "AUC 0.71" in summary and "cell cycle" in summary
    assert "Blood test (SYNTHETIC data)" in summary and "0.940" in summary
    assert "How sure we are" in summary
    for sec in ("subtypes", "characterisation", "g2vec", "blood", "mrs"):
        assert f'<section id="{sec}">' in html
    # subtypes: KM in-sample and held-out, log-rank, HR with CI, evaluation with baselines
    assert html.count("<figcaption>Kaplan-Meier curves per subtype") == 2
    assert "log-rank p =" in html
    hr = pd.read_csv(out / "tables" / "subtypes_in_sample_hazard_ratios.tsv", sep="\t")
    assert (
        hr.loc[1, "hazard_ratio"] > 1.5
        and hr.loc[1, "ci_low"] < hr.loc[1, "hazard_ratio"] < hr.loc[1, "ci_high"]
    )
    ev = pd.read_csv(out / "tables" / "subtypes_evaluation.tsv", sep="\t")
    assert ev["model"].tolist() == ["autoencoder", "autoencoder", "pca", "stage"]
    assert ev["evaluation"].iloc[0].startswith("in-sample")
    assert (
        "stage"
        in pd.read_csv(out / "tables" / "subtypes_clinical_association.tsv", sep="\t")["variable"].tolist()
    )
    # g2vec: module networks drawn from the edges file, enrichment columns
    assert html.count("<figcaption>Module M") == 2 and "interaction-network edges" in html
    enr = pd.read_csv(out / "tables" / "g2vec_enrichment.tsv", sep="\t")
    assert {"module", "term", "overlap", "p", "fdr"} <= set(enr.columns) and enr[
        "fdr"
    ].is_monotonic_increasing
    # blood: synthetic badge, ROC and confusion figures, metrics table
    blood = html.split('<section id="blood">')[1].split("</section>")[0]
    assert "SYNTHETIC DATA" in blood and "ROC curves" in blood and "Confusion matrices" in blood
    metrics = pd.read_csv(out / "tables" / "blood_metrics.tsv", sep="\t")
    assert metrics["auc"].round(2).tolist() == [0.94, 0.91, 0.88, 0.85]
    assert "SYNTHETIC DATA" in html.split('<section id="mrs">')[1].split("</section>")[0]
    assert "qCNN 3.0% vs 3.9% for the model fit; the qCNN is better for 1 of 2 metabolites" in summary
    mrs = pd.read_csv(out / "tables" / "mrs_per_metabolite.tsv", sep="\t").set_index("metabolite")
    assert mrs.loc["fat", "qcnn_mape"] == 4.1 and mrs.loc["water", "paired_p"] == 0.4
    # methods: inputs with checksums
    assert re.search(r"subtypes/metrics.json</td><td class=\"mono\">[0-9a-f]{64}", html)
    assert html.count("data:image/png;base64,") == 2 + 2 + 2  # KM×2, modules×2, ROC + confusion


def test_absent_parts_are_skipped_and_said(tmp_path, demo_cohort):
    from tests.report.conftest import write_blood, write_g2vec, write_subtypes

    sub = write_subtypes(tmp_path / "s", demo_cohort.obs, tables=False)
    g2 = write_g2vec(tmp_path / "g", edges=False)
    (g2 / "enrichment.tsv").unlink()
    bl = write_blood(tmp_path / "b", roc=False)
    html = build_report(subtypes=sub, g2vec=g2, blood=bl).write(tmp_path / "out").read_text()
    assert "No per-patient subtype table" in html and "No held-out assignment table" in html
    assert "wrote no characterisation tables" in html
    assert "No enrichment.tsv in the results" in html
    assert "no edges available" in html  # neither network nor vectors given
    assert "No ROC curve data" in html


def test_asking_for_results_that_do_not_exist(tmp_path, results_dirs):
    with pytest.raises(InputError, match=r"subtypes results folder does not exist"):
        build_report(subtypes=tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"blood classifier results folder has no metrics.json"):
        build_report(blood=tmp_path / "empty")
    with pytest.raises(InputError, match="nothing to report"):
        build_report()
    (results_dirs["mrs"] / "metrics.json").write_text("[1, 2")
    with pytest.raises(InputError, match="cannot read JSON"):
        build_report(mrs=results_dirs["mrs"])


def test_cli_report_exit_2_names_the_folder(tmp_path, capsys):
    assert main(["report", "--g2vec", str(tmp_path / "missing"), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "G2Vec results folder does not exist" in err and str(tmp_path / "missing") in err


def test_cli_report_with_cohort_and_run_info(tmp_path, results_dirs):
    info = tmp_path / "run.json"
    info.write_text(
        '{"modules": {"cohort": {"status": "ran", "seconds": 3.0},'
        ' "g2vec": {"status": "not run", "reason": "`omicsdl g2vec` is not available"}}}'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "omicsdl", "report", "--cohort", "demo", "--blood", str(results_dirs["blood"]),
         "--run-info", str(info), "--out", str(tmp_path / "r")],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    path = proc.stdout.strip().splitlines()[-1]
    html = Path(path).read_text()
    assert "360 patients" in html and "Overall survival" in html  # the cohort overview is kept
    assert "Not run: G2Vec gene modules (`omicsdl g2vec` is not available)" in html
