"""The docstring examples of ``omicsdl.metrics`` run as tests."""

from __future__ import annotations

import pytest

from tests._core._doctests import modules, run


@pytest.mark.parametrize("name", modules("omicsdl.metrics"))
def test_docstring_examples(name):
    run(name)
