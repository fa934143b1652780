r"""One way to open text input: plain or gzip (by content), strict UTF-8, bounded size and line length.

Every reader that takes a user's file goes through :func:`read_text` (or
:func:`read_bytes` / :func:`text_stream`), so the everyday faults end in one
clear :class:`~omicsdl.InputError` naming the file (and the line where there
is one) and the fix — never a raw ``UnicodeDecodeError``, ``zlib.error``,
``EOFError``, ``IsADirectoryError`` or an allocation the size of a bad line:

* missing file, a folder instead of a file, an unreadable file;
* empty file (when ``allow_empty=False``);
* corrupt or truncated gzip (gzip is recognised by its magic bytes, not its name);
* more than ``max_bytes`` of (decompressed) content — bounds a decompression bomb;
* bytes that are not UTF-8 (the line number is given);
* a NUL byte (a binary file given as text);
* a line longer than ``max_line_chars`` bytes (the line number is given).

Newlines are normalised (``\r\n`` and a lone ``\r`` become ``\n``), so a stray
carriage return splits a line and the reader reports that line instead of crashing.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_LINE_CHARS",
    "check_rectangular",
    "parse_errors",
    "read_bytes",
    "read_text",
    "text_stream",
]

#: 4 GiB of (decompressed) content: far above any one omics file, far below what breaks a laptop
DEFAULT_MAX_BYTES = 4 * 2**30
#: 1 M characters: a GDC STAR line is < 200, a 450k-probe matrix row ~ 5 M — readers raise it when needed
DEFAULT_MAX_LINE_CHARS = 2**20

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


def read_bytes(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_empty: bool = False,
) -> bytes:
    """The content of ``path`` as bytes, gunzipped when it is gzip.

    Parameters
    ----------
    path
        The file.
    what
        The file in plain words, for error messages ("GDC miRNA file").
    max_bytes
        Refuse more than this many (decompressed) bytes.
    allow_empty
        Return ``b""`` for an empty file instead of raising.

    Raises
    ------
    InputError
        Missing, a folder, unreadable, empty, corrupt/truncated gzip, or too large.
    """
    p = Path(path)
    if not p.exists():
        msg = f"{what} not found"
        raise InputError(msg, source=p, fix="check the path")
    if p.is_dir():
        msg = f"is a folder, but a {what} was expected"
        raise InputError(msg, source=p, fix="pass the file itself, not its folder")
    try:
        with p.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            if head == _GZIP_MAGIC:
                data = _gunzip(handle, p, what=what, max_bytes=max_bytes)
            else:
                data = _read_plain(handle, max_bytes)
    except PermissionError as err:
        msg = f"cannot read this {what}: permission denied"
        raise InputError(msg, source=p, fix="check the file's permissions") from err
    except OSError as err:
        msg = f"cannot read this {what} ({err.strerror or err})"
        raise InputError(msg, source=p) from err
    if len(data) > max_bytes:
        msg = f"{what} holds more than {max_bytes:,} bytes"
        raise InputError(msg, source=p, fix="check that this is the right file (or split it)")
    if not data and not allow_empty:
        msg = f"{what} is empty"
        raise InputError(msg, source=p, fix="download or export it again")
    return data


def _read_plain(handle: io.BufferedReader, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, allocating only what the file holds (not ``max_bytes`` up front)."""
    size = os.fstat(handle.fileno()).st_size
    if size:  # a regular file: read what it holds (plus one byte, to notice growth past the limit)
        return handle.read(min(size, max_bytes) + 1)
    out = bytearray()  # a pipe or special file: no size known
    while len(out) <= max_bytes:
        block = handle.read(_CHUNK)
        if not block:
            break
        out += block
    return bytes(out)


def _gunzip(handle: io.BufferedReader, p: Path, *, what: str, max_bytes: int) -> bytes:
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=handle) as gz:
            while True:
                block = gz.read(_CHUNK)
                if not block:
                    break
                out += block
                if len(out) > max_bytes:
                    msg = f"{what} decompresses to more than {max_bytes:,} bytes"
                    raise InputError(msg, source=p, fix="check that this is the right file")
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        msg = f"{what} is a truncated or corrupt gzip file ({err})"
        raise InputError(msg, source=p, fix="download it again (and check its md5)") from err
    return bytes(out)


