"""Fixtures of the blood-classifier tests: the committed files and small SYNTHETIC cohorts."""

from __future__ import annotations

from pathlib import Path

import pytest

BLOOD_DATA = Path(__file__).resolve().parents[1] / "_data" / "blood"


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def blood_data() -> Path:
    """Folder with the blood fixtures (SYNTHETIC GEO/qPCR/CSV files and a real TCGA excerpt)."""
    return BLOOD_DATA


@pytest.fixture(scope="session")
def _sim_cohort():
    import omicsdl as od

    return od.blood.simulate_blood_cohort(rng=0)


@pytest.fixture
def sim_cohort(_sim_cohort):
    """SYNTHETIC cohort with the published sizes (training 103/54, validation 52/34)."""
    return _sim_cohort.copy()


@pytest.fixture
def sim_train(_sim_cohort):
    return _sim_cohort[_sim_cohort.obs["cohort"] == "training"].copy()


@pytest.fixture
def sim_validation(_sim_cohort):
    return _sim_cohort[_sim_cohort.obs["cohort"] == "validation"].copy()


@pytest.fixture(scope="session")
def small_result():
    """A comparison with a validation cohort: SYNTHETIC, 2 × 5-fold CV, a quick MLP (60 epochs)."""
    import omicsdl as od

    adata = od.blood.simulate_blood_cohort(rng=1)
    train = adata[adata.obs["cohort"] == "training"]
    valid = adata[adata.obs["cohort"] == "validation"]
    return od.blood.compare_blood_classifiers(
        train, validation=valid, n_repeats=2, mlp_params={"max_epochs": 60}, rng=0
    )
