"""CLI faults: missing and bad inputs, outputs that must be refused, existing outputs, interrupts."""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from tests._faults.corpus import DATA, PNG, Fault, run_cli

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

WIDE = str(DATA / "blood" / "SYNTHETIC_panel_wide.csv")
_BLOOD_MODEL: list[Path] = []


def blood_model(folder: Path) -> Path:
    """A small fitted blood-panel model (fitted once, copied into ``folder``)."""
    if not _BLOOD_MODEL or not _BLOOD_MODEL[0].exists():
        import tempfile

        home = Path(tempfile.mkdtemp(prefix="omicsdl-faults-"))
        status = run_cli(
            ["-q", "blood", "fit", "--train", WIDE, "--label-key", "group", "--out", str(home / "m")], "ok"
        )
        assert status.status == 0, status.stderr
        _BLOOD_MODEL[:] = [home / "m"]
    if not (folder / "model").exists():
        shutil.copytree(_BLOOD_MODEL[0], folder / "model")
    return folder / "model"


@contextlib.contextmanager
def interrupt_at_rename(n: int = 1) -> Iterator[None]:
    """Raise KeyboardInterrupt at the ``n``-th ``Path.replace`` (the rename that publishes an output)."""
    original = Path.replace
    calls = [0]

    def replace(self: Path, target: Any) -> Path:
        calls[0] += 1
        if calls[0] == n:
            raise KeyboardInterrupt
        return original(self, target)

    with mock.patch.object(Path, "replace", replace):
        yield


# name -> (argv builder(folder, out) , output shape "file"/"dir", valid-run builder or None)
def _commands() -> dict[str, tuple[Callable[[Path, str], list[str]], str]]:
    def blood_fit(f: Path, out: str) -> list[str]:
        return ["blood", "fit", "--train", WIDE, "--label-key", "group", "--out", out]

    def blood_eval(f: Path, out: str) -> list[str]:
        return ["blood", "evaluate", "--train", WIDE, "--label-key", "group", "--folds", "2", "--repeats", "1",
                "--methods", "logistic", "--no-plot", "--out", out]  # fmt: skip

    def blood_predict(f: Path, out: str) -> list[str]:
        return ["blood", "predict", "--model", str(blood_model(f)), "--input", WIDE, "--out", out]

    def mrs_sim(f: Path, out: str) -> list[str]:
        return ["mrs", "simulate", "--n", "2", "--points", "128", "--out", out]

    return {
        "blood fit": (blood_fit, "dir"),
        "blood evaluate": (blood_eval, "dir"),
        "blood predict": (blood_predict, "file"),
        "mrs simulate": (mrs_sim, "file"),
        "subtypes fit": (lambda f, out: ["subtypes", "fit", "demo", "--model", out], "dir"),
        "subtypes fit --annotated": (lambda f, out: ["subtypes", "fit", "demo", "--model", str(f / "m"), "--annotated", out], "file"),
        "subtypes fit --tables": (lambda f, out: ["subtypes", "fit", "demo", "--model", str(f / "m"), "--tables", out], "dir"),
        "subtypes predict": (lambda f, out: ["subtypes", "predict", "demo", "--model", str(f / "nomodel"), "--out", out], "file"),
        "subtypes evaluate": (lambda f, out: ["subtypes", "evaluate", "demo", "--out", out], "dir"),
        "g2vec run": (lambda f, out: ["g2vec", "run", "demo", "--out", out], "dir"),
        "mrs fit": (lambda f, out: ["mrs", "fit", str(f / "none.npz"), "--out", out], "file"),
        "mrs fit --figure": (lambda f, out: ["mrs", "fit", str(f / "none.npz"), "--out", str(f / "t.tsv"), "--figure", out], "file"),
        "mrs quantify": (lambda f, out: ["mrs", "quantify", str(f / "none.npz"), "--model", str(f / "m"), "--out", out], "file"),
        "mrs classify": (lambda f, out: ["mrs", "classify", str(f / "none.npz"), "--model", str(f / "m"), "--out", out], "file"),
        "mrs evaluate": (lambda f, out: ["mrs", "evaluate", "--out", out], "dir"),
        "report": (lambda f, out: ["report", "--cohort", "demo", "--out", out], "dir"),
        "ingest": (lambda f, out: ["ingest", "--rna", str(f / "rna.tsv"), "--clinical", str(f / "c.tsv"), "--out", out], "file"),
        "ingest --report": (lambda f, out: ["ingest", "--rna", str(f / "rna.tsv"), "--clinical", str(f / "c.tsv"), "--out", str(f / "c.h5mu"), "--report", out], "file"),
        "demo": (lambda f, out: ["demo", "--out", out], "dir"),
    }  # fmt: skip


