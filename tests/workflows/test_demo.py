"""The demo workflow: every registered workflow as a Snakemake module of one run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from omicsdl import InputError
from omicsdl._workflows import DEMO_WORKFLOWS as WORKFLOWS
from omicsdl._workflows import share_shell_names
from omicsdl._workflows._demo import DEMO_SNAKEFILE, _run_info, _selected, _write_configs
from omicsdl._workflows._run import failed_steps
from tests.workflows._helpers import env


def test_demo_snakefile_has_one_module_per_registered_workflow():
    text = DEMO_SNAKEFILE.read_text()
    assert re.findall(r"^    module (\w+):$", text, flags=re.MULTILINE) == list(WORKFLOWS)
    for name in WORKFLOWS:
        assert f"use rule * from {name} as {name}_*" in text
        assert f'prefix:\n            "workflows/{name}"' in text


def test_dry_run_plans_every_analysis_step_in_one_run_and_no_workflow_report(tmp_path):
    demo = _write_configs(tmp_path, list(WORKFLOWS))
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(DEMO_SNAKEFILE),
        "--directory",
        str(tmp_path),
    ]
    cmd += ["--configfile", str(demo), "--cores", "2", "--max-threads", "1", "-n", "-p", "all"]
    proc = subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=300, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    jobs = set(re.findall(r"^(\w+)\s+1$", out, flags=re.MULTILINE))
    for name in WORKFLOWS:
        assert any(job.startswith(f"{name}_") for job in jobs), name
    assert not any(job.endswith("_report") for job in jobs)  # one combined report, written by `omicsdl demo`
    assert "threads: 2" not in out
    results = str(tmp_path / "results")
    assert f"--out {results}/blood" in out and f"--out {results}/cohort" in out
    assert "workflows/lihc_subtypes/logs/evaluate.log" in out


def test_only_names_analysis_workflows():
    assert _selected(["blood_classifier"]) == ["cohort_overview", "blood_classifier"]
    assert _selected(None) == list(WORKFLOWS)
    with pytest.raises(InputError, match="unknown analysis workflow cohort_overview"):
        _selected(["cohort_overview"])


def test_failed_steps_name_the_rule_and_its_log(tmp_path):
    text = (
        "Error in rule lihc_subtypes_fit:\n    message: None\n    jobid: 4\n"
        "    log: workflows/lihc_subtypes/logs/fit.log (check log file(s) for error details)\n"
        "Error in rule blood_classifier_evaluate:\n    log: /abs/evaluate.log\n"
    )
    assert failed_steps(text, tmp_path) == {
        "lihc_subtypes_fit": [tmp_path / "workflows/lihc_subtypes/logs/fit.log"],
        "blood_classifier_evaluate": [Path("/abs/evaluate.log")],
    }


def test_run_info_marks_failed_and_unselected_workflows(tmp_path):
    selected = ["cohort_overview", "lihc_subtypes", "blood_classifier"]
    _write_configs(tmp_path, selected)
    log = tmp_path / "workflows" / "lihc_subtypes" / "logs" / "fit.log"
    log.parent.mkdir(parents=True)
    log.write_text("boom\n")
    info, folders = _run_info(tmp_path, selected, {"lihc_subtypes_fit": [log]}, started=0.0)
    modules = info["modules"]
    assert list(modules) == [spec.section for spec in WORKFLOWS.values()]
    assert modules["subtypes"]["status"] == "failed"
    assert modules["subtypes"]["reason"] == f"step fit failed; see {log}"
    assert modules["subtypes"]["seconds"] > 0
    assert modules["blood"]["status"] == "ran" and "folds=5" in modules["blood"]["settings"]
    assert modules["g2vec"] == {
        "workflow": "g2vec_modules",
        "status": "not run",
        "reason": "not selected (--only)",
    }
    assert folders == {"cohort": tmp_path / "results" / "cohort", "blood": tmp_path / "results" / "blood"}


def _rule(name, shellcmd, module):
    return SimpleNamespace(name=name, shellcmd=shellcmd, module_globals=module)


def test_share_shell_names_copies_what_module_shells_use():
    main = {"OMICSDL": "python -m omicsdl"}
    a = {"OMICSDL": "python -m omicsdl", "RESULTS": "/r", "BLOOD": "/r/blood", "unused": 1}
    b = {"OMICSDL": "python -m omicsdl", "RESULTS": "/r", "COHORT": "demo"}
    share_shell_names(
        [
            _rule("a_evaluate", "{OMICSDL:q} blood --out {BLOOD:q} {params.x:q} > {log:q}", a),
            _rule("b_report", "{OMICSDL} report {COHORT} --out {RESULTS}/report {{literal}}", b),
            _rule("all", None, main),
        ],
        main,
    )
    assert main == {"OMICSDL": "python -m omicsdl", "BLOOD": "/r/blood", "COHORT": "demo", "RESULTS": "/r"}


def test_share_shell_names_refuses_one_name_with_two_values():
    from snakemake.exceptions import WorkflowError

    main: dict = {}
    rules = [_rule("a_x", "{RESULTS}/a", {"RESULTS": "/a"}), _rule("b_x", "{RESULTS}/b", {"RESULTS": "/b"})]
    with pytest.raises(WorkflowError, match=r"rule b_x: its shell command uses \{RESULTS\} = '/b'"):
        share_shell_names(rules, main)
