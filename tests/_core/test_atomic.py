from __future__ import annotations

import json
import math

import pytest

from omicsdl._core._atomic import atomic_dir, atomic_write, write_json


def test_interrupted_write_leaves_neither_partial_file_nor_temp(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("old complete content\n")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(target) as fh:
        fh.write("half of the new conte")
        raise RuntimeError("boom")
    assert target.read_text() == "old complete content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tsv"]


def test_write_json_refuses_nan_and_keeps_nothing(tmp_path):
    with pytest.raises(ValueError, match="Out of range float values"):
        write_json(tmp_path / "m.json", {"auc": math.nan})
    assert list(tmp_path.iterdir()) == []
    write_json(tmp_path / "m.json", {"auc": 0.5})
    assert json.loads((tmp_path / "m.json").read_text()) == {"auc": 0.5}


def test_atomic_dir_replaces_whole_directory(tmp_path):
    target = tmp_path / "model"
    with atomic_dir(target) as tmp:
        (tmp / "a.json").write_text("1")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "b.json").write_text("2")
        raise RuntimeError
    assert sorted(p.name for p in target.iterdir()) == ["a.json"]
    with atomic_dir(target) as tmp:
        (tmp / "c.json").write_text("3")
    assert sorted(p.name for p in target.iterdir()) == ["c.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
