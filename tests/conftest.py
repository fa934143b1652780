"""Shared test fixtures.

Real data live in ``../shared/data`` beside the repository (or where
``OMICSDL_SHARED_DATA`` points). Tests that need it take the ``shared_data``
fixture and are skipped, with the reason, when it is absent — a user's clone
has only the small fixtures committed under ``tests/_data``; CI has both.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs property tests on a fixed, reproducible set of examples (a red CI must be
# re-playable); locally they explore new examples on every run.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "_data"


def _shared_dir() -> Path:
    env = os.environ.get("OMICSDL_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real-data folder ``../shared/data``; skip the test when it is absent."""
    path = _shared_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"real data folder {path} is absent (set OMICSDL_SHARED_DATA or clone beside shared/)")
    return path


@pytest.fixture(scope="session")
def test_data() -> Path:
    """Small real fixtures committed under ``tests/_data``."""
    return TEST_DATA


@pytest.fixture(scope="session")
def _demo_cohort():
    import omicsdl as od

    return od.datasets.tcga_lihc_demo()


@pytest.fixture
def demo_cohort(_demo_cohort):
    """A fresh copy of the embedded TCGA-LIHC demo cohort (loaded once per session)."""
    return _demo_cohort.copy()


@pytest.fixture(autouse=True)
def _quiet_omicsdl():
    """Tests are quiet: warnings and errors only, no progress bars."""
    from omicsdl import settings

    before = settings.verbosity
    settings.verbosity = "warning"
    yield
    settings.verbosity = before
