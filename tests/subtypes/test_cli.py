"""`omicsdl subtypes fit | predict | evaluate` on the real demo (tiny settings)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import omicsdl as od
from omicsdl.cli import main

CONTRACT = {
    "in_sample_logrank_p",
    "in_sample_cindex",
    "heldout_cindex_mean",
    "heldout_cindex_sd",
    "heldout_logrank_p",
    "pca_heldout_cindex_mean",
    "n_patients",
    "n_events",
    "k",
    "seed",
    "omicsdl_version",
}
TINY = ["--max-epochs", "2", "--k", "2", "--threads", "1"]


def test_fit_then_predict_rna_only(tmp_path, capsys):
    assert (
        main(
            [
                "-q",
                "subtypes",
                "fit",
                "demo",
                "--model",
                str(tmp_path / "m"),
                "--tables",
                str(tmp_path / "t"),
                *TINY,
            ]
        )
        == 0
    )
    assert (tmp_path / "m" / "model.json").is_file()
    assert (tmp_path / "t" / "clinical_association.tsv").is_file()
    fit = od.subtypes.SubtypesFit.read(tmp_path / "t")
    assert fit.k == 2 and sum(fit.subtype_sizes.values()) == 360
    assert list(fit.subtypes.columns) == ["subtype", "subtype_risk", "os_days", "os_event"]
    out = tmp_path / "pred.tsv"
    assert (
        main(
            [
                "-q",
                "subtypes",
                "predict",
                "demo",
                "--model",
                str(tmp_path / "m"),
                "--out",
                str(out),
                "--omics",
                "rna",
            ]
        )
        == 0
    )
    pred = pd.read_csv(out, sep="\t", index_col=0)
    assert len(pred) == 360
    assert set(pred["subtype"]) <= {"S1", "S2"}
    assert main(["-q", "subtypes", "predict", "demo", "--model", str(tmp_path), "--out", str(out)]) == 2
    assert "not a saved omicsdl subtype model" in capsys.readouterr().err


def test_evaluate_missing_file_is_a_clean_error(tmp_path, capsys):
    code = main(["-q", "subtypes", "evaluate", str(tmp_path / "absent.h5mu"), "--out", str(tmp_path / "m")])
    assert code == 2
    assert "file not found" in capsys.readouterr().err


def test_evaluate_out_is_a_folder_not_a_json_file(tmp_path, capsys):
    assert main(["-q", "subtypes", "evaluate", "demo", "--out", str(tmp_path / "metrics.json")]) == 2
    assert "--out is the results folder" in capsys.readouterr().err
    assert not (tmp_path / "metrics.json").exists()


@pytest.mark.slow
def test_evaluate_contract_and_same_seed_same_numbers(tmp_path):
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ["-q", "subtypes", "evaluate", "demo", "--folds", "3", "--repeats", "1", "--seed", "0"]
        args += ["--out", str(out), *TINY]
        # the second run skips the baselines: they do not draw from the seed, so the main numbers must agree
        args += [] if name == "a" else ["--no-baselines"]
        assert main(args) == 0
        runs.append(json.loads((out / "metrics.json").read_text()))
    a, b = runs
    assert set(a) >= CONTRACT
    assert (a["n_patients"], a["n_events"], a["seed"]) == (360, 124, 0)
    shared = set(a) & set(b) - {"seconds"}
    assert {"in_sample_logrank_p", "heldout_cindex_mean", "heldout_logrank_p"} <= shared
    assert {k: a[k] for k in shared} == {k: b[k] for k in shared}
    assert a["in_sample_logrank_p"] < 1e-3
    assert 0.5 < a["heldout_cindex_mean"] < 0.9
    tables = tmp_path / "a" / "tables"
    assert (tables / "km_in_sample.png").stat().st_size > 1000
    heldout = pd.read_csv(tables / "heldout_predictions.tsv", sep="\t")
    # every patient is held out exactly once per method and repeat (pooled predictions, no reuse)
    assert (heldout.groupby(["method", "repeat"])["patient"].nunique() == 360).all()
    assert (heldout.groupby(["method", "repeat"]).size() == 360).all()
    baselines = pd.read_csv(tables / "baselines.tsv", sep="\t")
    assert {"autoencoder", "pca", "stage_only", "autoencoder_rna_only"} <= set(baselines["method"])
