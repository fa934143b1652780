"""Fixtures of the survival-subtypes tests: the real TCGA-LIHC demo and one fitted model."""

from __future__ import annotations

import pytest

import omicsdl as od

#: a small autoencoder for the real demo (the published 500-100-500 is too slow for tests)
SMALL_AE = {"hidden_sizes": [64], "latent_dim": 16, "max_epochs": 4}


def copy_cohort(mdata):
    """A copy of a cohort, without MuData's expected shared-gene-name warning."""
    from omicsdl.io._cohort import _quiet_mudata

    with _quiet_mudata():  # the shared-gene-name warning of MuData.copy is expected for cohorts
        return mdata.copy()


@pytest.fixture(scope="session")
def lihc(request):
    """The embedded TCGA-LIHC demo (session-cached by tests/conftest.py; do not modify)."""
    return request.getfixturevalue("_demo_cohort")


@pytest.fixture
def cohort(lihc):
    """A copy of the demo that a test may modify."""
    return copy_cohort(lihc)


@pytest.fixture(scope="session")
def fitted(lihc):
    """SurvivalSubtypes fitted on the whole demo with the small autoencoder (do not modify)."""
    return od.subtypes.SurvivalSubtypes(autoencoder=SMALL_AE, k=(2, 3), rng=0, n_threads=1).fit(lihc)
