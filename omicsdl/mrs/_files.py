"""Whole-file reads for the MRS readers (gzip by suffix, one clear error when unreadable) and the TSV writer."""

from __future__ import annotations

import gzip
import json
from typing import TYPE_CHECKING, Any

from omicsdl._core._atomic import write_text
from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Sequence
    from pathlib import Path

__all__ = ["read_bytes", "read_json", "read_text", "write_tsv"]


def _read(path: Path, what: str, mode: str) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, mode) as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as err:
        msg = f"cannot read {what}: {err}"
        raise InputError(msg, source=path) from err


def read_text(path: Path, what: str) -> str:
    """The text of ``path`` (gunzipped if it ends in ``.gz``); :class:`InputError` naming ``what`` if unreadable."""
    return _read(path, what, "rt")


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of ``path`` (gunzipped if it ends in ``.gz``); :class:`InputError` naming ``what`` if unreadable."""
    return _read(path, what, "rb")


def read_json(path: Path, what: str) -> Any:
    """Parsed JSON of ``path``; :class:`InputError` naming ``what`` if unreadable or not JSON."""
    text = read_text(path, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        msg = f"cannot read {what}: {err}"
        raise InputError(msg, source=path) from err


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