def read_text(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
    allow_empty: bool = False,
) -> str:
    r"""The content of ``path`` as text: gzip detected, strict UTF-8, newlines normalised.

    Parameters
    ----------
    path
        The file.
    what
        The file in plain words, for error messages.
    max_bytes
        Refuse more than this many (decompressed) bytes.
    max_line_chars
        Refuse a line longer than this (names the line).
    allow_empty
        Return ``""`` for an empty file instead of raising.

    Raises
    ------
    InputError
        Any fault of :func:`read_bytes`, bytes that are not UTF-8, a NUL byte,
        or an over-long line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.tsv"
    >>> _ = p.write_bytes(b"a\tb\r\n1\t2\r\n")
    >>> read_text(p, what="table")
    'a\tb\n1\t2\n'
    """
    data = read_bytes(path, what=what, max_bytes=max_bytes, allow_empty=allow_empty)
    p = Path(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte-order mark (Excel exports)
    _check_line_lengths(data, p, what=what, max_line_chars=max_line_chars)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        msg = f"{what} is not UTF-8 text (byte {data[err.start]:#04x} on this line)"
        raise InputError(
            msg,
            source=p,
            line=line,
            fix="save the file as UTF-8 (or check that it is a text file at all)",
        ) from err
    nul = text.find("\x00")
    if nul >= 0:
        msg = f"{what} contains a NUL byte: it is a binary file, not text"
        raise InputError(msg, source=p, line=text.count("\n", 0, nul) + 1, fix="pass the text file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _check_line_lengths(data: bytes, p: Path, *, what: str, max_line_chars: int) -> None:
    """Refuse a line longer than ``max_line_chars`` bytes (vectorised: fast on 10⁸-byte files)."""
    if len(data) <= max_line_chars:
        return
    import numpy as np

    buf = np.frombuffer(data, dtype=np.uint8)
    breaks = np.flatnonzero((buf == 10) | (buf == 13))
    edges = np.concatenate(([-1], breaks, [len(buf)]))
    lengths = np.diff(edges) - 1
    worst = int(np.argmax(lengths))
    if lengths[worst] > max_line_chars:
        line = int(np.count_nonzero(buf[: edges[worst] + 1] == 10)) + 1
        msg = f"a line of {what} is {int(lengths[worst]):,} bytes long (the limit is {max_line_chars:,})"
        raise InputError(msg, source=p, line=line, fix="check that this is the right file")


def text_stream(
    path: str | os.PathLike[str],
    *,
    what: str = "file",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line_chars: int = DEFAULT_MAX_LINE_CHARS,
    allow_empty: bool = False,
) -> io.StringIO:
    """:func:`read_text` as an in-memory text stream (e.g. for :func:`pandas.read_csv`).

    Parameters
    ----------
    path
        The file.
    what
        The file in plain words, for error messages.
    max_bytes
        Refuse more than this many (decompressed) bytes.
    max_line_chars
        Refuse a line longer than this.
    allow_empty
        Accept an empty file.
    """
    return io.StringIO(
        read_text(
            path, what=what, max_bytes=max_bytes, max_line_chars=max_line_chars, allow_empty=allow_empty
        )
    )


def check_rectangular(
    text: str, *, sep: str, source: str | os.PathLike[str], what: str = "table", skip: int = 0
) -> int:
    """Raise :class:`~omicsdl.InputError` unless every row of ``text`` has as many fields as its header.

    Blank lines are ignored; quoting follows :mod:`csv`. Returns the number of
    data rows (0 for a header-only table; callers that need rows refuse it).

    Parameters
    ----------
    text
        The table (from :func:`read_text`).
    sep
        The field separator.
    source
        The file, for the message.
    what
        The table in plain words.
    skip
        Leading lines before the header (comments).
    """
    lines = text.split("\n")
    width = None
    n_rows = 0
    try:
        for lineno, row in enumerate(csv.reader(lines[skip:], delimiter=sep), start=skip + 1):
            if not row or not any(cell.strip() for cell in row):
                continue
            if width is None:
                width = len(row)
                continue
            n_rows += 1
            if len(row) != width:
                msg = f"this row of the {what} has {len(row)} fields, the header has {width}"
                raise InputError(
                    msg, source=source, line=lineno, fix="repair the row (or check the separator)"
                )
    except csv.Error as err:
        msg = f"the {what} is not a {sep!r}-separated table ({err})"
        raise InputError(msg, source=source, fix="check the separator and quoting") from err
    if width is None:
        msg = f"the {what} has no header line"
        raise InputError(msg, source=source, fix="pass a table with a header row")
    return n_rows


@contextlib.contextmanager
def parse_errors(source: str | os.PathLike[str], *, what: str = "table") -> Iterator[None]:
    """Turn pandas' parse errors (empty data, bad rows) inside the block into one :class:`~omicsdl.InputError`."""
    import pandas as pd

    try:
        yield
    except pd.errors.EmptyDataError as err:
        msg = f"the {what} has no columns"
        raise InputError(msg, source=source, fix="pass a table with a header row") from err
    except (pd.errors.ParserError, csv.Error) as err:
        msg = f"the {what} cannot be parsed ({err})"
        raise InputError(msg, source=source, fix="check the separator and the damaged line") from err
