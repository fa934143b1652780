"""Outputs never cost a user's data (issue 13): regressions that failed on the main of 941fa33."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pytest

from omicsdl import InputError
from omicsdl._core._base import BaseEstimator
from omicsdl._core._outputs import check_output_file, forcing
from omicsdl._core._results import Results

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


class Tiny(BaseEstimator):
    """A fitted object with one array: enough to exercise save()."""

    _fitted_attr = "w_"

    def __init__(self, *, size: int = 3) -> None:
        self.size = size

    def fit(self) -> Tiny:
        self.w_ = np.arange(self.size, dtype=float)
        return self

    def _get_state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {"w": self.w_}, {}

    def _set_state(self, arrays: Mapping[str, np.ndarray], state: Mapping[str, Any], *, source: Path) -> None:
        self.w_ = np.asarray(arrays["w"])


class TinyResult(Results):
    """Writes metrics.json and, when ``plot``, a figure."""

    _kind: ClassVar[str] = "omicsdl.TinyResult"
    _main_file: ClassVar[str] = "metrics.json"

    def __init__(self, value: int, *, plot: bool) -> None:
        self.value, self.plot = value, plot

    def _write_files(self, directory: Path) -> None:
        (directory / "metrics.json").write_text(json.dumps({"format": self._kind, "value": self.value}))
        if self.plot:
            (directory / "roc.png").write_bytes(b"png")


def test_model_save_keeps_a_users_hidden_old_folder(tmp_path):
    Tiny().fit().save(tmp_path / "m")
    (tmp_path / ".m.old").mkdir()  # main deleted this fixed-name folder on every re-save
    (tmp_path / ".m.old" / "thesis.tex").write_text("mine")
    Tiny(size=4).fit().save(tmp_path / "m")
    assert (tmp_path / ".m.old" / "thesis.tex").read_text() == "mine"
    assert Tiny.load(tmp_path / "m").w_.shape == (4,)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".m.old", "m"]


def test_model_save_keeps_user_files_beside_the_model(tmp_path):
    Tiny().fit().save(tmp_path / "m")
    (tmp_path / "m" / "notes.txt").write_text("mine")
    Tiny().fit().save(tmp_path / "m")
    assert (tmp_path / "m" / "notes.txt").read_text() == "mine"


def test_model_save_refuses_a_user_folder_and_a_file_unless_forced(tmp_path):
    (tmp_path / "u").mkdir()
    (tmp_path / "u" / "data.csv").write_text("mine")
    with pytest.raises(InputError, match="refusing to overwrite"):
        Tiny().fit().save(tmp_path / "u")
    (tmp_path / "f").write_text("mine")
    with pytest.raises(InputError, match="not a folder"), forcing():
        Tiny().fit().save(tmp_path / "f")
    assert (tmp_path / "f").read_text() == "mine"
    with forcing():
        Tiny().fit().save(tmp_path / "u")
    assert (tmp_path / "u" / "data.csv").read_text() == "mine"
    assert Tiny.load(tmp_path / "u").is_fitted


def test_results_refuse_to_overwrite_a_users_file(tmp_path):
    (tmp_path / "metrics.json").write_text('{"mine": 1}')  # main overwrote it silently
    with pytest.raises(InputError, match="refusing to overwrite"):
        TinyResult(1, plot=False).write(tmp_path)
    assert (tmp_path / "metrics.json").read_text() == '{"mine": 1}'
    TinyResult(1, plot=False).write(tmp_path, force=True)
    assert json.loads((tmp_path / "metrics.json").read_text())["value"] == 1


def test_results_rewrite_drops_stale_files_of_the_previous_run(tmp_path):
    TinyResult(1, plot=True).write(tmp_path / "r")
    (tmp_path / "r" / "notes.txt").write_text("mine")
    TinyResult(2, plot=False).write(tmp_path / "r")  # main kept the old roc.png beside the new metrics
    names = sorted(p.name for p in (tmp_path / "r").iterdir())
    assert names == [".omicsdl-results.json", "metrics.json", "notes.txt"]


def test_results_new_folder_appears_whole_or_not_at_all(tmp_path):
    class Broken(TinyResult):
        def _write_files(self, directory: Path) -> None:
            (directory / "half.tsv").write_text("x")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Broken(1, plot=False).write(tmp_path / "r")
    assert list(tmp_path.iterdir()) == []


def test_output_file_checks(tmp_path):
    (tmp_path / "mine.tsv").write_text("my table")
    with pytest.raises(InputError, match="refusing to overwrite"):
        check_output_file(tmp_path / "mine.tsv", what="a table")
    check_output_file(tmp_path / "mine.tsv", recognise=lambda p: p.read_text().startswith("my"))
    check_output_file(tmp_path / "mine.tsv", force=True)
    with pytest.raises(InputError, match="is a folder"):
        check_output_file(tmp_path, force=True)
    with pytest.raises(InputError, match="is a file, not a folder"):
        check_output_file(tmp_path / "mine.tsv" / "x.tsv")
