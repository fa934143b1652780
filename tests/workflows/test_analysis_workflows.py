"""Each analysis workflow end to end on the embedded data with its tiny `.test` config.

Skipped, with the reason, while the workflow's omicsdl command is not installed.
"""

from __future__ import annotations

import json

import pytest

from tests.workflows._helpers import command_available, snakemake

CASES = {
    "blood_classifier": (("blood", "evaluate"), "results/blood/metrics.json"),
    "g2vec_modules": (("g2vec", "run"), "results/g2vec/evaluation.json"),
    "lihc_subtypes": (("subtypes", "evaluate"), "results/subtypes/metrics.json"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_workflow_runs_on_embedded_data(name, tmp_path):
    command, metrics = CASES[name]
    if not command_available(*command):
        pytest.skip(f"`omicsdl {' '.join(command)}` is not available yet (issue contract only)")
    work = tmp_path / name
    proc = snakemake(name, work, "--cores", "2", timeout=900)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    doc = json.loads((work / metrics).read_text())
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