def _output_faults() -> list[Fault]:
    faults = []
    for name, (argv, shape) in _commands().items():

        def user_entry(f: Path, argv=argv, shape=shape) -> Any:
            out = f / "out"
            if shape == "dir":
                out.mkdir()
                (out / "metrics.json").write_text('{"mine": 1}')
                (out / "summary.json").write_text('{"mine": 1}')
                (out / "model.json").write_text('{"mine": 1}')
                (out / "index.html").write_text("<p>my page</p>")
                (out / "config").mkdir()
                (out / "config" / "mine.yaml").write_text("mine: 1")
            else:
                out.write_bytes(b"my own notes\n")
            return run_cli(["-q", *argv(f, str(out))], "error", _unchanged(out))

        def wrong_shape(f: Path, argv=argv, shape=shape) -> Any:
            out = f / "out"
            if shape == "dir":
                out.write_text("my file")
            else:
                out.mkdir()
                (out / "notes.txt").write_text("mine")
            return run_cli(["-q", *argv(f, str(out))], "error", _unchanged(out))

        def under_file(f: Path, argv=argv) -> Any:
            (f / "afile").write_text("x")
            return run_cli(["-q", *argv(f, str(f / "afile" / "out"))], "error")

        def too_long(f: Path, argv=argv) -> Any:
            return run_cli(["-q", *argv(f, str(f / ("x" * 300)))], "error")

        def unwritable(f: Path, argv=argv) -> Any:
            return run_cli(["-q", *argv(f, "/proc/self/omicsdl-out")], "error")

        def symlink(f: Path, argv=argv) -> Any:
            (f / "elsewhere").write_text("keep me")
            (f / "out").symlink_to(f / "elsewhere")
            return run_cli(
                ["-q", *argv(f, str(f / "out"))],
                "error",
                lambda: _assert((f / "elsewhere").read_text() == "keep me", "symlink target changed"),
            )

        for kind, run in (
            ("out_holds_user_files", user_entry),
            ("out_wrong_shape", wrong_shape),
            ("out_under_a_file", under_file),
            ("out_name_too_long", too_long),
            ("out_unwritable", unwritable),
            ("out_symlink", symlink),
        ):
            faults.append(Fault(f"cli:{name}", kind, run))
    return faults


def _assert(cond: bool, msg: str) -> None:
    assert cond, msg


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return {}


def _unchanged(path: Path) -> Callable[[], None]:
    before = _snapshot(path)

    def verify() -> None:
        assert _snapshot(path) == before, f"{path} was changed"

    return verify


def _fast_faults() -> list[Fault]:
    """Commands that run in seconds: existing outputs of the same kind, forced ones, interrupts."""
    fast = {
        k: v
        for k, v in _commands().items()
        if k in ("blood fit", "blood evaluate", "blood predict", "mrs simulate")
    }
    faults = []
    for name, (argv, shape) in fast.items():

        def new(f: Path, argv=argv) -> Any:
            out = f / "a" / "b" / "out"
            return run_cli(["-q", *argv(f, str(out))], "ok", lambda: _assert(out.exists(), "no output"))

        def rerun(f: Path, argv=argv) -> Any:
            out = f / "out"
            first = run_cli(["-q", *argv(f, str(out))], "ok")
            assert first.status == 0, first.stderr
            return run_cli(["-q", *argv(f, str(out))], "ok", lambda: _assert(out.exists(), "no output"))

        def forced(f: Path, argv=argv, shape=shape) -> Any:
            out = f / "out"
            if shape == "dir":
                out.mkdir()
                (out / "notes.txt").write_text("mine")
            else:
                out.write_text("mine")

            def verify() -> None:
                if shape == "dir":
                    assert (out / "notes.txt").read_text() == "mine", "forced write lost a user file"
                else:
                    assert out.read_bytes() != b"mine", "not replaced"

            return run_cli(["-q", *argv(f, str(out)), "--force"], "ok", verify)

        def interrupted(f: Path, argv=argv) -> Any:
            out = f / "out"
            with interrupt_at_rename(1):
                got = run_cli(["-q", *argv(f, str(out))], "interrupt")
            got.verify = lambda: _assert(
                not out.exists() and not list(f.glob(".out*")), "partial output left"
            )
            return got

        def interrupted_rerun(f: Path, argv=argv, shape=shape) -> Any:
            out = f / "out"
            first = run_cli(["-q", *argv(f, str(out))], "ok")
            assert first.status == 0, first.stderr
            before = _snapshot(out)
            with interrupt_at_rename(2 if shape == "dir" else 1):
                got = run_cli(["-q", *argv(f, str(out))], "interrupt")

            def verify() -> None:
                now = _snapshot(out)
                complete = now == before or not any(k in now for k in ("metrics.json", "model.json"))
                assert complete, "an interrupted re-run left a complete-looking mixed folder"
                assert not [p for p in f.rglob("*.part*")], "temporary files left"

            got.verify = verify
            return got

        for kind, run in (
            ("out_new_nested", new),
            ("out_existing_same_kind", rerun),
            ("out_forced", forced),
            ("interrupt", interrupted),
            ("interrupt_rerun", interrupted_rerun),
        ):
            faults.append(Fault(f"cli:{name}", kind, run))
    return faults


