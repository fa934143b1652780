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


@pytest.fixture(autouse=True)
def _one_thread():
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
