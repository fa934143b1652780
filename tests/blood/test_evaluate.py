"""The four-method comparison: metrics structure, thresholds from training data, validation."""

from __future__ import annotations

import json

import pytest

import omicsdl as od
from omicsdl import InputError


def test_metrics_structure(small_result):
    doc = small_result.to_dict()
    assert doc["synthetic"] is True
    assert "SYNTHETIC" in doc["note"]
    assert doc["bayes_auc"] == pytest.approx(0.94)
    assert doc["methods"] == ["mlp", "logistic", "lda", "tree"]
    for method in doc["methods"]:
        block = doc[method]
        for key in ("auc", "auc_ci_low", "auc_ci_high", "sensitivity", "specificity"):
            assert 0.0 <= block[key] <= 1.0
        assert block["auc_ci_low"] < block["auc"] < block["auc_ci_high"]
        val = block["validation"]
        assert val["n"] == 86
        assert val["n_positive"] == 52
        conf = val["confusion"]
        assert conf["tp"] + conf["fn"] == 52
        assert conf["tn"] + conf["fp"] == 34
        assert val["sensitivity"] == pytest.approx(conf["tp"] / 52)
        cv_conf = block["cv"]["confusion"]
        assert cv_conf["tp"] + cv_conf["fn"] == pytest.approx(103)
    json.dumps(doc, allow_nan=False)
    # the linear methods reach the Bayes AUC region on this SYNTHETIC cohort; the tree lags
    assert doc["logistic"]["auc"] > 0.88
    assert doc["tree"]["auc"] < doc["logistic"]["auc"]


def test_same_seed_same_result(sim_train):
    kw = {"n_repeats": 1, "methods": ["mlp", "tree"], "mlp_params": {"max_epochs": 20}}
    a = od.blood.compare_blood_classifiers(sim_train, rng=4, **kw).to_dict()
    b = od.blood.compare_blood_classifiers(sim_train, rng=4, **kw).to_dict()
    assert a["mlp"]["auc"] == b["mlp"]["auc"]
    assert a["tree"]["sensitivity"] == b["tree"]["sensitivity"]


def test_threshold_is_chosen_on_training_folds(sim_train):
    # target sensitivity 0.95 on the training folds: held-out sensitivity lands near it, not at Youden's point
    res = od.blood.compare_blood_classifiers(sim_train, methods=["lda"], n_repeats=3, threshold=0.95, rng=0)
    youden = od.blood.compare_blood_classifiers(sim_train, methods=["lda"], n_repeats=3, rng=0)
    assert res.metrics["lda"].cv.sensitivity > 0.88
    assert res.metrics["lda"].cv.sensitivity > youden.metrics["lda"].cv.sensitivity
    assert res.settings.threshold_rule == 0.95


def test_real_labels_are_not_synthetic(sim_train):
    real_like = sim_train.copy()
    del real_like.uns["synthetic"]
    del real_like.uns["blood_sim"]
    real_like.obs = real_like.obs.drop(columns="synthetic")
    res = od.blood.compare_blood_classifiers(real_like, methods=["lda"], n_repeats=1)
    assert res.synthetic is False
    assert res.bayes_auc is None
    assert "note" not in res.to_dict()
    assert "SYNTHETIC" not in od.blood.plot_blood_roc(res).axes[0].get_title()


def test_validation_overlap_and_bad_options(sim_train):
    with pytest.raises(InputError, match="in both the training and the validation data"):
        od.blood.compare_blood_classifiers(sim_train, validation=sim_train[::5], methods=["lda"], n_repeats=1)
    with pytest.raises(InputError, match="unknown method 'svm'"):
        od.blood.compare_blood_classifiers(sim_train, methods=["svm"])
    with pytest.raises(InputError, match="fewer than the 5 CV folds"):
        od.blood.compare_blood_classifiers(sim_train[:107], methods=["lda"], n_repeats=1)


def test_duplicated_profiles_warn(sim_train):
    dup = sim_train.copy()
    dup.X[1] = dup.X[0]
    with pytest.warns(UserWarning, match="identical panel values"):
        od.blood.compare_blood_classifiers(dup, methods=["lda"], n_repeats=1)


def test_inner_cv_thresholds(sim_train):
    kw = {"methods": ["tree", "lda"], "n_repeats": 2, "rng": 3}
    insample = od.blood.compare_blood_classifiers(sim_train, threshold_source="in-sample", **kw)
    inner = od.blood.compare_blood_classifiers(sim_train, **kw)  # inner CV is the default
    assert "inner-CV" in inner.settings.threshold_chosen_on
    assert "in-sample" in insample.settings.threshold_chosen_on
    for method in ("tree", "lda"):
        # same held-out probabilities (the threshold never touches them), different thresholds
        assert inner.metrics[method].cv.auc == insample.metrics[method].cv.auc
    assert inner.metrics["tree"].cv.threshold != insample.metrics["tree"].cv.threshold
    with pytest.raises(InputError, match="threshold_source"):
        od.blood.compare_blood_classifiers(sim_train, threshold_source="oob", **kw)
