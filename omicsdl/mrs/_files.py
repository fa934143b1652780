"""Whole-file reads for the MRS readers (through ``omicsdl.io``'s one text opener) and the TSV writer."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from omicsdl._core._atomic import write_text
from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Sequence
    from pathlib import Path

__all__ = ["read_bytes", "read_json", "read_text", "write_tsv"]


def read_text(path: Path, what: str) -> str:
    """The text of ``path`` (gzip by content, strict UTF-8, bounded); :class:`InputError` naming ``what``."""
    from omicsdl.io._text import read_text as _read_text

    return _read_text(path, what=what)


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of ``path`` (gzip by content, bounded); :class:`InputError` naming ``what`` if unreadable."""
    from omicsdl.io._text import read_bytes as _read_bytes

    return _read_bytes(path, what=what)


def read_json(path: Path, what: str) -> Any:
    """Parsed JSON of ``path``; :class:`InputError` naming ``what`` if unreadable or not JSON."""
    text = read_text(path, what)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError, RecursionError) as err:
        msg = f"cannot read {what}: {err}"
        raise InputError(msg, source=path) from err


def _no_constant(name: str) -> Any:
    msg = f"{name} is not a number JSON allows"
    raise ValueError(msg)


def write_tsv(path: str | os.PathLike[str], header: list[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a header and rows as a tab-separated table (values as ``str(v)``), atomically.

    Parameters
    ----------
    path
        The file to write.
    header
        Column names.
    rows
        One sequence of values per row.
    """
    lines = ["\t".join(header)] + ["\t".join(str(v) for v in row) for row in rows]
    return write_text(path, "\n".join(lines) + "\n")
