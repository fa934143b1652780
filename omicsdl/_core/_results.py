"""Typed result objects that own their files: ``result.write(folder)`` and ``Result.read(folder)``.

Each system's result class (``SubtypesEvaluation``, ``G2VecRun``,
``BloodComparison``, ``MRSEvaluation``) is the only place that knows its file
names, its JSON keys and its format version; report sections and the CLI take
the object, never raw keys.

Writing is staged: every file is first written into a hidden folder, then a new
folder is renamed into place whole; into an existing folder the files are moved
in with the *main file* (``metrics.json``) removed first and moved in last. A
folder whose main file is present is therefore always one complete, consistent
result; an interrupted re-run leaves no main file. The stale files of an earlier
run (listed in the hidden manifest) are removed; files in the target that
omicsdl did not write are left alone, and never overwritten unless forced.
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

__all__ = ["MANIFEST_FILE", "Results", "check_results_header", "results_header"]

logger = logging.getLogger(__name__)

#: the hidden file listing what a result wrote into its folder (how a re-run knows its stale files)
MANIFEST_FILE = ".omicsdl-results.json"


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


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

    def write(self, directory: str | os.PathLike[str], *, force: bool | None = None) -> dict[str, Path]:
        """Write the result into ``directory``; return file name → path of what was written.

        A new folder is written whole beside its final name, then renamed. An
        existing folder keeps the files this result does not write, except the
        stale outputs of an earlier result of the same kind (listed in its
        :data:`MANIFEST_FILE`), which are removed, so the folder never mixes two
        runs. An existing entry that this result would overwrite and that omicsdl
        did not write (e.g. a user's ``metrics.json``) is refused.

        Parameters
        ----------
        directory
            The results folder.
        force
            Overwrite such entries too. ``None``: as
            :func:`omicsdl._core._outputs.forcing` says (the CLI's ``--force``).

        Raises
        ------
        InputError
            ``directory`` is a file or lies under one, or holds an entry this
            result would overwrite that omicsdl did not write (and ``force`` is off).
        """
        from omicsdl._core._outputs import check_output_parent, force_requested

        target = Path(directory)
        force = force_requested() if force is None else force
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            msg = "exists and is not a folder"
            raise InputError(msg, source=target, fix="choose another --out folder")
        if not target.exists():
            check_output_parent(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
            try:
                names = self._stage(staging)
                staging.replace(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            written = {name: target / name for name in names}
        else:
            written = self._write_into(target, force=force)
        logger.info("wrote %d files of %s to %s", len(written), type(self).__name__, target)
        return written

    def _stage(self, staging: Path) -> list[str]:
        """Write every file into ``staging`` plus the manifest; return the result's file names."""
        self._write_files(staging)
        names = sorted(
            str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file() or p.is_symlink()
        )
        manifest = {"format": self._kind, "files": names}
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        return names

    def _owned(self, target: Path, names: list[str]) -> tuple[set[str], set[str]]:
        """``(names omicsdl wrote in target, stale ones to remove)`` from the old manifest and main file."""
        try:
            old = json.loads((target / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        if isinstance(old, dict) and old.get("format") == self._kind and isinstance(old.get("files"), list):
            listed = {str(n) for n in old["files"]}
            return listed | {MANIFEST_FILE}, listed - set(names)
        try:
            meta = json.loads((target / self._main_file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = None
        if isinstance(meta, dict) and meta.get("format") == self._kind:
            return {*names, MANIFEST_FILE}, set()  # written before results carried a manifest
        return set(), set()

    def _write_into(self, target: Path, *, force: bool) -> dict[str, Path]:
        from omicsdl._core._outputs import refuse_overwrite

        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target))
        try:
            names = self._stage(staging)
            owned, stale = self._owned(target, names)
            for name in [*names, MANIFEST_FILE]:
                dest = target / name
                clash = dest.is_symlink() or (dest.exists() and (dest.is_dir() or name not in owned))
                if clash and not (force and not dest.is_dir()):
                    raise refuse_overwrite(dest, f"a file of {type(self).__name__}")
            main = self._main_file
            (target / main).unlink(missing_ok=True)
            written: dict[str, Path] = {}
            for name in [n for n in names if n != main] + [MANIFEST_FILE] + ([main] if main in names else []):
                dest = target / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                (staging / name).replace(dest)
                if name != MANIFEST_FILE:
                    written[name] = dest
            for name in sorted(stale):
                old = target / name
                if old.is_file() and not old.is_symlink():
                    old.unlink()
                    _remove_empty_parents(old.parent, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
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
