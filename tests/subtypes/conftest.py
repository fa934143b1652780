"""Fixtures of the survival-subtypes tests: the real TCGA-LIHC demo and one fitted model."""

from __future__ import annotations

import pytest

import omicsdl as od

#: a small autoencoder for the real demo (the published 500-100-500 is too slow for tests)
SMALL_AE = {"hidden_sizes": [64], "latent_dim": 16, "max_epochs": 4}


def copy_cohort(mdata):
    """A copy of a cohort."""
    from omicsdl.io._cohort import _quiet_mudata

    with _quiet_mudata():  # MuData's no-pull behaviour (feature names are unique: rna:ACAT1)
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


#: tiny settings of every benchmarked model for the real demo (CI budget)
TINY_AE = {"hidden_sizes": [16], "latent_dim": 8, "max_epochs": 2}
TINY_PIPELINE = {"autoencoder": TINY_AE, "k": 2, "alpha": 0.2}
TINY_MODELS = {
    "deepprog_ensemble": {"n_models": 2},
    "cox_autoencoder": {"autoencoder": {"hidden_sizes": [16], "latent_dim": 4, "max_epochs": 4}},
    "pca_cox": {"n_components": 10},
    "late_fusion_cox": {"n_components": 5},
}


@pytest.fixture(scope="session")
def evaluation_and_fits(lihc, test_data):
    """A real (tiny) evaluation of every model on 3 folds, with the patients every model fit saw.

    Every risk model's ``fit`` is spied on, so tests can check that no held-out patient
    reached any fitted step. Also transfers to the external 40-patient mRNA fixture.
    """
    from omicsdl.subtypes import (
        CoxAutoencoderModel,
        LateFusionCox,
        PCACox,
        StageCox,
        SubtypesEnsemble,
        SurvivalSubtypes,
    )

    external = od.subtypes.read_expression_survival_table(
        test_data / "subtypes" / "hcc150_first40_120genes.csv.gz"
    )
    fits: list[tuple[str, frozenset[str]]] = []
    with pytest.MonkeyPatch.context() as mp:
        for cls in (SurvivalSubtypes, SubtypesEnsemble, CoxAutoencoderModel, PCACox, LateFusionCox, StageCox):

            def spy(self, mdata, *, source="cohort", _orig=cls.fit, _name=cls.__name__):
                fits.append((_name, frozenset(mdata.obs_names)))
                return _orig(self, mdata, source=source)

            mp.setattr(cls, "fit", spy)
        ev = od.subtypes.evaluate_subtypes(
            lihc,
            n_folds=3,
            n_repeats=1,
            params=TINY_PIPELINE,
            model_params=TINY_MODELS,
            n_permutations=3,
            external=external,
            n_threads=2,
            rng=0,
        )
    return ev, fits
