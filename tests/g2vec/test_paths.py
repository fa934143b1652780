"""The authors' gene-path steps, each on a small hand-checked SYNTHETIC case.

Set de-duplication, common-set removal, one-gene paths, directed edges (the
steps of ``G2Vec.py``'s ``generate_pathSet`` / ``integrate_pathSet``).
"""

from __future__ import annotations

import numpy as np
import pytest

from omicsdl._core._errors import InputError
from omicsdl.g2vec import generate_gene_paths
from omicsdl.g2vec._paths import combine_groups, distinct_gene_sets, group_walks


def _rows(*walks, width=4):
    paths = np.full((len(walks), width), -1, dtype=np.int32)
    for i, w in enumerate(walks):
        paths[i, : len(w)] = w
    return paths, np.array([len(w) for w in walks])


def _as_sets(rows, sizes):
    return [tuple(int(g) for g in r[:k]) for r, k in zip(rows, sizes, strict=True)]


def test_a_path_is_the_set_of_its_genes_each_kept_once():
    # three orders of {0, 1, 2}, one {0, 1}, one {3}: the authors' tuple(sorted(path)) in a set
    paths, lengths = _rows([0, 1, 2], [2, 1, 0], [1, 0, 2], [1, 0], [3])
    rows, sizes = distinct_gene_sets(paths, lengths)
    assert sorted(_as_sets(rows, sizes)) == [(0, 1), (0, 1, 2), (3,)]
    assert ((rows == -1).sum(axis=1) == 3 - sizes).all()  # padded with -1 after the genes


def test_a_gene_set_in_both_groups_is_removed_from_both_whatever_its_order():
    good = distinct_gene_sets(*_rows([0, 1, 2], [4, 5]))
    poor = distinct_gene_sets(*_rows([2, 0, 1], [5, 6], [4]))  # {0,1,2} again, in another order
    paths, lengths, labels, n_common = combine_groups([good, poor])
    kept = sorted(zip(_as_sets(paths, lengths), labels.tolist(), strict=True))
    assert kept == [((4,), 1), ((4, 5), 0), ((5, 6), 1)]
    assert n_common == 1


def _chain_groups():
    """SYNTHETIC: 3 genes, network 0 → 1 → 2. Good: 0 and 1 move together; poor: 1 and 2 do."""
    rng = np.random.default_rng(0)
    base = rng.normal(size=(30, 1))
    noise = rng.normal(size=(30, 3))
    good = np.hstack([base, base + 0.01 * noise[:, :1], noise[:, 2:]])
    poor = np.hstack([noise[:, :1], base, base + 0.01 * noise[:, 1:2]])
    return good, poor, np.array([0, 1]), np.array([1, 2])


def test_a_gene_without_a_kept_edge_gives_a_one_gene_path():
    good, _, src, dst = _chain_groups()
    paths, lengths, kept = group_walks(
        good, src, dst, min_abs_corr=0.5, n_walks=2, max_length=80, directed=True, rng=0
    )
    assert kept == 1  # only 0 → 1 is correlated among the good patients
    assert sorted(set(_as_sets(*distinct_gene_sets(paths, lengths)))) == [(0, 1), (1,), (2,)]


def test_edges_are_walked_as_listed_when_directed():
    good, _, src, dst = _chain_groups()
    undirected = group_walks(
        good, src, dst, min_abs_corr=0.5, n_walks=2, max_length=80, directed=False, rng=0
    )
    # both ways, 1 can step back to 0: no one-gene path {1}
    assert sorted(set(_as_sets(*distinct_gene_sets(*undirected[:2])))) == [(0, 1), (2,)]


def test_generate_gene_paths_keeps_the_lost_correlation_signal():
    good, poor, src, dst = _chain_groups()
    x = np.vstack([good, poor])
    y = np.repeat([0, 1], 30)
    paths = generate_gene_paths(x, y, ["g0", "g1", "g2"], src, dst, n_walks=3, directed=True, rng=0)
    kept = sorted(zip(_as_sets(paths.paths, paths.lengths), paths.labels.tolist(), strict=True))
    # good: {0,1}, {1}, {2}; poor: {0}, {1,2}, {2} -> {2} is in both and goes
    assert kept == [((0,), 1), ((0, 1), 0), ((1,), 0), ((1, 2), 1)]
    assert paths.n_common == 1 and paths.n_distinct == {"good": 3, "poor": 3}
    assert paths.n_singletons == {"good": 1, "poor": 1}
    assert paths.n_walks == {"good": 9, "poor": 9}
    assert paths.counts().tolist() == [[1, 1], [2, 1], [0, 1]]


def test_no_edge_above_threshold_says_which_threshold():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 4))  # synthetic: independent genes
    y = np.repeat([0, 1], 20)
    with pytest.raises(
        InputError, match=r"(?s)no network edge has \|Pearson r\| > 0.9.*min_abs_corr \(--min-corr\)"
    ):
        generate_gene_paths(x, y, list("abcd"), np.array([0, 1, 2]), np.array([1, 2, 3]), min_abs_corr=0.9)
