"""Nested CV is leakage-free: every fitted step sees only training patients."""

from __future__ import annotations

import numpy as np

import omicsdl as od
from omicsdl.subtypes._model import SurvivalSubtypes

TINY = {"autoencoder": {"hidden_sizes": [16], "latent_dim": 8, "max_epochs": 2}, "k": 2, "alpha": 0.2}


def test_held_out_patients_never_reach_fit(lihc, monkeypatch):
    fitted_on: list[set[str]] = []
    predicted_on: list[set[str]] = []
    fit, predict = SurvivalSubtypes.fit, SurvivalSubtypes.predict

    def spy_fit(self, mdata, **kwargs):
        fitted_on.append(set(mdata.obs_names))
        return fit(self, mdata, **kwargs)

    def spy_predict(self, mdata, **kwargs):
        predicted_on.append(set(mdata.obs_names))
        return predict(self, mdata, **kwargs)

    monkeypatch.setattr(SurvivalSubtypes, "fit", spy_fit)
    monkeypatch.setattr(SurvivalSubtypes, "predict", spy_predict)
    ev = od.subtypes.evaluate_subtypes(
        lihc, n_folds=3, n_repeats=1, params=TINY, baselines=False, rng=0, n_threads=1
    )
    # the first fit (and the first two predictions) are the in-sample replication on everyone
    assert fitted_on[0] == set(lihc.obs_names)
    folds = list(zip(fitted_on[1:], predicted_on[2:], strict=True))
    assert len(folds) == 3
    for train, test in folds:
        assert not train & test
        assert train | test == set(lihc.obs_names)
    assert set().union(*(test for _, test in folds)) == set(lihc.obs_names)
    m = ev.to_dict()  # the metrics.json contract
    assert m["n_folds"] == 3
    assert np.isfinite(m["heldout_cindex_mean"])
    assert "pca_heldout_cindex_mean" not in m  # baselines off
    # the ridge Cox on the screened latent features is reported in the same run
    for key in ("heldout_latent_cox", "heldout_latent_cox_stage"):
        assert 0.0 <= m[f"{key}_cindex_mean"] <= 1.0
        assert m[f"{key}_cindex_sd"] == 0.0  # one repeat
    # the contract keys are untouched
    assert 0.0 <= m["heldout_cindex_mean"] <= 1.0
    methods = set(ev.baselines["method"])
    assert {"autoencoder", "latent_cox", "latent_cox_stage"} <= methods
    rows = ev.heldout_predictions[ev.heldout_predictions["method"] == "latent_cox"]
    assert sorted(rows["patient"]) == sorted(lihc.obs_names)  # every patient held out once
    assert set(rows["subtype"]) <= {"high", "low"}
    assert len(m["latent_cox_penalizers_chosen"]["latent_cox"]) == 3
