"""Module enrichment adjusted over every module × collection, and the random-module null (SYNTHETIC sets)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from omicsdl.enrich import module_enrichment_null, run_module_enrichment, run_ora

BACKGROUND = [f"G{i:02d}" for i in range(60)]
COLLECTIONS = {
    "A": {"block1": BACKGROUND[:8], "block2": BACKGROUND[8:16], "wide": BACKGROUND[:40]},
    "B": {"block3": BACKGROUND[16:24], "tiny": BACKGROUND[:2]},
}
MODULES = {"M1": BACKGROUND[:6], "M2": BACKGROUND[16:20] + BACKGROUND[50:52]}


def test_fdr_runs_over_all_modules_and_collections_together():
    res = run_module_enrichment(MODULES, COLLECTIONS, background=BACKGROUND, min_size=3)
    assert res.n_sets == 4 and res.n_tests == 2 * 4  # "tiny" is below min_size
    table = res.table
    # the same p-values as one ORA per module; the FDR over all 8 tests at once
    for module, genes in MODULES.items():
        for collection, sets in COLLECTIONS.items():
            single = run_ora(genes, sets, background=BACKGROUND, min_size=3).set_index("term")
            for term in single.index:
                row = table[(table["module"] == module) & (table["term"] == term)].iloc[0]
                assert row["p"] == pytest.approx(single.loc[term, "p"], rel=1e-9)
                assert row["collection"] == collection
    p_all = [1.0] * 8
    order = {("M1", "block1"): 0, ("M1", "block2"): 1, ("M1", "wide"): 2, ("M1", "block3"): 3}
    order |= {("M2", "block1"): 4, ("M2", "block2"): 5, ("M2", "wide"): 6, ("M2", "block3"): 7}
    for _, row in table.iterrows():
        p_all[order[(row["module"], row["term"])]] = row["p"]
    expected = multipletests(p_all, method="fdr_bh")[1]
    for _, row in table.iterrows():
        assert row["fdr"] == pytest.approx(expected[order[(row["module"], row["term"])]], rel=1e-9)
    assert table["fdr"].is_monotonic_increasing  # significant rows first
    assert table.iloc[0]["genes"] == ",".join(BACKGROUND[:6])
    assert res.n_significant() == int((table["fdr"] < 0.05).sum())


def _network():
    """SYNTHETIC: blocks of 8 genes, densely linked inside, a ring between blocks."""
    graph = nx.Graph()
    for b in range(0, 60, 8):
        block = BACKGROUND[b : b + 8]
        graph.add_edges_from((u, v) for i, u in enumerate(block) for v in block[i + 1 :])
        if b + 8 < 60:
            graph.add_edge(block[-1], BACKGROUND[b + 8])
    return graph


def test_connected_null_draws_connected_sets_and_a_planted_module_beats_permutation():
    graph = _network()
    perm = module_enrichment_null(
        {"M1": BACKGROUND[:6]}, COLLECTIONS, background=BACKGROUND, kind="permutation", n_draws=99, rng=0
    )
    assert perm.per_module.loc[0, "empirical_p"] <= 0.02  # six genes of one set: rare among random sets
    conn = module_enrichment_null(
        {"M1": BACKGROUND[:6]}, COLLECTIONS, background=BACKGROUND, network=graph, n_draws=99, rng=0
    )
    # connected sets of six mostly sit in one block = one set: the module is ordinary among them
    assert conn.per_module.loc[0, "empirical_p"] > 0.05
    assert conn.null_n_significant.mean() > perm.null_n_significant.mean()
    again = module_enrichment_null(
        {"M1": BACKGROUND[:6]}, COLLECTIONS, background=BACKGROUND, network=graph, n_draws=99, rng=0
    )
    np.testing.assert_array_equal(again.null_n_significant, conn.null_n_significant)


def test_connected_sets_are_connected_and_of_the_right_size():
    from omicsdl.enrich._null import _connected_set

    graph = _network()
    adjacency = {g: sorted(graph[g]) for g in graph}
    rng = np.random.default_rng(0)
    for size in (3, 9, 20):
        genes = _connected_set(adjacency, sorted(adjacency), size, rng)
        assert len(set(genes)) == size and nx.is_connected(graph.subgraph(genes))
    with pytest.raises(ValueError, match="needs the network"):
        module_enrichment_null(MODULES, COLLECTIONS, background=BACKGROUND, kind="connected")
