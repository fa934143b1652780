"""Characterisation of subtypes: clinical association and differential features."""

from __future__ import annotations

import numpy as np
import pandas as pd

import omicsdl as od


def test_characterisation_tables(fitted, lihc):
    char = od.subtypes.characterise_subtypes(lihc, fitted.labels_.to_numpy(), n_top=5)
    clinical = char.clinical.set_index("variable")
    assert set(clinical.index) == {"stage", "grade", "sex", "age"}
    # stage IV is rare: the sparse table gets an exact (Monte-Carlo) test, not the chi-square approximation
    assert clinical.loc["stage", "test"] in ("chi-square", "chi-square, Monte-Carlo exact (sparse table)")
    assert clinical["note"].str.startswith("descriptive").all()
    assert char.features["note"].str.startswith("descriptive").all()
    assert clinical.loc["age", "test"] in ("Mann-Whitney U", "Kruskal-Wallis")
    assert ((clinical["p_value"] >= 0) & (clinical["p_value"] <= 1)).all()
    feats = char.features
    assert set(feats["omic"]) == {"rna", "mirna", "methylation"}
    assert (feats.groupby("omic").size() == 5).all()
    assert (feats["fdr"] >= feats["p_value"]).all()


def test_sparse_tables_get_exact_tests(fitted, lihc):
    from scipy.stats import chi2_contingency

    from omicsdl.subtypes._characterise import _table_test

    lab = np.array(["S1"] * 30 + ["S2"] * 30)
    two = np.array(["a"] * 27 + ["b"] * 3 + ["a"] * 29 + ["b"] * 1)
    test, _, p = _table_test(pd.crosstab(lab, two).to_numpy(), lab, two, 0)
    assert test.startswith("Fisher") and 0 < p <= 1
    three = np.array(["a"] * 20 + ["b"] * 8 + ["c"] * 2 + ["a"] * 10 + ["b"] * 18 + ["c"] * 2)
    table = pd.crosstab(lab, three).to_numpy()
    test, stat, p = _table_test(table, lab, three, 0)
    assert test.startswith("chi-square, Monte-Carlo exact")
    assert abs(stat - chi2_contingency(table).statistic) < 1e-9  # the same statistic, an exact reference
    assert 0 < p < 0.05  # associated (the asymptotic chi-square p is of the same size)
    assert abs(p - chi2_contingency(table).pvalue) < 0.02
    null = np.array((["a"] * 15 + ["b"] * 13 + ["c"] * 2) * 2)
    assert _table_test(pd.crosstab(lab, null).to_numpy(), lab, null, 0)[2] > 0.9
