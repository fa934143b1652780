"""Fitting on an AnnData cohort and predicting new samples, with the documented imputation."""

from __future__ import annotations

import numpy as np
import pytest

import omicsdl as od
from omicsdl import InputError


def test_fit_and_predict_with_imputation(sim_train, sim_validation, tmp_path):
    model = od.blood.fit_blood_classifier(sim_train, max_epochs=40)
    assert model.metadata_["synthetic_training_data"] is True
    pred = od.blood.predict_blood(model, sim_validation)
    assert list(pred.columns) == ["probability_hcc", "label", "threshold", "imputed_genes", "synthetic"]
    assert set(pred["label"]) <= {"HCC", "control"}
    assert ((pred["probability_hcc"] >= model.threshold_) == (pred["label"] == "HCC")).all()
    missing = sim_validation[:, [g for g in sim_validation.var_names if g != "CALR"]].copy()
    with pytest.raises(InputError, match="missing: CALR"):
        od.blood.predict_blood(model, missing)
    imputed = od.blood.predict_blood(model, missing, impute="training-median")
    assert (imputed["imputed_genes"] == "CALR").all()
    holes = sim_validation.copy()
    holes.X[0, 0] = np.nan
    with pytest.raises(InputError, match="miss a panel value"):
        od.blood.predict_blood(model, holes)
    filled = od.blood.predict_blood(model, holes, impute="training-median")
    assert filled["imputed_genes"].iloc[0] == "GPC3"
    assert filled["imputed_genes"].iloc[1] == ""
