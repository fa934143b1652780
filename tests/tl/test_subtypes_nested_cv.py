"""Nested CV is leakage-free: every fitted step sees only training patients."""

from __future__ import annotations

import numpy as np
import pytest

import omicsdl as od
from omicsdl.tl._subtypes import SurvivalSubtypes

TINY = {"autoencoder": {"hidden_dims": [16], "latent_dim": 8, "n_epochs": 2}, "k": 2, "alpha": 0.2}


@pytest.fixture(scope="module")
def lihc(request):
    """The embedded TCGA-LIHC demo (session-cached by tests/conftest.py; do not modify)."""
    return request.getfixturevalue("_demo_cohort")


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
    ev = od.tl.evaluate_subtypes(
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
    assert ev.metrics["n_folds"] == 3
    assert np.isfinite(ev.metrics["heldout_cindex_mean"])
    assert "pca_heldout_cindex_mean" not in ev.metrics  # baselines off
