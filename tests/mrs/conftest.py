from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spin_file(test_data):
    return test_data / "mrs" / "VeSPA_metabolites.json"


@pytest.fixture(scope="session")
def small_basis(spin_file):
    """A fast basis: four metabolites and the five lipid resonances, 512 points."""
    from omicsdl.mrs import make_liver_basis

    return make_liver_basis(
        spin_systems=spin_file, metabolites=["Cho", "Cr", "Lac", "Glu"], n_points=512, dwell_s=5e-4
    )


@pytest.fixture(scope="session")
def evaluation(small_basis):
    """A tiny SIMULATED evaluation (metrics meaningless at this size; shapes, files and bookkeeping)."""
    import torch

    from omicsdl.mrs import evaluate_mrs

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return evaluate_mrs(
            basis=small_basis,
            n_test=4,
            qcnn_max_steps=3,
            ccnn_max_steps=3,
            batch_size=8,
            n_pilot=3,
            n_test_patients=(2, 3),
            n_cohorts=6,
            n_studies=2,
            n_boot=200,
            rng=0,
        )
    finally:
        torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def _one_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
