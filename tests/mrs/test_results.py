"""MRSEvaluation owns its files: write → read round trip, header, models, refusals (SYNTHETIC spectra)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from omicsdl import InputError
from omicsdl.mrs import MRSClassification, MRSEvaluation, SpectrumQuantifierCNN


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
    assert doc["format"] == "omicsdl.MRSEvaluation" and doc["format_version"] == 2
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


def test_adjusted_p_intervals_and_spreads(evaluation, small_basis):
    from statsmodels.stats.multitest import multipletests

    from omicsdl.metrics import clopper_pearson

    names = small_basis.names
    raw = [evaluation.paired_p[n] for n in names]
    np.testing.assert_allclose(
        [evaluation.paired_p_adjusted[n] for n in names], multipletests(raw, method="holm")[1]
    )
    assert set(evaluation.hybrid_mape) == set(evaluation.hybrid_paired_p_adjusted) == set(names)
    assert all(evaluation.hybrid_paired_p_adjusted[n] >= evaluation.hybrid_paired_p[n] for n in names)
    conv = evaluation.fit_convergence
    assert conv["n_spectra"] == 4 and 0 <= conv["converged"] <= 4
    assert conv["rate"] == conv["converged"] / 4 and conv["evaluations_max"] <= conv["max_evaluations"]
    cls = evaluation.classification
    assert cls.sensitivity_ci == clopper_pearson(cls.true_positive, cls.n_hcc)
    assert cls.accuracy_ci == clopper_pearson(cls.true_positive + cls.true_negative, 5)
    for metric, (lo, hi) in cls.intervals().items():
        assert lo <= getattr(cls, metric) <= hi, metric
    assert set(cls.intervals()) == {"sensitivity", "specificity", "accuracy", "auc"}
    spread = evaluation.cohort_spread
    assert spread.n == 6 and evaluation.study_spread.n == 2
    acc = np.array(spread.values["accuracy"])
    assert set(np.round(acc * 5, 6)) <= set(range(6))  # 5 patients a cohort
    summary = spread.summary()["accuracy"]
    assert summary["mean"] == pytest.approx(acc.mean(), abs=1e-4)
    assert summary["q2.5"] == pytest.approx(np.quantile(acc, 0.025), abs=1e-4)
    assert summary["q2.5"] <= summary["mean"] <= summary["q97.5"]
    assert "not_modelled" in evaluation.assumptions and evaluation.settings["n_cohorts"] == 6


def test_metrics_json_holds_the_contract_keys(evaluation, tmp_path):
    evaluation.write(tmp_path / "m")
    doc = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert set(doc["paired_p_adjusted"]) == set(doc["metabolites"])
    assert doc["classification"]["ci"]["level"] == 0.95
    assert len(doc["classification"]["ci"]["auc"]) == 2
    for key, count in (("cohort_spread", "n_cohorts"), ("study_spread", "n_studies")):
        block = doc[key]
        assert block[count] == len(block["values"]["auc"])
        for metric in ("sensitivity", "specificity", "accuracy", "auc"):
            assert set(block[metric]) == {"mean", "q2.5", "q97.5"}
    assert doc["fit_convergence"]["max_evaluations"] == 60


def test_refuses_damaged_new_blocks(evaluation, tmp_path):
    out = tmp_path / "ev"
    evaluation.write(out)
    doc = json.loads((out / "metrics.json").read_text())
    bad = json.loads(json.dumps(doc))
    bad["cohort_spread"]["values"]["auc"] = bad["cohort_spread"]["values"]["auc"][:-1]
    (out / "metrics.json").write_text(json.dumps(bad))
    with pytest.raises(InputError, match="'cohort_spread' needs 'values'"):
        MRSEvaluation.read(out)
    bad = json.loads(json.dumps(doc))
    bad["classification"]["ci"]["sensitivity"] = [0.1]
    (out / "metrics.json").write_text(json.dumps(bad))
    with pytest.raises(InputError, match=r"'classification\.ci\.sensitivity' is not a \[low, high\] pair"):
        MRSEvaluation.read(out)


def test_versus_fit_counts_wins_and_significant_ones():
    ev = MRSEvaluation(
        metabolites=["a", "b", "c", "d"],
        qcnn_mape={"a": 1.0, "b": 5.0, "c": 2.0, "d": 3.0},
        fit_mape={"a": 2.0, "b": 4.0, "c": 2.0, "d": 4.0},
        paired_p={"a": 0.001, "b": 0.01, "c": 1.0, "d": 0.2},
        paired_p_adjusted={"a": 0.004, "b": 0.06, "c": 1.0, "d": 0.4},
    )
    assert ev.versus_fit("qcnn") == {
        "better": ["a", "d"], "better_significant": ["a"], "worse": ["b"], "worse_significant": [],
    }  # fmt: skip
    assert ev.versus_fit("hybrid") == {
        k: [] for k in ("better", "better_significant", "worse", "worse_significant")
    }
