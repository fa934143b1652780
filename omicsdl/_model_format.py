"""The on-disk format check shared by every saved omicsdl model directory.

A model directory holds safetensors weights and a JSON file whose ``format``
names the model class and whose integer ``format_version`` says which layout
wrote it. Readers accept versions ``1 … version`` and refuse newer or unknown
ones with :class:`~omicsdl.ModelFormatError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omicsdl._errors import ModelFormatError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["check_format"]


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
