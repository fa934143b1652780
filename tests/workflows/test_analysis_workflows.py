"""Each analysis workflow end to end on the embedded data with its tiny `.test` config.

The cases come from the workflow registry (``omicsdl._workflows.WORKFLOWS``):
every workflow with an analysis command, except those with an end-to-end test
file of their own. A command whose ``--help`` fails is a failure, never a skip.
"""

from __future__ import annotations

import json

import pytest

from omicsdl._workflows import WORKFLOWS
from tests.workflows._helpers import command_available, snakemake

#: workflows whose real run is tested in a file of their own
OWN_TEST = {
    "mrs_liver": "tests/workflows/test_mrs_workflow.py",
    "tcga_multiomics": "tests/workflows/test_tcga_workflow.py",
}
CASES = sorted(name for name, spec in WORKFLOWS.items() if spec.command is not None and name not in OWN_TEST)
#: the JSON summary each case's analysis writes into its results folder
SUMMARY = {
    "blood_classifier": "metrics.json",
    "g2vec_modules": "evaluation.json",
    "lihc_subtypes": "metrics.json",
}


def test_every_case_has_a_summary_file():
    assert set(SUMMARY) == set(CASES)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_workflow_runs_on_embedded_data(name, tmp_path):
    spec = WORKFLOWS[name]
    assert command_available(*spec.command), f"`omicsdl {' '.join(spec.command)} --help` fails"
    work = tmp_path / name
    proc = snakemake(name, work, "--cores", "2", timeout=900)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    doc = json.loads((work / "results" / spec.results / SUMMARY[name]).read_text())
    assert isinstance(doc, dict) and doc
    html = (work / "results" / "report" / "index.html").read_text()
    assert "In plain words" in html and "data:image/png;base64," in html
    assert sorted(p.name for p in (work / "logs").glob("*.log"))  # every rule logged
    again = snakemake(name, work, "-n")
    assert "Nothing to be done" in again.stdout + again.stderr
    if name == "blood_classifier":
        assert "SYNTHETIC DATA" in html
    if name == "lihc_subtypes":
        assert {"in_sample_logrank_p", "heldout_cindex_mean", "heldout_cindex_sd", "n_events", "k"} <= set(
            doc
        )
