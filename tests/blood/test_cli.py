"""`omicsdl blood fit | evaluate | predict`, including the metrics.json contract."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from omicsdl.cli import main

METHOD_KEYS = ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity")


@pytest.mark.slow
def test_contract_evaluate_simulate_seed0(tmp_path):
    out = tmp_path / "eval"
    assert main(["blood", "evaluate", "--simulate", "--seed", "0", "--out", str(out)]) == 0
    doc = json.loads((out / "metrics.json").read_text())
    assert doc["synthetic"] is True
    assert doc["bayes_auc"] == pytest.approx(0.94)
    for method in ("mlp", "logistic", "lda", "tree"):
        for key in METHOD_KEYS:
            assert 0.0 <= doc[method][key] <= 1.0, (method, key)
    assert doc["settings"]["n_repeats"] == 10
    assert doc["settings"]["n_splits"] == 5
    assert doc["scenario"] == "linear" and doc["bayes_auc_validation"] == pytest.approx(0.94)
    assert "inner-CV" in doc["settings"]["threshold_chosen_on"]
    pairs = {(e["a"], e["b"]) for e in doc["paired_tests"]}
    assert len(pairs) == 6 and all(
        set(e) >= {"auc_difference", "ci_low", "ci_high", "p", "p_holm"} for e in doc["paired_tests"]
    )
    # the MLP is close to the Bayes-optimal AUC on the published group sizes (CV estimate, n = 157)
    assert abs(doc["mlp"]["auc"] - doc["bayes_auc"]) < 0.05
    assert (out / "roc.png").is_file()
    table = pd.read_csv(out / "metrics.tsv", sep="\t")
    assert set(table["method"]) == {"mlp", "logistic", "lda", "tree"}
    assert table["synthetic"].all()


def test_evaluate_quick(tmp_path):
    out = tmp_path / "q"
    args = ["blood", "evaluate", "--simulate", "--seed", "1", "--repeats", "1", "--methods", "lda,logistic"]
    assert main([*args, "--no-plot", "--out", str(out)]) == 0
    doc = json.loads((out / "metrics.json").read_text())
    assert doc["methods"] == ["lda", "logistic"]
    assert not (out / "roc.png").exists()


def test_evaluate_scenario(tmp_path):
    out = tmp_path / "c"
    args = ["blood", "evaluate", "--simulate", "--scenario", "cirrhosis_controls", "--repeats", "1"]
    assert main([*args, "--methods", "lda,logistic", "--no-plot", "--out", str(out)]) == 0
    doc = json.loads((out / "metrics.json").read_text())
    assert doc["scenario"] == "cirrhosis_controls" and doc["synthetic"] is True
    assert doc["bayes_auc"] == pytest.approx(0.8336, abs=1e-3)
    (entry,) = doc["paired_tests"]
    assert (entry["a"], entry["b"]) == ("lda", "logistic") and entry["p"] == entry["p_holm"]
    assert entry["auc_difference"] == pytest.approx(doc["lda"]["auc"] - doc["logistic"]["auc"])
    assert set(pd.read_csv(out / "paired_tests.tsv", sep="\t")["evaluation"]) == {"cv", "validation"}
    assert (
        main(["blood", "evaluate", "--train", "x.csv", "--scenario", "linear", "--out", str(tmp_path / "n")])
        == 2
    )


def test_fit_predict_roundtrip(tmp_path, blood_data, capsys):
    model = tmp_path / "model"
    assert main(["blood", "fit", "--simulate", "--seed", "0", "--out", str(model)]) == 0
    config = json.loads((model / "model.json").read_text())
    assert config["state"]["metadata"]["synthetic_training_data"] is True
    preds = tmp_path / "pred.tsv"
    wide = blood_data / "SYNTHETIC_panel_wide.csv"
    assert main(["blood", "predict", "--model", str(model), "--input", str(wide), "--out", str(preds)]) == 0
    table = pd.read_csv(preds, sep="\t", index_col=0)
    assert list(table.index[:2]) == ["SYN-W00", "SYN-W01"]
    assert set(table["label"]) <= {"HCC", "control"}
    assert table["probability_hcc"].between(0, 1).all()


def test_predict_refuses_missing_gene_unless_imputing(tmp_path, blood_data, capsys):
    model = tmp_path / "model"
    assert main(["blood", "fit", "--simulate", "--out", str(model)]) == 0
    frame = pd.read_csv(blood_data / "SYNTHETIC_panel_wide.csv").drop(columns=["CALR"])
    path = tmp_path / "no_calr.csv"
    frame.to_csv(path, index=False)
    preds = tmp_path / "p.tsv"
    assert main(["blood", "predict", "--model", str(model), "--input", str(path), "--out", str(preds)]) == 2
    assert "missing: CALR" in capsys.readouterr().err
    assert not preds.exists()
    args = ["blood", "predict", "--model", str(model), "--input", str(path), "--out", str(preds)]
    assert main([*args, "--impute", "training-median"]) == 0
    assert (pd.read_csv(preds, sep="\t")["imputed_genes"] == "CALR").all()


def test_evaluate_on_qpcr_table_bad_input_exit_2(tmp_path, blood_data, capsys):
    ct = blood_data / "SYNTHETIC_gexp_ct_long.tsv"
    args = ["blood", "evaluate", "--train", str(ct), "--value-col", "ct", "--out", str(tmp_path / "o")]
    assert main([*args, "--value-kind", "log2", "--label-key", "group"]) == 2
    assert "look like raw qPCR Ct" in capsys.readouterr().err
    assert main([*args, "--label-key", "group"]) == 2
    assert "need reference genes" in capsys.readouterr().err
    # the Ct table converts, but SYN-P01 has a non-detect (SPAG9): training refuses the gap
    assert main([*args, "--reference-genes", "ACTB,GAPDH", "--label-key", "group"]) == 2
    assert "first: SYN-P01 misses SPAG9" in capsys.readouterr().err
    wide = blood_data / "SYNTHETIC_panel_wide.csv"
    one = ["blood", "evaluate", "--train", str(wide), "--label-key", "group", "--positive", "nope"]
    assert main([*one, "--out", str(tmp_path / "o")]) == 2
    assert "only one class" in capsys.readouterr().err


def test_evaluate_geo_with_labels_file(tmp_path, blood_data, capsys):
    series = blood_data / "SYNTHETIC_GSE000000_series_matrix.txt.gz"
    platform = blood_data / "SYNTHETIC_GPL000000_platform.txt"
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "gsm,status\n" + "".join(f"GSM90000{i},{'HCC' if i < 5 else 'ctrl'}\n" for i in range(1, 8))
    )
    base = [
        "blood",
        "evaluate",
        "--train",
        str(series),
        "--platform",
        str(platform),
        "--out",
        str(tmp_path / "o"),
    ]
    assert main([*base, "--labels", str(labels), "--label-key", "status"]) == 2
    assert "1 expression sample(s) without a label (e.g. GSM900008)" in capsys.readouterr().err
    # labels from the GEO characteristic: 4 vs 4 samples, 2-fold CV
    ok = [*base, "--label-key", "disease state", "--negative", "healthy", "--folds", "2", "--repeats", "1"]
    assert main([*ok, "--methods", "lda,logistic", "--no-plot"]) == 0
    doc = json.loads((tmp_path / "o" / "metrics.json").read_text())
    assert doc["synthetic"] is False  # the fixture is synthetic, but nothing in a GEO file says so
    assert doc["settings"]["n_train"] == 8


def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["blood", "--help"])
    out = capsys.readouterr().out
    assert all(cmd in out for cmd in ("fit", "evaluate", "predict", "scenarios", "scenario-table"))


def test_evaluate_h5ad_keeps_synthetic_flag(tmp_path, sim_train):
    path = tmp_path / "train.h5ad"
    sim_train.write_h5ad(path)
    out = tmp_path / "o"
    args = ["blood", "evaluate", "--train", str(path), "--repeats", "1", "--methods", "lda", "--no-plot"]
    assert main([*args, "--out", str(out)]) == 0
    doc = json.loads((out / "metrics.json").read_text())
    assert doc["synthetic"] is True
    assert doc["bayes_auc"] == pytest.approx(0.94)
