"""Typed result objects that own their files: ``result.write(folder)`` and ``Result.read(folder)``.

Each system's result class (``SubtypesEvaluation``, ``G2VecRun``,
``BloodComparison``, ``MRSEvaluation``) is the only place that knows its file
names, its JSON keys and its format version; report sections and the CLI take
the object, never raw keys.

Writing is staged: every file is first written into a hidden folder beside the
target, then moved in, with the *main file* (``metrics.json``) removed first and
moved in last. A folder whose main file is present is therefore always one
complete, consistent result; an interrupted re-run leaves no main file.
Files in the target that the result does not write are left alone.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["Results", "check_results_header", "results_header"]

logger = logging.getLogger(__name__)


def results_header(kind: str, version: int) -> dict[str, Any]:
    """The leading keys of a result's main JSON: ``format``, ``format_version``, ``omicsdl_version``."""
    from omicsdl._version import __version__

    return {"format": kind, "format_version": version, "omicsdl_version": __version__}


def check_results_header(meta: Mapping[str, Any], kind: str, version: int, *, source: Path) -> None:
    """Raise :class:`~omicsdl.InputError` unless ``meta`` is a ``kind`` result we can read.

    A main file without a ``format`` key is accepted (written before results
    carried a header); one naming another kind, or a newer version, is refused.

    Parameters
    ----------
    meta
        The main JSON of a results folder.
    kind
        The expected ``format`` (the result class's ``_kind``).
    version
        The newest ``format_version`` this omicsdl reads.
    source
        The main file, named in the error.
    """
    found_kind = meta.get("format")
    if found_kind is not None and found_kind != kind:
        msg = f"expected {kind} results, found {found_kind!r}"
        raise InputError(msg, source=source, fix="pass the folder that command wrote")
    found = meta.get("format_version")
    if found_kind is not None and (not isinstance(found, int) or found < 1 or found > version):
        msg = f"unknown results format_version {found!r} (this omicsdl reads up to {version})"
        raise InputError(msg, source=source, fix="upgrade omicsdl")


class Results:
    """Base of result objects: staged, all-or-nothing writing of one results folder.

    Subclasses set :attr:`_kind`, :attr:`_main_file` and implement
    :meth:`_write_files` (and a ``read`` classmethod).
    """

    _kind: ClassVar[str] = ""
    _format_version: ClassVar[int] = 1
    _main_file: ClassVar[str] = "metrics.json"

    def _write_files(self, directory: Path) -> None:
        """Write every file of the result into ``directory`` (an empty staging folder)."""
        raise NotImplementedError

    def write(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write the result into ``directory``; return file name → path of what was written.

        Raises
        ------
        InputError
            ``directory`` exists and is not a folder.
        """
        target = Path(directory)
        if target.exists() and not target.is_dir():
            msg = "exists and is not a folder"
            raise InputError(msg, source=target, fix="choose another --out folder")
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target))
        try:
            self._write_files(staging)
            names = sorted(
                str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file() or p.is_symlink()
            )
            main = self._main_file
            (target / main).unlink(missing_ok=True)
            written: dict[str, Path] = {}
            for name in [n for n in names if n != main] + ([main] if main in names else []):
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                if dest.is_dir() and not dest.is_symlink():
                    shutil.rmtree(dest)
                (staging / name).replace(dest)
                written[name] = dest
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        logger.info("wrote %d files of %s to %s", len(written), type(self).__name__, target)
        return written

    @classmethod
    def _read_main(cls, directory: str | os.PathLike[str]) -> tuple[Path, dict[str, Any]]:
        """``(folder, main JSON)`` of a results folder, with its header checked."""
        folder = Path(directory)
        if not folder.is_dir():
            msg = "is not a results folder"
            raise InputError(msg, source=folder, fix="pass the --out folder of the command that made it")
        path = folder / cls._main_file
        if not path.is_file():
            msg = f"no {cls._main_file}: not a complete {cls.__name__} results folder"
            raise InputError(msg, source=folder, fix="run the command again; an interrupted run leaves none")
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            msg = f"{cls._main_file} is not valid JSON ({err})"
            raise InputError(msg, source=path) from err
        if not isinstance(meta, dict):
            msg = f"{cls._main_file} is not a JSON object"
            raise InputError(msg, source=path)
        check_results_header(meta, cls._kind, cls._format_version, source=path)
        return folder, meta
