"""Atomic file output: write to a temporary file beside the target, then rename.

An interrupted run never leaves a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["atomic_dir", "atomic_path", "atomic_write", "write_json", "write_text"]

logger = logging.getLogger(__name__)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    Use this for writers that want a file name (``AnnData.write_h5ad``,
    ``matplotlib.Figure.savefig``, ``safetensors.torch.save_file``).
    On an exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    if target.is_dir() and not target.is_symlink():
        msg = "is a folder, but a file is written here"
        raise InputError(msg, source=target, fix="give a file name (inside that folder, if you like)")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part" + target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.chmod(0o666 & ~_umask())
    try:
        yield tmp_path
        tmp_path.replace(target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: Literal["w", "wb"] = "w", *, encoding: str | None = "utf-8"
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; it replaces ``path`` only when the block succeeds.

    Parameters
    ----------
    path
        The final file.
    mode
        ``"w"`` (text) or ``"wb"`` (bytes).
    encoding
        Text encoding (ignored for ``"wb"``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from omicsdl._core._atomic import atomic_write
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> with atomic_write(path) as handle:
    ...     _ = handle.write("a,b")
    >>> path.read_text()
    'a,b'
    >>> import shutil; shutil.rmtree(path.parent)
    """
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with tmp.open(mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` atomically and return the path."""
    with atomic_write(path) as handle:
        handle.write(text)
    return Path(path)


def write_json(path: str | os.PathLike[str], obj: Any, *, indent: int = 2) -> Path:
    """Write ``obj`` as JSON atomically (NaN is refused: JSON has no NaN).

    Parameters
    ----------
    path
        The final file.
    obj
        Anything :func:`json.dumps` takes (no NaN or infinity).
    indent
        Spaces per indentation level.

    Returns
    -------
    ``path``.
    """
    return write_text(path, json.dumps(obj, indent=indent, allow_nan=False, sort_keys=False) + "\n")


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike[str], *, keep: Callable[[str], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary directory that replaces ``path`` as a whole on success.

    Used for model directories (safetensors + JSON): a reader never sees a
    directory with only some of its files. The old folder is moved to a
    unique hidden name first (never a fixed name that could be a user's), and
    is put back if the swap is interrupted.

    Parameters
    ----------
    path
        The folder to write; callers check beforehand that replacing an
        existing one is allowed (:meth:`BaseEstimator.save` does).
    keep
        Entry names of the old folder to carry over into the new one when the
        new one has no entry of that name (a user's notes beside a model).
        ``None``: carry over nothing.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    tmp.chmod(0o777 & ~_umask())
    old: Path | None = None
    try:
        yield tmp
        if target.is_dir() and not target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            target.replace(old)  # onto the empty placeholder: POSIX rename replaces an empty folder
            tmp.replace(target)
            for entry in sorted(old.iterdir()) if keep is not None else []:
                if keep(entry.name) and not (target / entry.name).exists():
                    entry.replace(target / entry.name)
            shutil.rmtree(old)
            old = None
        else:
            tmp.replace(target)
    finally:
        if old is not None and old.exists():
            if not target.exists():
                old.replace(target)  # interrupted mid-swap: the old folder is back, untouched
            else:
                logger.warning("the previous contents of %s are kept in %s", target, old)
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
