"""L-groups and gene scores on hand-checked SYNTHETIC vectors: the authors' rule and omicsdl's; pooled t."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import ttest_ind

from omicsdl.g2vec._lgroups import abs_t, assign_l_groups, gene_scores


def _three_clusters():
    """12 genes near the origin (never moved), 3 pushed along +e1, 3 along -e1."""
    rng = np.random.default_rng(0)
    rest = 0.01 * rng.normal(size=(12, 4))
    plus = np.array([5.0, 0, 0, 0]) + 0.01 * rng.normal(size=(3, 4))
    minus = np.array([-5.0, 0, 0, 0]) + 0.01 * rng.normal(size=(3, 4))
    return np.vstack([rest, plus, minus])


def test_reference_rule_largest_cluster_is_rest_and_good_has_more_good_majority_genes():
    vectors = _three_clusters()
    counts = np.zeros((18, 2), dtype=int)
    counts[12:15] = [[5, 1], [4, 2], [3, 3]]  # +e1 genes: 2 more often in good paths, 1 tie
    counts[15:] = [[1, 6], [0, 2], [2, 1]]  # -e1 genes: 2 more often in poor paths
    groups = assign_l_groups(vectors, counts, rule="reference", seed=0)
    assert groups[:12].tolist() == ["rest"] * 12
    assert groups[12:15].tolist() == ["good"] * 3
    assert groups[15:].tolist() == ["poor"] * 3


def test_reference_counts_majority_genes_omicsdl_compares_per_group_shares():
    vectors = _three_clusters()
    counts = np.ones((18, 2), dtype=int)  # the 12 unmoved genes are in one path of each group
    counts[12:15] = [[3, 4]] * 3  # +e1: mildly poor-leaning, all three poor-majority
    counts[15:] = [[1, 30], [1, 30], [5, 4]]  # -e1: strongly poor-leaning, but one good-majority gene
    reference = assign_l_groups(vectors, counts, rule="reference", seed=0)
    omicsdl = assign_l_groups(vectors, counts, rule="omicsdl", seed=0)
    # reference: good-majority minus poor-majority genes: +e1 -3, -e1 -1 -> -e1 is "good"
    assert reference[12:15].tolist() == ["poor"] * 3 and reference[15:].tolist() == ["good"] * 3
    # omicsdl: mean share of poor paths (counts over each group's total): +e1 0.30, -e1 0.67
    assert omicsdl[12:15].tolist() == ["good"] * 3 and omicsdl[15:].tolist() == ["poor"] * 3
    assert omicsdl[:12].tolist() == ["rest"] * 12  # smallest vectors


def test_omicsdl_rule_leaves_genes_in_no_path_out():
    vectors = _three_clusters()
    counts = np.zeros((18, 2), dtype=int)
    counts[:6] = 1
    counts[12:] = [[5, 1]] * 3 + [[1, 5]] * 3
    groups = assign_l_groups(vectors, counts, rule="omicsdl", seed=0)
    assert groups[6:12].tolist() == ["rest"] * 6 and groups[12:15].tolist() == ["good"] * 3


def test_pooled_t_is_the_authors_formula():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(13, 3))
    x[:, 2] = 1.0  # constant: t is 0, as in the authors' code
    y = np.array([0] * 6 + [1] * 7)
    good, poor = x[y == 0, 0], x[y == 1, 0]
    pooled = np.sqrt(((6 - 1) * good.var(ddof=1) + (7 - 1) * poor.var(ddof=1)) / (6 + 7 - 2))
    by_hand = abs(poor.mean() - good.mean()) / pooled / np.sqrt(1 / 6 + 1 / 7)
    t = abs_t(x, y, pooled=True)
    assert t[0] == pytest.approx(by_hand, rel=1e-12)
    assert t[2] == 0.0
    welch = abs(ttest_ind(poor, good, equal_var=False).statistic)
    assert abs_t(x, y, pooled=False)[0] == pytest.approx(welch, rel=1e-12)
    assert abs(t[0] - welch) > 1e-6  # the two differ on unequal groups


def test_gene_score_is_half_scaled_length_half_scaled_t_within_each_l_group():
    groups = np.array(["good", "good", "good", "poor", "poor", "rest"], dtype=object)
    norm = np.array([1.0, 2.0, 3.0, 5.0, 5.0, 9.0])
    t = np.array([0.0, 4.0, 2.0, 1.0, 3.0, 9.0])
    score = gene_scores(groups, norm, t)
    np.testing.assert_allclose(score, [0.0, 0.75, 0.75, 0.0, 0.5, 0.0])
