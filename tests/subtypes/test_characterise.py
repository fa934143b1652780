"""Characterisation of subtypes: clinical association and differential features."""

from __future__ import annotations

import omicsdl as od


def test_characterisation_tables(fitted, lihc):
    char = od.subtypes.characterise_subtypes(lihc, fitted.labels_.to_numpy(), n_top=5)
    clinical = char.clinical.set_index("variable")
    assert set(clinical.index) == {"stage", "grade", "sex", "age"}
    assert clinical.loc["stage", "test"] == "chi-square"
    assert clinical.loc["age", "test"] in ("Mann-Whitney U", "Kruskal-Wallis")
    assert ((clinical["p_value"] >= 0) & (clinical["p_value"] <= 1)).all()
    feats = char.features
    assert set(feats["omic"]) == {"rna", "mirna", "methylation"}
    assert (feats.groupby("omic").size() == 5).all()
    assert (feats["fdr"] >= feats["p_value"]).all()
