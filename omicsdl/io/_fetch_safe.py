"""The download folder, opened so that no symlink is ever followed inside it.

:func:`omicsdl.io.fetch_gdc` writes ``<out>/<id>/<name>.part`` and renames it to
``<out>/<id>/<name>``. A pre-placed symlink at any of these three names could
make it write, append to or rename over a file outside ``out``. Every
operation here therefore goes through file descriptors: ``out`` is opened once,
``<id>`` is opened relative to it with ``O_NOFOLLOW | O_DIRECTORY``, files are
opened relative to that with ``O_NOFOLLOW``, stat calls never follow links, and
the final rename uses the folder descriptors. A symlink (or anything that is not
a plain file or folder) at one of these names is refused with an
:class:`~omicsdl.InputError` that names it.

On a platform without ``dir_fd`` support (Windows), each name is checked with
``lstat`` just before it is used instead (a narrow race remains there).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from omicsdl._core._errors import InputError

__all__ = ["SafeFolder", "refuse_symlink"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_HAS_DIR_FD = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and bool(_NOFOLLOW)


def _symlink_error(path: Path) -> InputError:
    return InputError(
        "is a symbolic link; omicsdl fetch never follows links inside its output folder",
        source=path,
        fix="remove the link (it may point outside the folder) and run again",
    )


def refuse_symlink(path: str | os.PathLike[str]) -> None:
    """Raise :class:`~omicsdl.InputError` when ``path`` is a symbolic link (absent is fine)."""
    p = Path(path)
    if p.is_symlink():
        raise _symlink_error(p)


@dataclass
class SafeFolder:
    """One ``<out>/<id>`` folder of a download, accessed without following links.

    Parameters
    ----------
    root
        The output folder (it may itself be a link the user chose; nothing below it may).
    name
        The sub-folder (a GDC file id, already checked to be a plain name).
    """

    root: Path
    name: str
    _root_fd: int | None = field(default=None, init=False, repr=False)
    _fd: int | None = field(default=None, init=False, repr=False)
    created: bool = field(default=False, init=False)

    @property
    def path(self) -> Path:
        """``root / name``."""
        return self.root / self.name

    # -- opening -------------------------------------------------------------------------------
    def __enter__(self) -> SafeFolder:
        if _HAS_DIR_FD:
            self._root_fd = os.open(self.root, os.O_RDONLY | _DIRECTORY)
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in (self._fd, self._root_fd):
            if fd is not None:
                os.close(fd)
        self._fd = self._root_fd = None

    def _open_dir(self, *, create: bool) -> bool:
        """Open ``<root>/<name>`` (creating it with ``create``); ``False`` when absent."""
        if self._fd is not None or (not _HAS_DIR_FD and self.path.is_dir() and not self.path.is_symlink()):
            return True
        kind = self._kind(None)
        if kind == "absent":
            if not create:
                return False
            try:
                if _HAS_DIR_FD:
                    os.mkdir(self.name, dir_fd=self._root_fd)
                else:
                    self.path.mkdir()
                self.created = True
            except FileExistsError:
                pass
            kind = self._kind(None)
        if kind == "link":
            raise _symlink_error(self.path)
        if kind != "dir":
            raise InputError(
                "is in the way: a folder named after this file id was expected",
                source=self.path,
                fix="move it away and run again",
            )
        if _HAS_DIR_FD:
            try:
                self._fd = os.open(self.name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=self._root_fd)
            except OSError as err:
                if err.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise _symlink_error(self.path) from err
                raise
        return True

    def _kind(self, filename: str | None) -> str:
        """``absent``, ``link``, ``file``, ``dir`` or ``other`` for the folder or a file in it."""
        try:
            if _HAS_DIR_FD:
                if filename is None:
                    info = os.stat(self.name, dir_fd=self._root_fd, follow_symlinks=False)
                else:
                    info = os.stat(filename, dir_fd=self._fd, follow_symlinks=False)
            else:
                info = (self.path if filename is None else self.path / filename).lstat()
        except FileNotFoundError:
            return "absent"
        if stat.S_ISLNK(info.st_mode):
            return "link"
        if stat.S_ISREG(info.st_mode):
            return "file"
        return "dir" if stat.S_ISDIR(info.st_mode) else "other"

    # -- files -----------------------------------------------------------------------------------
    def size(self, filename: str) -> int | None:
        """Size of the plain file ``filename`` in the folder; ``None`` when absent.

        Raises
        ------
        InputError
            A symlink, a folder or anything else that is not a plain file.
        """
        if not self._open_dir(create=False):
            return None
        kind = self._kind(filename)
        if kind == "absent":
            return None
        if kind == "link":
            raise _symlink_error(self.path / filename)
        if kind != "file":
            raise InputError(
                "is in the way: a plain file was expected here",
                source=self.path / filename,
                fix="move it away and run again",
            )
        if _HAS_DIR_FD:
            return os.stat(filename, dir_fd=self._fd, follow_symlinks=False).st_size
        return (self.path / filename).lstat().st_size

    def open(self, filename: str, mode: str) -> int:
        """A file descriptor of ``filename``: ``"rb"`` read, ``"wb"`` truncate, ``"ab"`` append.

        Writing creates the folder when needed. Links are refused (``O_NOFOLLOW``).
        """
        if mode == "rb":
            flags = os.O_RDONLY
        elif mode == "wb":
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        elif mode == "ab":
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        else:  # pragma: no cover - internal use only
            msg = f"mode {mode!r}"
            raise ValueError(msg)
        self._open_dir(create=mode != "rb")
        self.size(filename)  # refuses a link or a non-file with a clear message
        try:
            if _HAS_DIR_FD:
                return os.open(filename, flags | _NOFOLLOW, 0o666, dir_fd=self._fd)
            return os.open(self.path / filename, flags | _NOFOLLOW, 0o666)
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise _symlink_error(self.path / filename) from err
            raise

    def unlink(self, filename: str) -> None:
        """Remove the plain file ``filename`` (a link would be refused, never followed)."""
        if self.size(filename) is None:
            return
        if _HAS_DIR_FD:
            os.unlink(filename, dir_fd=self._fd)
        else:
            (self.path / filename).unlink()

    def rename(self, source: str, target: str) -> None:
        """Rename ``source`` to ``target`` inside the folder (``target`` must not be a link)."""
        self.size(source)
        self.size(target)
        if _HAS_DIR_FD:
            os.replace(source, target, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        else:
            (self.path / source).replace(self.path / target)

    def remove_if_empty(self) -> None:
        """Remove the folder when this object created it and it is still empty."""
        if not self.created:
            return
        try:
            if _HAS_DIR_FD:
                if self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
                os.rmdir(self.name, dir_fd=self._root_fd)
            else:
                self.path.rmdir()
        except OSError:  # not empty (a resumable .part) or already gone: keep it
            return
        self.created = False
