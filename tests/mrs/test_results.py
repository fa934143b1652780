"""MRSEvaluation owns its files: write → read round trip, header, models, refusals (SYNTHETIC spectra)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from omicsdl import InputError
from omicsdl.mrs import MRSClassification, MRSEvaluation, SpectrumQuantifierCNN, evaluate_mrs


@pytest.fixture(scope="module")
def evaluation(small_basis):
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return evaluate_mrs(
            basis=small_basis,
            n_test=4,
            qcnn_max_steps=3,
            ccnn_max_steps=3,
            batch_size=8,
            n_pilot=3,
            n_test_patients=(2, 3),
            rng=0,
        )
    finally:
        torch.set_num_threads(before)


def test_evaluate_returns_a_typed_evaluation(evaluation, small_basis):
    assert isinstance(evaluation, MRSEvaluation)
    assert isinstance(evaluation.classification, MRSClassification)
    assert evaluation.synthetic is True
    assert evaluation.metabolites == small_basis.names
    assert (
        set(evaluation.qcnn_mape)
        == set(evaluation.fit_mape)
        == set(evaluation.paired_p)
        == set(small_basis.names)
    )
    cls = evaluation.classification
    assert cls.n_hcc == 2 and cls.n_non_hcc == 3 and len(cls.patients) == 5
    assert list(cls.scalars()) == [
        "sensitivity", "specificity", "accuracy", "n_hcc", "n_non_hcc", "true_positive", "true_negative", "auc",
    ]  # fmt: skip
    assert evaluation.example is not None and evaluation.qcnn.is_fitted and evaluation.ccnn.is_fitted


def test_write_read_round_trip(evaluation, tmp_path):
    out = tmp_path / "ev"
    written = evaluation.write(out)
    assert set(written) == {"metrics.json", "classification_scores.tsv", "roc.png", "fit_example.png"}
    assert not (out / "models").exists()  # only with save_models=True
    assert not list(out.glob(".*.part"))  # the staging folder is gone
    doc = json.loads((out / "metrics.json").read_text())
    assert list(doc)[:3] == ["format", "format_version", "omicsdl_version"]
    assert doc["format"] == "omicsdl.MRSEvaluation" and doc["format_version"] == 1
    assert doc["synthetic"] is True and doc["classification"]["roc"]["fpr"] == evaluation.classification.fpr
    back = MRSEvaluation.read(out)
    assert back == evaluation
    assert back.to_json() == evaluation.to_json() == doc
    assert back.example is None and back.qcnn is None and back.ccnn is None
    assert back.fit_figure == out / "fit_example.png" and back.metrics_path == out / "metrics.json"
    scores = pd.read_csv(out / "classification_scores.tsv", sep="\t")
    pd.testing.assert_frame_equal(scores, evaluation.classification.to_frame())
    pd.testing.assert_frame_equal(back.per_metabolite(), evaluation.per_metabolite())
    # a read evaluation writes again (without the example figure), and reads back the same
    back.write(tmp_path / "again")
    assert not (tmp_path / "again" / "fit_example.png").exists()
    assert MRSEvaluation.read(tmp_path / "again") == evaluation


def test_save_models_and_refusals(evaluation, tmp_path):
    out = tmp_path / "ev"
    written = evaluation.write(out, save_models=True)
    assert "models/qcnn/model.json" in written and "models/ccnn/model.safetensors" in written
    assert SpectrumQuantifierCNN.load(out / "models" / "qcnn").names_ == evaluation.metabolites
    with pytest.raises(InputError, match="holds no fitted models"):
        MRSEvaluation.read(out).write(tmp_path / "x", save_models=True)
    doc = json.loads((out / "metrics.json").read_text())
    (out / "metrics.json").write_text(json.dumps(doc | {"format_version": 7}))
    with pytest.raises(InputError, match="unknown results format_version 7"):
        MRSEvaluation.read(out)
    (out / "metrics.json").write_text(json.dumps(doc | {"format": "omicsdl.BloodComparison"}))
    with pytest.raises(InputError, match=r"expected omicsdl\.MRSEvaluation results"):
        MRSEvaluation.read(out)
    (out / "metrics.json").write_text(json.dumps(doc | {"qcnn_mape": 3.0}))
    with pytest.raises(InputError, match="'qcnn_mape' is not a JSON object"):
        MRSEvaluation.read(out)
    with pytest.raises(InputError, match=r"no metrics\.json"):
        MRSEvaluation.read(tmp_path)


def test_reads_a_metrics_file_written_before_the_header(tmp_path):
    doc = {"synthetic": True, "qcnn_mape": {"fat": 4.1}, "fit_mape": {"fat": 6.3}, "paired_p": {"fat": 0.003},
           "classification": {"sensitivity": 0.8, "specificity": 0.9, "p_hcc": [0.1, 0.9]}}  # fmt: skip
    (tmp_path / "metrics.json").write_text(json.dumps(doc))
    ev = MRSEvaluation.read(tmp_path)
    assert ev.qcnn_mape == {"fat": 4.1} and ev.qcnn_better is None and ev.fit_figure is None
    assert ev.classification.scalars() == {"sensitivity": 0.8, "specificity": 0.9}
    assert list(ev.per_metabolite().columns) == ["metabolite", "qcnn_mape", "fit_mape", "paired_p"]
