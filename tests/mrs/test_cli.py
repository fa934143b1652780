"""``omicsdl mrs`` commands end to end on SYNTHETIC spectra."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from omicsdl.cli import main


def test_simulate_fit_and_errors(tmp_path, capsys):
    sim = tmp_path / "sim.npz"
    assert (
        main(["-q", "mrs", "simulate", "--n", "2", "--points", "512", "--seed", "1", "--out", str(sim)]) == 0
    )
    with np.load(sim) as z:
        assert z["fid"].shape == (2, 512)
        assert bool(z["synthetic"])
    out = tmp_path / "fit.tsv"
    fig = tmp_path / "fit.png"
    args = [
        "-q",
        "mrs",
        "fit",
        str(sim),
        "--metabolites",
        "Cr,Lip13,Lip09",
        "--out",
        str(out),
        "--figure",
        str(fig),
    ]
    assert main(args) == 0
    lines = out.read_text().splitlines()
    assert lines[0].split("\t")[:5] == ["spectrum", "synthetic", "Cr", "Lip13", "Lip09"]
    assert len(lines) == 3
    assert fig.stat().st_size > 10_000
    code = main(["-q", "mrs", "fit", str(sim), "--metabolites", "Cr,GABA", "--out", str(out)])
    assert code == 2
    assert "the basis has no GABA" in capsys.readouterr().err
    assert main(["-q", "mrs", "fit", str(tmp_path / "missing.npz"), "--out", str(out)]) == 2


@pytest.mark.slow
def test_evaluate_contract_tiny(tmp_path):
    out = tmp_path / "ev"
    args = ["-q", "mrs", "evaluate", "--seed", "0", "--out", str(out), "--n-test", "4"]
    args += ["--qcnn-max-steps", "5", "--ccnn-max-steps", "5", "--save-models"]
    assert main(args) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["synthetic"] is True
    names = metrics["metabolites"]
    assert set(metrics["qcnn_mape"]) == set(metrics["fit_mape"]) == set(metrics["paired_p"]) == set(names)
    assert {"sensitivity", "specificity", "accuracy"} <= set(metrics["classification"])
    assert 0 <= metrics["classification"]["accuracy"] <= 1
    assert (out / "fit_example.png").stat().st_size > 10_000
    # ROC of the cCNN on the held-out SIMULATED patients, consistent with the scores table
    cls = metrics["classification"]
    assert 0 <= cls["auc"] <= 1
    assert (out / "roc.png").stat().st_size > 10_000
    scores = pd.read_csv(out / "classification_scores.tsv", sep="\t")
    assert list(scores.columns) == ["patient", "true_class", "probability", "predicted"]
    assert len(scores) == cls["n_hcc"] + cls["n_non_hcc"] == 17
    assert scores["patient"].is_unique
    assert (scores["true_class"] == "HCC").sum() == cls["n_hcc"]
    assert cls["auc"] == pytest.approx(roc_auc_score(scores["true_class"] == "HCC", scores["probability"]))
    assert ((scores["probability"] > 0.5) == (scores["predicted"] == "HCC")).all()
    hits = (scores["predicted"] == scores["true_class"]).mean()
    assert cls["accuracy"] == pytest.approx(hits)
    sim = tmp_path / "sim.npz"
    assert main(["-q", "mrs", "simulate", "--n", "3", "--out", str(sim)]) == 0
    q = tmp_path / "q.tsv"
    assert (
        main(["-q", "mrs", "quantify", str(sim), "--model", str(out / "models" / "qcnn"), "--out", str(q)])
        == 0
    )
    header = q.read_text().splitlines()[0].split("\t")
    assert header[:3] == ["spectrum", "synthetic", names[0]]
    assert q.read_text().splitlines()[1].split("\t")[1] == "True"
    c = tmp_path / "c.tsv"
    assert (
        main(["-q", "mrs", "classify", str(sim), "--model", str(out / "models" / "ccnn"), "--out", str(c)])
        == 0
    )
    assert len(c.read_text().splitlines()) == 4
