"""SubtypeClassifier: per-omic SVMs on the real demo, any subset of omics, save/load."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose

import omicsdl as od


def test_classifier_direct_and_save(tmp_path, lihc):
    labels = np.where(np.asarray(lihc["rna"][:, "rna:AFP"].X).ravel() > 50, "high", "low")
    clf = od.subtypes.SubtypeClassifier(n_features={"rna": 10, "mirna": 5, "methylation": 5}, rng=0)
    clf.fit(lihc, labels)
    assert (clf.predict(lihc) == labels).mean() > 0.9
    clf.save(tmp_path / "classifier")
    back = od.subtypes.SubtypeClassifier.load(tmp_path / "classifier")
    assert_allclose(back.predict_proba(lihc), clf.predict_proba(lihc), rtol=1e-9)
    assert "rna:AFP" in back.models_["rna"]["features"]
    proba = clf.predict_proba(lihc, omics=["mirna"])
    assert proba.attrs["omics_used"] == ["mirna"]
    assert isinstance(proba, pd.DataFrame)
