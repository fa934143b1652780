"""BloodComparison owns its folder: the files it writes, the write/read round trip, partial folders."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import omicsdl as od
from omicsdl import InputError


def test_table_and_files(small_result, tmp_path):
    frame = small_result.to_frame()
    assert len(frame) == 8
    assert set(frame["evaluation"]) == {"cv", "validation"}
    written = small_result.write(tmp_path)
    assert (tmp_path / "metrics.json").is_file()
    assert (tmp_path / "roc.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(written) == ["calibration.png", "metrics.json", "metrics.tsv", "roc.json", "roc.png"]
    assert (tmp_path / "calibration.png").read_bytes()[:4] == b"\x89PNG"
    assert not list(tmp_path.glob(".*part*"))


def test_write_read_round_trip(small_result, tmp_path):
    small_result.write(tmp_path / "res", plot=False)
    assert not (tmp_path / "res" / "roc.png").exists()
    back = od.blood.BloodComparison.read(tmp_path / "res")
    assert back == small_result
    assert back.source == tmp_path / "res"
    assert back.to_dict() == json.loads((tmp_path / "res" / "metrics.json").read_text())
    pd.testing.assert_frame_equal(back.to_frame(), small_result.to_frame())
    # every number, the ROC curves and the settings survive, typed
    mlp = back.metrics["mlp"]
    assert mlp.cv.confusion == small_result.metrics["mlp"].cv.confusion
    assert mlp.validation.roc == small_result.metrics["mlp"].validation.roc
    assert len(mlp.cv.roc.fpr) == 101
    assert back.settings.n_repeats == 2 and back.settings.genes == list(od.blood.NINE_GENE_PANEL)
    # writing what was read gives the same files
    back.write(tmp_path / "again", plot=False)
    for name in ("metrics.json", "metrics.tsv", "roc.json"):
        assert (tmp_path / "again" / name).read_text() == (tmp_path / "res" / name).read_text()


def test_metrics_json_header(small_result, tmp_path):
    small_result.write(tmp_path, plot=False)
    doc = json.loads((tmp_path / "metrics.json").read_text())
    assert doc["format"] == "omicsdl.BloodComparison"
    assert doc["format_version"] == 1
    assert doc["omicsdl_version"] == od.__version__
    assert doc["mlp"]["cv"]["confusion_note"].startswith("mean counts per repeat")
    assert "confusion_note" not in doc["mlp"]["validation"]


def test_read_a_partial_folder_without_header(tmp_path):
    # a hand-made folder: headline numbers at the top level only, CV confusion, curves in roc.json
    doc = {
        "methods": ["lda", "tree"],
        "lda": {"auc": 0.9, "auc_ci_low": 0.85, "auc_ci_high": 0.95, "sensitivity": 0.8, "specificity": 0.7,
                "threshold": 0.5, "cv": {"confusion": {"tp": 9.0, "fn": 1.0, "tn": 7.0, "fp": 3.0}}},
        "tree": {"auc": 0.8},
    }  # fmt: skip
    (tmp_path / "metrics.json").write_text(json.dumps(doc))
    (tmp_path / "roc.json").write_text(json.dumps({"lda": {"cv": {"fpr": [0, 1], "tpr": [0, 1]}}}))
    res = od.blood.BloodComparison.read(tmp_path)
    assert res.methods == ["lda", "tree"]
    assert res.synthetic is True  # a folder that does not say is taken as synthetic
    assert res.settings is None and res.bayes_auc is None
    lda = res.scores("lda")
    assert (lda.auc, lda.threshold, lda.confusion.tp, lda.brier) == (0.9, 0.5, 9.0, None)
    assert lda.roc == od.blood.RocCurve((0.0, 1.0), (0.0, 1.0))
    assert res.scores("tree").confusion is None and res.scores("tree", "validation") is None
    assert res.figure_file("roc") is None


def test_read_refuses_missing_other_kind_and_newer(tmp_path, small_result):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no metrics\.json"):
        od.blood.BloodComparison.read(tmp_path / "empty")
    small_result.write(tmp_path / "r", plot=False)
    path = tmp_path / "r" / "metrics.json"
    doc = json.loads(path.read_text())
    path.write_text(json.dumps({**doc, "format": "omicsdl.MRSEvaluation"}))
    with pytest.raises(InputError, match=r"expected omicsdl\.BloodComparison results"):
        od.blood.BloodComparison.read(tmp_path / "r")
    path.write_text(json.dumps({**doc, "format_version": 99}))
    with pytest.raises(InputError, match="format_version 99"):
        od.blood.BloodComparison.read(tmp_path / "r")
    path.write_text(json.dumps({**doc, "lda": {**doc["lda"], "cv": {"confusion": {"tp": "many"}}}}))
    with pytest.raises(InputError, match="wrong type"):
        od.blood.BloodComparison.read(tmp_path / "r")


def test_rewrite_leaves_other_files_and_no_partial_folder(small_result, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    small_result.write(tmp_path, plot=False)
    small_result.write(tmp_path, plot=False)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".omicsdl-results.json",
        "metrics.json",
        "metrics.tsv",
        "notes.txt",
        "roc.json",
    ]
