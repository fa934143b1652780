"""CLI regressions of issue 13: a user's folder is never lost, a crafted pickle never runs, OS errors are one message."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

from omicsdl.cli import main

WIDE = str(Path(__file__).resolve().parents[1] / "_data" / "blood" / "SYNTHETIC_panel_wide.csv")


def test_blood_fit_never_deletes_a_user_folder(tmp_path, capsys):
    user = tmp_path / "userdir"
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    assert main(["-q", "blood", "fit", "--train", WIDE, "--label-key", "group", "--out", str(user)]) == 2
    err = capsys.readouterr().err
    assert "userdir" in err and "--force" in err and "Traceback" not in err
    assert (user / "notes.txt").read_text() == "mine"


def test_predictions_never_overwrite_a_users_file(tmp_path, capsys):
    model = tmp_path / "m"
    assert main(["-q", "blood", "fit", "--train", WIDE, "--label-key", "group", "--out", str(model)]) == 0
    mine = tmp_path / "results.tsv"
    mine.write_text("my own results\n")
    argv = ["-q", "blood", "predict", "--model", str(model), "--input", WIDE, "--out", str(mine)]
    assert main(argv) == 2
    assert mine.read_text() == "my own results\n"
    assert main([*argv, "--force"]) == 0
    assert mine.read_text().startswith("sample\t")
    assert main(argv) == 0  # now an omicsdl predictions table: replaced without --force


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "code ran"))


def test_report_never_unpickles_vectors_kv(tmp_path, capsys):
    marker = tmp_path / "PWNED"
    folder = tmp_path / "g2vec"
    folder.mkdir()
    (folder / "vectors.kv").write_bytes(pickle.dumps(_Evil(marker)))
    (folder / "modules.tsv").write_text("module\tgene\tdegree\n1\tG1\t2\n1\tG2\t2\n")
    (folder / "summary.json").write_text(json.dumps({"format": "omicsdl.G2VecRun", "format_version": 1}))
    status = main(["-q", "report", "--g2vec", str(folder), "--out", str(tmp_path / "r")])
    assert not marker.exists(), "the crafted pickle ran"
    assert status in (0, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_no_module_loads_pickles():
    import re

    root = Path(__file__).resolve().parents[2] / "omicsdl"
    pattern = re.compile(r"KeyedVectors\.load\(|pickle\.load|joblib\.load|torch\.load\(|allow_pickle=True")
    hits = [
        f"{p.relative_to(root)}:{n}"
        for p in root.rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


def test_os_error_on_a_users_path_is_one_message(tmp_path, capsys):
    assert main(["-q", "mrs", "simulate", "--n", "1", "--points", "64", "--out", "/proc/self/x.npz"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "/proc/self" in err
