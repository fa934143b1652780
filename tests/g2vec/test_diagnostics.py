"""Diagnostics of a fit on SYNTHETIC vectors and paths: collapse, neighbourhood signal, input limits, families."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from omicsdl.g2vec import G2VecDiagnostics, GenePaths
from omicsdl.g2vec._diagnostics import gene_family_modules, input_limits, neighbour_path_overlap


def _paths_of_blocks(n_blocks: int = 4, size: int = 6) -> GenePaths:
    """Paths that stay inside blocks of genes: gene i shares paths only with its block."""
    rows, lengths = [], []
    for b in range(n_blocks):
        genes = list(range(b * size, (b + 1) * size))
        for k in range(size - 1):
            rows.append(genes[k : k + 2] + [-1] * (size - 2))
            lengths.append(2)
    paths = np.array(rows, dtype=np.int32)
    return GenePaths(
        [f"G{i:02d}" for i in range(n_blocks * size)],
        paths,
        np.array(lengths),
        (np.arange(len(rows)) % 2).astype(np.int8),
    )


def _diag(vectors: np.ndarray, paths: GenePaths, l_group: np.ndarray, selected: dict) -> G2VecDiagnostics:
    return G2VecDiagnostics.from_fit(
        variant="reference", network_directed=True, paths=paths, vectors=vectors, l_group=l_group,
        n_selected=selected, history=None, best_epoch=None, stop_reason=None, seed=0,
    )  # fmt: skip


def test_collapsed_vectors_are_called_so():
    paths = _paths_of_blocks()
    rng = np.random.default_rng(0)
    vectors = np.ones((24, 8)) + 1e-3 * rng.normal(size=(24, 8))  # one direction for every gene
    groups = np.array(["good"] * 4 + ["poor"] * 4 + ["rest"] * 16, dtype=object)
    diag = _diag(vectors, paths, groups, {"good": 4, "poor": 2})
    assert diag.mean_pairwise_cosine > 0.99 and diag.collapsed and not diag.neighbourhood_signal
    assert any("collapsed" in w for w in diag.warnings)
    assert any("good L-group has 4 genes and all 4 were selected" in w for w in diag.warnings)
    assert not any("poor L-group" in w for w in diag.warnings)
    doc = diag.to_dict()
    assert doc["collapsed"] is True and G2VecDiagnostics.from_dict(doc) == diag


def test_vectors_that_follow_the_paths_carry_neighbourhood_signal():
    paths = _paths_of_blocks()
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(4, 8))
    vectors = np.repeat(centres, 6, axis=0) + 0.05 * rng.normal(size=(24, 8))
    near, random, z = neighbour_path_overlap(vectors, paths, genes=np.arange(24), seed=0)
    # a gene's 10 nearest genes: its 5 block mates (1 or 2 share a path with it) then others
    assert near > 1.5 * random and z > 3
    shuffled = rng.normal(size=(24, 8))
    *_, z0 = neighbour_path_overlap(shuffled, paths, genes=np.arange(24), seed=0)
    assert z0 < 3
    groups = np.array(["rest"] * 24, dtype=object)
    assert _diag(vectors, paths, groups, {}).neighbourhood_signal
    assert any("no neighbourhood signal" in w for w in _diag(shuffled, paths, groups, {}).warnings)


def test_input_limits_from_metadata_and_from_the_gene_names():
    genes = [f"A{i:03d}X" for i in range(60)]
    assert "start with 'A'" in input_limits(genes)[0]
    assert input_limits(genes[:10]) == []  # too few genes to say
    assert input_limits(["ACTB", "GAPDH", *genes]) == []
    given = {"omicsdl": {"limits": ["only chromosome 1"]}}
    assert input_limits(genes, given) == ["only chromosome 1"]


@pytest.mark.parametrize(
    ("genes", "family"),
    [
        (["ABL1", "ABL2", "ABI2"], ["ABL1", "ABL2"]),
        (["ACSL1", "ACSL3", "ACSL5", "ACACA"], ["ACSL1", "ACSL3", "ACSL5"]),
        (["ACTB", "GAPDH", "TP53"], None),
        (["ACAT1", "ADH1B", "ALDH2", "ABCB4"], None),
    ],
)
def test_gene_family_modules(genes, family):
    table = pd.DataFrame({"module": "M1", "gene": genes})
    found = gene_family_modules(table)
    assert found.get("M1") == family
