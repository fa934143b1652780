"""Fixtures of the G2Vec tests: the real demo data and one fitted model, shared by the session."""

from __future__ import annotations

import pytest

import omicsdl as od

#: short fits (3 CBOW epochs) for the tests on the real demo data
FAST = {"max_epochs": 3}


@pytest.fixture(scope="session")
def g2vec_demo():
    """The embedded TCGA-LIHC mRNA with prognosis labels, and the shipped STRING subset (rows directed)."""
    return od.datasets.g2vec_demo(directed=True)


@pytest.fixture(scope="session")
def g2vec_fitted(g2vec_demo):
    """G2Vec fitted on the demo with seed 0 (do not modify it)."""
    adata, network = g2vec_demo
    return od.g2vec.G2Vec(**FAST, rng=0).fit(adata, network)
