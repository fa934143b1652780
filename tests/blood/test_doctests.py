"""The docstring examples of ``omicsdl.blood`` run as tests (SYNTHETIC data, small settings)."""

from __future__ import annotations

import pytest

from tests._core._doctests import modules, run


@pytest.mark.parametrize("name", modules("omicsdl.blood"))
def test_docstring_examples(name):
    run(name)
