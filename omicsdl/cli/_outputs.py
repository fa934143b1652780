"""Output arguments of the commands: registered with what they write, checked before any work.

A command registers each output option with :func:`add_output` (a file with
the header that identifies it, a model folder of one class, or a results folder
of one kind); :func:`check_outputs`, called by :func:`omicsdl.cli.main` before
the command runs, refuses a path that cannot be written or that holds
something omicsdl did not write — so a bad ``--out`` fails in a second, not
after an hour of fitting — and :func:`add_output` adds ``--force`` once per
command to override the second kind of refusal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from omicsdl._core._outputs import check_output_file, check_output_parent, refuse_overwrite, starts_with

if TYPE_CHECKING:
    import argparse

__all__ = ["Output", "add_output", "check_outputs"]

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Output:
    """What an output option writes.

    Attributes
    ----------
    shape
        ``"file"``, ``"model"`` (a model folder) or ``"results"`` (a results folder).
    what
        The output in plain words, for messages ("a predictions table").
    header
        ``file``: the first bytes of such a file as omicsdl writes it (a magic
        number or the start of the header line); an existing file that starts
        otherwise is not replaced without ``--force``.
    format
        ``model``: the ``format`` of its ``model.json`` (``omicsdl.BloodPanelClassifier``);
        ``results``: the ``format`` of its main JSON (``omicsdl.BloodComparison``); a
        tuple when the option can write any of several (``subtypes fit --model-type``).
    main_file
        ``results``: the main file's name (relative to the folder).

    A ``results`` folder with a ``header`` is recognised by its main file
    holding those bytes (an HTML report, a workflow folder's config); such a
    folder, when not empty, is refused unless recognised.
    """

    shape: Literal["file", "model", "results"]
    what: str
    header: bytes | None = None
    format: str | tuple[str, ...] = ""
    main_file: str = "metrics.json"


def add_output(parser: argparse.ArgumentParser, *flags: str, output: Output, **kwargs: Any) -> None:
    """``parser.add_argument(*flags, **kwargs)`` for an output path, plus ``--force`` (once per parser)."""
    action = parser.add_argument(*flags, **kwargs)
    registered = parser.get_default("_outputs") or ()
    parser.set_defaults(_outputs=(*registered, (action.dest, output)))
    if not registered:
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace existing outputs even when omicsdl did not write them (other files are kept)",
        )


def check_outputs(args: argparse.Namespace) -> None:
    """Raise :class:`~omicsdl.InputError` for the first registered output of ``args`` that must be refused."""
    force = bool(getattr(args, "force", False))
    for dest, output in getattr(args, "_outputs", ()):
        value = getattr(args, dest, None)
        if value is None:
            continue
        path = Path(value)
        if output.shape == "file":
            if output.header == HDF5_MAGIC:
                recognise = _is_hdf5
            else:
                recognise = starts_with(output.header) if output.header else None
            check_output_file(path, recognise=recognise, what=output.what, force=force)
        else:
            _check_folder(path, output, force=force)


def _check_folder(path: Path, output: Output, *, force: bool) -> None:
    from omicsdl._core._errors import InputError

    if path.is_symlink() or (path.exists() and not path.is_dir()):
        msg = f"exists and is not a folder, but {output.what} is a folder"
        raise InputError(msg, source=path, fix="choose a new folder name")
    if not path.exists():
        check_output_parent(path)
        return
    if force or not any(path.iterdir()):
        return
    main = path / ("model.json" if output.shape == "model" else output.main_file)
    if output.shape == "results" and not main.exists() and output.header is None:
        return  # new files go in beside the user's; Results.write refuses any it would overwrite
    if output.header is not None:
        if not (main.is_file() and output.header in _head(main)):
            raise refuse_overwrite(path, output.what)
        return
    try:
        meta = json.loads(main.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    formats = (output.format,) if isinstance(output.format, str) else output.format
    if not (isinstance(meta, dict) and meta.get("format") in formats):
        raise refuse_overwrite(path if output.shape == "model" else main, output.what)


def _is_hdf5(path: Path) -> bool:
    """An HDF5 file: its signature at byte 0 or after a user block (512, 1024, ... bytes; ``.h5mu`` has one)."""
    head = _head(path)
    offsets = [0] + [512 << n for n in range(8)]
    return any(head[k : k + len(HDF5_MAGIC)] == HDF5_MAGIC for k in offsets)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(1 << 16)
