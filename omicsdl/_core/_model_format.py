"""The on-disk format shared by every saved omicsdl model directory.

A model directory holds safetensors weights and a JSON file whose ``format``
names the model class and whose integer ``format_version`` says which layout
wrote it. Readers accept versions ``1 … version`` and refuse newer or unknown
ones with :class:`~omicsdl.ModelFormatError`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from omicsdl._core._errors import ModelFormatError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["check_format", "format_header", "read_format_json"]


def format_header(kind: str, version: int) -> dict[str, Any]:
    """The leading keys of a model's JSON: ``format``, ``format_version`` and ``omicsdl_version``."""
    from omicsdl._version import __version__

    return {"format": kind, "format_version": version, "omicsdl_version": __version__}


def check_format(meta: Mapping[str, Any], kind: str, version: int, *, source: Path) -> None:
    """Raise :class:`ModelFormatError` unless ``meta`` is ``kind`` at a format version we read."""
    if meta.get("format") != kind:
        msg = f"expected a {kind} model, found {meta.get('format')!r}"
        raise ModelFormatError(msg, source=source)
    found = meta.get("format_version")
    if not isinstance(found, int) or found < 1 or found > version:
        msg = f"unknown model format_version {found!r} (this omicsdl reads up to {version})"
        raise ModelFormatError(
            msg,
            source=source,
            fix=f"upgrade omicsdl (the model was written by omicsdl {meta.get('omicsdl_version', '?')})",
        )


def read_format_json(
    path: Path, kind: str, version: int, *, what: str, fix: str | None = None
) -> dict[str, Any]:
    """Read the JSON file ``path`` of a saved model and check it with :func:`check_format`.

    Parameters
    ----------
    path
        The JSON file inside the model directory.
    kind, version
        The expected ``format`` and the newest ``format_version`` this omicsdl reads.
    what
        The model in plain words, for the error when ``path`` is missing
        ("no autoencoder.json: not a saved omicsdl autoencoder").
    fix
        Advice for that error.

    Raises
    ------
    ModelFormatError
        ``path`` is missing or not JSON, or describes another model or a newer format.
    """
    if not path.is_file():
        msg = f"no {path.name}: not a saved {what}"
        raise ModelFormatError(msg, source=path.parent, fix=fix)
    try:
        meta = json.loads(path.read_text())
    except json.JSONDecodeError as err:
        msg = f"{path.name} is not valid JSON ({err})"
        raise ModelFormatError(msg, source=path) from err
    check_format(meta, kind, version, source=path)
    return meta