def _input_faults() -> list[Fault]:
    def bad(kind: str, f: Path) -> Path:
        path = f / {"missing": "absent.h5mu"}.get(kind, "in.h5mu")
        if kind == "directory":
            path.mkdir()
        elif kind == "empty":
            path.write_bytes(b"")
        elif kind == "garbage":
            path.write_bytes(PNG * 4)
        elif kind == "truncated_hdf5":
            path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
        elif kind == "text":
            path.write_text("patient,os_days\nA,1\n")
        return path

    commands: dict[str, Callable[[Path, Path], list[str]]] = {
        "info": lambda f, p: ["info", str(p)],
        "subtypes fit": lambda f, p: ["subtypes", "fit", str(p), "--model", str(f / "m")],
        "subtypes predict": lambda f, p: ["subtypes", "predict", str(p), "--model", str(f / "m"), "--out", str(f / "o.tsv")],
        "subtypes evaluate": lambda f, p: ["subtypes", "evaluate", str(p), "--out", str(f / "o")],
        "report --cohort": lambda f, p: ["report", "--cohort", str(p), "--out", str(f / "r")],
        "blood fit --train": lambda f, p: ["blood", "fit", "--train", str(p), "--out", str(f / "m")],
        "blood evaluate --train": lambda f, p: ["blood", "evaluate", "--train", str(p), "--out", str(f / "m")],
        "blood predict --input": lambda f, p: ["blood", "predict", "--model", str(blood_model(f)), "--input", str(p), "--out", str(f / "o.tsv")],
        "blood predict --model": lambda f, p: ["blood", "predict", "--model", str(p), "--input", WIDE, "--out", str(f / "o.tsv")],
        "g2vec run --expression": lambda f, p: ["g2vec", "run", "--expression", str(p), "--network", str(p), "--out", str(f / "g")],
        "mrs fit": lambda f, p: ["mrs", "fit", str(p).replace(".h5mu", ".npz"), "--out", str(f / "t.tsv")],
        "mrs quantify --model": lambda f, p: ["mrs", "quantify", str(DATA / "mrs" / "vespa_lines_subset.json"), "--model", str(p), "--out", str(f / "t.tsv")],
        "mrs classify --model": lambda f, p: ["mrs", "classify", str(DATA / "mrs" / "vespa_lines_subset.json"), "--model", str(p), "--out", str(f / "t.tsv")],
        "report --subtypes": lambda f, p: ["report", "--subtypes", str(p), "--out", str(f / "r")],
        "report --g2vec": lambda f, p: ["report", "--g2vec", str(p), "--out", str(f / "r")],
        "report --blood": lambda f, p: ["report", "--blood", str(p), "--out", str(f / "r")],
        "report --mrs": lambda f, p: ["report", "--mrs", str(p), "--out", str(f / "r")],
        "ingest --rna": lambda f, p: ["ingest", "--rna", str(p), "--clinical", str(p), "--out", str(f / "c.h5mu")],
        "fetch --manifest": lambda f, p: ["fetch", "--manifest", str(p), "--out", str(f / "dl")],
    }  # fmt: skip
    faults = []
    for name, argv in commands.items():
        for kind in ("missing", "directory", "empty", "garbage", "truncated_hdf5", "text"):

            def run(f: Path, argv=argv, kind=kind) -> Any:
                return run_cli(["-q", *argv(f, bad(kind, f))], "error")

            faults.append(Fault(f"cli:{name}", f"input_{kind}", run))
    return faults


def _g2vec_pickle_fault() -> Fault:
    """Security hole 1: a results folder with a crafted ``vectors.kv`` pickle must never be loaded."""

    def run(f: Path) -> Any:
        import pickle

        marker = f / "PWNED"

        class Evil:
            def __reduce__(self) -> tuple[Any, ...]:
                return (Path.write_text, (marker, "code ran"))

        folder = f / "g2vec"
        folder.mkdir()
        (folder / "vectors.kv").write_bytes(pickle.dumps(Evil()))
        (folder / "modules.tsv").write_text("module\tgene\tdegree\n1\tG1\t2\n1\tG2\t2\n")
        (folder / "summary.json").write_text(json.dumps({"format": "omicsdl.G2VecRun", "format_version": 1}))
        got = run_cli(["-q", "report", "--g2vec", str(folder), "--out", str(f / "r")], "error")
        got.verify = None
        if marker.exists():
            got.status, got.stderr = 0, "the crafted pickle ran code"
            got.want = "error"
        elif got.status == 0:
            got.want = "ok"
        return got

    return Fault("cli:report --g2vec", "crafted_pickle", run)


def cli_faults() -> list[Fault]:
    """Every CLI fault of the corpus."""
    return [*_output_faults(), *_fast_faults(), *_input_faults(), _g2vec_pickle_fault()]
