"""Output paths that never cost a user's data: checks before any work, and the ``--force`` switch.

The rule, for every file and folder omicsdl writes:

* a path that does not exist is written whole, then renamed into place;
* an existing output *of the same kind that omicsdl wrote* (recognised by its
  format header: a model's ``model.json``, a result's main JSON, a table's
  header line, a file's magic bytes) is replaced;
* anything else is refused with one :class:`~omicsdl.InputError` naming the
  path — unless the caller forces it (CLI ``--force``, library
  :func:`forcing`), which replaces only the entries omicsdl writes and keeps
  every other file;
* a folder where a file is expected (or a file where a folder is expected), a
  path under a file and a folder without write permission are refused even
  when forced, before any computation starts.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "check_output_file",
    "check_output_parent",
    "force_requested",
    "forcing",
    "refuse_overwrite",
    "starts_with",
]

_FORCE: contextvars.ContextVar[bool] = contextvars.ContextVar("omicsdl_force", default=False)

_FORCE_FIX = "choose another path, or pass --force (library: omicsdl._core.forcing()) to replace it"


@contextlib.contextmanager
def forcing(flag: bool = True) -> Iterator[None]:  # noqa: FBT001, FBT002 - one switch, said positionally
    """Within the block, outputs that omicsdl did not write may be replaced (the CLI's ``--force``).

    Examples
    --------
    >>> from omicsdl._core._outputs import force_requested, forcing
    >>> with forcing():
    ...     force_requested()
    True
    >>> force_requested()
    False
    """
    token = _FORCE.set(bool(flag))
    try:
        yield
    finally:
        _FORCE.reset(token)


def force_requested() -> bool:
    """Whether the caller asked to replace outputs that omicsdl did not write (see :func:`forcing`)."""
    return _FORCE.get()


def refuse_overwrite(path: Path, what: str) -> InputError:
    """The one error for an existing path that is not an omicsdl output of the expected kind."""
    msg = f"exists and is not {what} that omicsdl wrote; refusing to overwrite it"
    return InputError(msg, source=path, fix=_FORCE_FIX)


def check_output_parent(path: str | os.PathLike[str]) -> None:
    """Raise :class:`~omicsdl.InputError` unless ``path`` can be created where it is.

    The nearest existing ancestor must be a folder (not a file) that this
    process may write into; nothing is created.
    """
    target = Path(path)
    if len(target.name.encode()) > 255:
        msg = "the file name is longer than 255 bytes"
        raise InputError(msg, source=target, fix="choose a shorter name")
    parent = target.parent if str(target.parent) else Path()
    probe = parent
    while not probe.exists() and not probe.is_symlink() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        msg = f"cannot be created: {probe} is a file, not a folder"
        raise InputError(msg, source=target, fix="choose a path inside a folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        msg = f"cannot be written: no permission to write into {probe}"
        raise InputError(msg, source=target, fix="choose a folder you may write into")


def check_output_file(
    path: str | os.PathLike[str],
    *,
    recognise: Callable[[Path], bool] | None = None,
    what: str = "a file",
    force: bool | None = None,
) -> None:
    """Raise :class:`~omicsdl.InputError` unless ``path`` may be written as an output file.

    Parameters
    ----------
    path
        The output file.
    recognise
        Tells whether an existing file is an output of this kind that omicsdl
        wrote (and may be replaced); ``None``: no existing file is.
    what
        The output in plain words ("a predictions table"), for the message.
    force
        Replace an existing file that is not recognised; ``None``: :func:`force_requested`.
    """
    target = Path(path)
    force = force_requested() if force is None else force
    if target.is_dir():
        msg = f"is a folder, but {what} is written here"
        raise InputError(msg, source=target, fix="give a file name (inside that folder, if you like)")
    if target.exists() or target.is_symlink():
        if target.is_symlink() and not force:
            raise refuse_overwrite(target, what)
        if not force and not (recognise is not None and _safe(recognise, target)):
            raise refuse_overwrite(target, what)
        return
    check_output_parent(target)


def _safe(recognise: Callable[[Path], bool], path: Path) -> bool:
    try:
        return bool(recognise(path))
    except (OSError, ValueError):
        return False


def starts_with(prefix: bytes) -> Callable[[Path], bool]:
    """A recogniser: the existing file begins with ``prefix`` (a magic number or a header line)."""

    def recognise(path: Path) -> bool:
        with path.open("rb") as handle:
            return handle.read(len(prefix)) == prefix

    return recognise
