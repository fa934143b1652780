"""Real Snakemake runs: dry runs on SLURM, bad configs and inputs, a local cluster, resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from omicsdl._workflows import WORKFLOWS, WorkflowFailed, run_workflow
from tests.workflows._helpers import PROFILES, env, snakemake


@pytest.mark.parametrize("name", WORKFLOWS)
def test_slurm_profile_dry_run_without_sbatch(name, tmp_path):
    proc = snakemake(name, tmp_path, "--profile", str(PROFILES / "slurm"), "-n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout + proc.stderr
    assert "Job stats" in out and "This was a dry-run" in out


def test_bad_config_key_stops_before_any_rule_and_names_allowed_values(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(
        "source: demo\nresults: results\nseed: 0\nreport: {title: x}\ng2vec: {embedder: bert, n_walk: 3}\n"
    )
    proc = snakemake("g2vec_modules", tmp_path / "run", "--cores", "1", config=config)
    assert proc.returncode != 0
    err = proc.stdout + proc.stderr
    assert "config key 'g2vec.embedder' = 'bert' is not allowed; allowed: one of 'cbow', 'skipgram'" in err
    assert (
        "config key 'g2vec.n_walk' is not allowed here; did you mean 'n_walks'? allowed keys:" in err
        and "n_walks" in err
    )
    assert not (tmp_path / "run" / "logs").exists()  # no rule ran


def test_missing_input_is_named_before_the_dag(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("cohort: nowhere/cohort.h5mu\nresults: results\nreport: {title: x}\n")
    proc = snakemake("cohort_overview", tmp_path / "run", "-n", config=config)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "input file not found: config key 'cohort' points to nowhere/cohort.h5mu" in out
    assert "Building DAG" not in out


def test_failing_step_error_names_its_log(tmp_path, monkeypatch):
    work = tmp_path / "run"
    work.mkdir()
    (work / "broken.h5mu").write_text("not an HDF5 file\n")
    config = tmp_path / "c.yaml"
    config.write_text("cohort: broken.h5mu\nresults: results\nreport: {title: x}\n")
    monkeypatch.setenv("PYTHONPATH", env()["PYTHONPATH"])
    with pytest.raises(WorkflowFailed) as info:
        run_workflow("cohort_overview", workdir=work, configfile=config, cores=1)
    message = str(info.value)
    step_log = work.resolve() / "logs" / "report.log"
    assert f"failing step's log: {step_log}" in message
    assert "not a readable .h5mu cohort" in step_log.read_text()
    assert info.value.snakemake_log.is_file()


@pytest.mark.slow
def test_local_cluster_runs_jobs_as_separate_processes_and_rerun_does_nothing(tmp_path):
    work = tmp_path / "run"
    proc = snakemake("cohort_overview", work, "--profile", str(PROFILES / "local-cluster"), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (work / "results" / "report" / "index.html").is_file()
    submissions = (work / ".snakemake" / "local-cluster" / "submissions.log").read_text().splitlines()
    # two cluster jobs (cohort, report); `all` is local
    assert len(submissions) == 2
    pids = [int(line.split("pid=")[1].split()[0]) for line in submissions]
    parents = [int(line.split("parent=")[1].split()[0]) for line in submissions]
    assert len(set(pids)) == 2 and not set(pids) & {os.getpid(), *parents}
    assert {"snakejob.cohort", "snakejob.report"} == {
        line.split("/")[-1].rsplit(".", 2)[0] for line in submissions
    }
    for pid in pids:  # each job ran to completion in its own process
        assert (work / ".snakemake" / "local-cluster" / f"{pid}.exit").read_text().strip() == "0"
    again = snakemake("cohort_overview", work, "-n")
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout + again.stderr
    # Snakemake's own report, with the rule captions from workflow/report/*.rst
    rep = snakemake("cohort_overview", work, "--report", "snakemake_report.html")
    assert rep.returncode == 0, rep.stderr[-2000:]
    assert "ERROR" not in rep.stdout + rep.stderr
    assert (work / "snakemake_report.html").stat().st_size > 10_000


@pytest.mark.slow
def test_run_killed_midway_resumes(tmp_path):
    work = tmp_path / "run"
    work.mkdir()
    log = (work / "first.log").open("w")
    first = subprocess.Popen(
        [
            sys.executable, "-m", "snakemake", "--snakefile",
            str(PROFILES.parent / "cohort_overview" / "workflow" / "Snakefile"),
            "--configfile", str(PROFILES.parent / "cohort_overview" / ".test" / "config" / "config.yaml"),
            "--cores", "1",
        ],
        cwd=work, env=env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    report_log = work / "logs" / "report.log"
    deadline = time.monotonic() + 300
    while not report_log.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert first.poll() is None, "the run finished before it could be killed"
    assert (work / "results" / "cohort" / "cohort.h5mu").is_file()  # first rule done
    os.killpg(first.pid, signal.SIGKILL)  # a hard kill, as on a node failure
    first.wait(timeout=30)
    log.close()
    assert not (work / "results" / "report" / "index.html").exists()
    unlock = snakemake("cohort_overview", work, "--unlock")
    assert unlock.returncode == 0, unlock.stderr[-2000:]
    second = snakemake("cohort_overview", work, "--cores", "1", "--rerun-incomplete", timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    out = second.stdout + second.stderr
    assert "rule report" in out and "rule cohort" not in out  # only the killed step is recomputed
    assert (work / "results" / "report" / "index.html").is_file()
