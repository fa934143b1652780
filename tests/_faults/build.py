"""All faults of the corpus, and the fitted models the loader faults start from."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tests._faults.cli_faults import cli_faults
from tests._faults.corpus import (
    Fault,
    loader_faults,
    mrs_binary_faults,
    text_faults,
    text_targets,
    xml_faults,
)

if TYPE_CHECKING:
    from collections.abc import Callable

_SAVED: dict[str, Path] = {}
_OUTPUT: dict[str, np.ndarray] = {}


def _model_saver(name: str) -> Callable[[Path], Path]:
    def save(folder: Path) -> Path:
        if name not in _SAVED:
            from tests.test_estimator_contract import CASES

            case = CASES[name]
            est = case.make(0)
            case.fit(est)
            home = Path(tempfile.mkdtemp(prefix="omicsdl-faults-"))
            est.save(home / "model")
            _SAVED[name] = home / "model"
            _OUTPUT[name] = np.asarray(case.output(est))
        shutil.copytree(_SAVED[name], folder / "model")
        return folder / "model"

    return save


def _same_output(name: str) -> Callable[[object], None]:
    def check(model: object) -> None:
        from tests.test_estimator_contract import CASES

        got = np.asarray(CASES[name].output(model))
        assert got.shape == _OUTPUT[name].shape, "the loaded model computes something else"
        assert np.allclose(got, _OUTPUT[name], equal_nan=True), "the loaded model computes something else"

    return check


def all_faults() -> list[Fault]:
    """The whole corpus, in a stable order."""
    from tests.test_estimator_contract import CASES

    faults: list[Fault] = []
    for target in text_targets():
        faults += text_faults(target)
    faults += xml_faults()
    faults += mrs_binary_faults()
    names = sorted(CASES)
    faults += loader_faults({n: _model_saver(n) for n in names}, {n: _same_output(n) for n in names})
    faults += cli_faults()
    ids = [f.id for f in faults]
    assert len(ids) == len(set(ids)), "fault ids must be unique"
    return faults
