"""One version: omicsdl/_version.py, read by hatch into the package metadata."""

from __future__ import annotations

from importlib.metadata import version

import omicsdl
from omicsdl._version import __version__


def test_the_installed_metadata_carries_the_version_of_version_py():
    assert omicsdl.__version__ == __version__
    assert version("omicsdl") == __version__, "reinstall (`pip install -e .`) after changing _version.py"
