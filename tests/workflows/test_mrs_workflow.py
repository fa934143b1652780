"""The ``mrs_liver`` Snakemake workflow: layout, configuration checks, lint, dry and real runs (SIMULATED data)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from jsonschema import Draft202012Validator
from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "workflows" / "mrs_liver"
TEST_CONFIG = FOLDER / ".test" / "config" / "config.yaml"
SCHEMA = FOLDER / "workflow" / "schemas" / "config.schema.yaml"


def _snakemake(workdir: Path, *args: str, config: Path = TEST_CONFIG, timeout: float = 300):
    """``python -m snakemake`` (this interpreter, this checkout importable, one thread) in ``workdir``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(FOLDER / "workflow" / "Snakefile")]
    cmd += ["--directory", str(workdir), "--configfile", str(config), *args]
    return subprocess.run(
        cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_layout_configs_and_rules_follow_the_workflow_conventions():
    schema = yaml.safe_load(SCHEMA.read_text())
    assert schema["$schema"].endswith("2020-12/schema")
    for name in ("config/config.yaml", "config/demo.yaml", ".test/config/config.yaml"):
        errors = list(Draft202012Validator(schema).iter_errors(yaml.safe_load((FOLDER / name).read_text())))
        assert errors == [], name
    lines = (FOLDER / "config" / "config.yaml").read_text().splitlines()
    for i, line in enumerate(lines):  # every key with a value has a comment right above it
        match = re.match(r"^\s*([A-Za-z_]+):\s*(\S.*)?$", line)
        if match and match.group(2) is not None:
            assert lines[i - 1].strip().startswith("#"), f"key {match.group(1)!r} has no comment above it"
    text = (FOLDER / "workflow" / "rules" / "mrs.smk").read_text()
    blocks = re.split(r"^rule (\w+):", text, flags=re.MULTILINE)[1:]
    assert blocks[::2] == ["evaluate", "simulate", "quantify", "classify", "fit"]
    for rule, body in zip(blocks[::2], blocks[1::2], strict=True):
        assert re.search(r"^\s+log:", body, re.MULTILINE), f"rule {rule} has no log:"
        assert "{OMICSDL:q} mrs " in body and "> {log:q} 2>&1" in body, (
            f"rule {rule} must call omicsdl and log"
        )
        assert "conda:" not in body and "run:" not in body and "script:" not in body
    readme = (FOLDER / "config" / "README.md").read_text()
    for key in schema["properties"]["evaluate"]["properties"]:
        assert f"evaluate.{key}" in readme
    for caption in ("metrics", "fit_example", "roc", "apply"):
        assert (FOLDER / "workflow" / "report" / f"{caption}.rst").is_file()


def test_dry_run_plans_every_step_and_lint_finds_only_the_accepted_points(tmp_path):
    proc = _snakemake(tmp_path / "run", "-n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout + proc.stderr
    assert "This was a dry-run" in out
    for rule in ("evaluate", "simulate", "quantify", "classify", "fit", "all"):
        assert re.search(rf"^{rule}\s+1$", out, re.MULTILINE), rule
    lint = _snakemake(tmp_path / "lint", "--lint")
    found = set(re.findall(r"^\s+\* (.+?):?$", lint.stdout + lint.stderr, re.MULTILINE))
    # no conda envs by design (the workflow runs where omicsdl is installed); OMICSDL is the
    # interpreter's command line, shared by every rule
    accepted = {
        "Specify a conda environment or container for each rule.",
        "Shell command directly uses variable OMICSDL from outside of the rule",
    }
    assert found and found <= accepted, found - accepted


def test_bad_config_stops_before_any_rule_and_names_the_keys(tmp_path):
    config = yaml.safe_load(TEST_CONFIG.read_text())
    config["evaluate"]["qcnn_max_steps"] = 0
    config["apply"]["spectrum"] = "x.npz"  # a typo of `spectra`
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(config))
    proc = _snakemake(tmp_path / "run", "--cores", "1", config=bad)
    assert proc.returncode != 0
    err = proc.stdout + proc.stderr
    assert "the configuration does not match workflow/schemas/config.schema.yaml" in err
    assert "config key 'evaluate.qcnn_max_steps'" in err
    assert "spectrum" in err
    assert not (tmp_path / "run" / "logs").exists()  # no rule ran


def test_missing_spectra_file_is_named_before_the_dag(tmp_path):
    config = yaml.safe_load(TEST_CONFIG.read_text())
    config["apply"]["spectra"] = "nowhere/liver.RAW"
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config))
    proc = _snakemake(tmp_path / "run", "-n", config=path)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "input file not found: config key 'apply.spectra' points to nowhere/liver.RAW" in out
    assert "Building DAG" not in out


@pytest.mark.slow
def test_real_run_with_test_config_writes_the_contract_and_reruns_nothing(tmp_path):
    work = tmp_path / "run"
    proc = _snakemake(work, "--cores", "2")
    assert proc.returncode == 0, proc.stderr[-3000:]
    mrs = work / "results" / "mrs"
    metrics = json.loads((mrs / "metrics.json").read_text())
    assert metrics["synthetic"] is True
    names = metrics["metabolites"]
    assert set(metrics["qcnn_mape"]) == set(metrics["fit_mape"]) == set(metrics["paired_p"]) == set(names)
    assert set(metrics["paired_p_adjusted"]) == set(metrics["hybrid_mape"]) == set(names)
    cls = metrics["classification"]
    assert {"sensitivity", "specificity", "accuracy", "auc", "ci"} <= set(cls)
    # the .test config's `extra` reaches the command: 20 cohorts, 1 replicate study
    assert metrics["cohort_spread"]["n_cohorts"] == 20 and metrics["study_spread"]["n_studies"] == 1
    scores = pd.read_csv(mrs / "classification_scores.tsv", sep="\t")
    assert cls["auc"] == pytest.approx(roc_auc_score(scores["true_class"] == "HCC", scores["probability"]))
    for figure in ("fit_example.png", "roc.png", "apply/fit_first_spectrum.png"):
        assert (mrs / figure).stat().st_size > 10_000, figure
    quantified = pd.read_csv(mrs / "apply" / "qcnn_amplitudes.tsv", sep="\t")
    assert len(quantified) == 2 and quantified["synthetic"].all()
    assert list(quantified.columns[2 : 2 + len(names)]) == names
    classes = pd.read_csv(mrs / "apply" / "ccnn_classes.tsv", sep="\t")
    assert classes[["p_non-HCC", "p_HCC"]].sum(axis=1).to_numpy() == pytest.approx(1, abs=1e-4)
    assert len(pd.read_csv(mrs / "apply" / "fit_amplitudes.tsv", sep="\t")) == 2
    for rule in ("evaluate", "simulate", "quantify", "classify", "fit"):
        log = (work / "logs" / f"{rule}.log").read_text()
        assert "\r" not in log and "%|" not in log, f"{rule}.log holds a progress bar"  # bars: terminal only
    again = _snakemake(work, "-n")
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout + again.stderr
    # Snakemake's own report, with the captions from workflow/report/*.rst
    rep = _snakemake(work, "--report", "snakemake_report.html")
    assert rep.returncode == 0, rep.stderr[-2000:]
    assert (work / "snakemake_report.html").stat().st_size > 100_000
