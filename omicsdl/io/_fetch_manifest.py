"""GDC manifests (``id filename md5 size state``): read, write, check against a folder.

A manifest is untrusted input: its ``id`` and ``filename`` become path parts
of the output folder (``<id>/<filename>``, the GDC client's layout), so any
entry that could write outside that folder — ``..``, an absolute path, a path
separator, a NUL — is refused before anything is downloaded or read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl._core._atomic import write_text
from omicsdl._core._errors import InputError
from omicsdl.io._text import read_text

if TYPE_CHECKING:
    import os

__all__ = [
    "ManifestChange",
    "ManifestEntry",
    "check_manifest_files",
    "read_gdc_manifest",
    "update_gdc_manifest",
    "write_gdc_manifest",
]

logger = logging.getLogger(__name__)

MANIFEST_COLUMNS = ("id", "filename", "md5", "size", "state")
_MD5 = re.compile(r"^[0-9a-f]{32}$")
#: a manifest of 10^6 files is ~150 MB
MAX_MANIFEST_BYTES = 512 * 2**20


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One file of a GDC manifest.

    Attributes
    ----------
    id
        GDC file UUID.
    filename
        File name on the server.
    md5
        Expected md5 hex digest.
    size
        Expected size in bytes.
    state
        GDC file state (``released``).
    """

    id: str
    filename: str
    md5: str
    size: int
    state: str = "released"

    @property
    def relative_path(self) -> Path:
        """Where the GDC client puts the file: ``<id>/<filename>``."""
        return Path(self.id) / self.filename


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _safe_part(value: str, column: str, source: str, line: int) -> str:
    bad = (
        not value
        or value in (".", "..")
        or value.startswith(("/", "\\", "~", "."))
        or "/" in value
        or "\\" in value
        or "\x00" in value
        or ":" in value
        or any(ord(c) < 32 for c in value)
        or not value.isprintable()
        or not _encodable(value)
    )
    if bad:
        msg = f"{column} {value!r} would write outside the output folder"
        raise InputError(
            msg,
            source=source,
            line=line,
            fix=f"a manifest {column} must be a plain name (no '..', '/', '\\\\' or leading '.')",
        )
    return value


def read_gdc_manifest(path: str | os.PathLike[str]) -> list[ManifestEntry]:
    """Read and validate a GDC manifest.

    Parameters
    ----------
    path
        Tab-separated ``id filename md5 size state`` (as the GDC portal writes
        it; plain or gzip, UTF-8).

    Returns
    -------
    The entries, in file order.

    Raises
    ------
    InputError
        An unreadable file, missing columns, a row with the wrong number of
        fields, a bad md5 or size, a duplicated id, or an id/filename that
        would escape the output folder.
    """
    text = read_text(path, what="GDC manifest", max_bytes=MAX_MANIFEST_BYTES, max_line_chars=4096)
    lines = text.split("\n")
    header = lines[0].strip().split("\t")
    missing = [c for c in MANIFEST_COLUMNS[:4] if c not in header]
    if missing:
        msg = f"not a GDC manifest: column(s) {', '.join(missing)} missing"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix="a GDC manifest has the header: id filename md5 size state",
        )
    column = {name: header.index(name) for name in MANIFEST_COLUMNS if name in header}
    entries = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            msg = f"row has {len(fields)} field(s), the header has {len(header)}"
            raise InputError(
                msg, source=path, line=number, fix="a manifest row is: id filename md5 size state"
            )
        file_id = _safe_part(fields[column["id"]].strip(), "id", str(path), number)
        filename = _safe_part(fields[column["filename"]].strip(), "filename", str(path), number)
        md5 = fields[column["md5"]].strip().lower()
        if not _MD5.match(md5):
            msg = f"md5 {fields[column['md5']]!r} is not 32 hex digits"
            raise InputError(msg, source=path, line=number, item=file_id)
        raw_size = fields[column["size"]].strip()
        if not raw_size.isdigit() or not raw_size.isascii():
            msg = f"size {raw_size!r} is not a byte count"
            raise InputError(msg, source=path, line=number, item=file_id)
        if file_id in seen:
            msg = f"id listed twice (lines {seen[file_id]} and {number})"
            raise InputError(
                msg,
                source=path,
                line=number,
                item=file_id,
                fix="remove the duplicate line",
            )
        seen[file_id] = number
        state = fields[column["state"]].strip() if "state" in column else ""
        entries.append(ManifestEntry(file_id, filename, md5, int(raw_size), state or "released"))
    if not entries:
        msg = "the manifest lists no file"
        raise InputError(msg, source=path, fix="query the files again (omicsdl fetch --query)")
    return entries


def write_gdc_manifest(entries: list[ManifestEntry], path: str | os.PathLike[str]) -> Path:
    """Write entries as a GDC manifest (atomically; a symlink at ``path`` is refused)."""
    from omicsdl.io._fetch_safe import refuse_symlink

    refuse_symlink(path)
    lines = ["\t".join(MANIFEST_COLUMNS)]
    lines += [f"{e.id}\t{e.filename}\t{e.md5}\t{e.size}\t{e.state}" for e in entries]
    return write_text(path, "\n".join(lines) + "\n")


@dataclass(frozen=True, slots=True)
class ManifestChange:
    """How a new query result differs from the manifest kept on disk.

    Attributes
    ----------
    added
        File ids in the new result only.
    removed
        File ids in the kept manifest only.
    changed
        File ids in both whose name, md5 or size differ.
    written
        Whether the manifest file was (re)written.
    """

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    written: bool

    def summary(self) -> str:
        """One line for logs."""
        if not self.written:
            return "unchanged"
        return f"{len(self.added)} new, {len(self.removed)} removed, {len(self.changed)} changed file(s)"


def update_gdc_manifest(entries: list[ManifestEntry], path: str | os.PathLike[str]) -> ManifestChange:
    """Write ``entries`` to ``path`` only when they differ from the manifest already there.

    An unchanged manifest keeps its modification time, so a workflow built on
    it recomputes nothing.

    Parameters
    ----------
    entries
        The new manifest entries (e.g. a fresh :func:`omicsdl.io.query_gdc_manifest`).
    path
        The manifest file; written when absent or different.

    Returns
    -------
    What changed, and whether the file was written.
    """
    path = Path(path)
    old = {e.id: e for e in read_gdc_manifest(path)} if path.exists() else {}
    new = {e.id: e for e in entries}
    added = tuple(i for i in new if i not in old)
    removed = tuple(i for i in old if i not in new)
    changed = tuple(i for i in new if i in old and new[i] != old[i])
    written = not path.exists() or bool(added or removed or changed)
    if written:
        write_gdc_manifest(entries, path)
    return ManifestChange(added, removed, changed, written)


def check_manifest_files(
    manifest: str | os.PathLike[str] | list[ManifestEntry],
    folder: str | os.PathLike[str],
    *,
    skip_missing: bool = False,
) -> list[Path]:
    """List the manifest's files present in ``folder`` (GDC client layout).

    Parameters
    ----------
    manifest
        Manifest path or entries.
    folder
        Download folder holding ``<id>/<filename>``.
    skip_missing
        Go on without the listed-but-absent files (they are logged); otherwise
        they are an error that lists them.

    Returns
    -------
    Paths of the files present, in manifest order.
    """
    entries = read_gdc_manifest(manifest) if not isinstance(manifest, list) else manifest
    folder = Path(folder)
    present, absent = [], []
    for entry in entries:
        path = folder / entry.relative_path
        (present if path.is_file() else absent).append(path)
    if absent:
        listed = "\n    ".join(str(p) for p in absent[:10]) + (
            f"\n    ... and {len(absent) - 10} more" if len(absent) > 10 else ""
        )
        if not skip_missing:
            msg = f"{len(absent)} of {len(entries)} file(s) listed in the manifest are absent:\n    {listed}"
            raise InputError(
                msg,
                source=str(manifest) if not isinstance(manifest, list) else str(folder),
                fix="download them (omicsdl fetch), or go on without them (--skip-missing)",
            )
        logger.warning("%d of %d manifest file(s) are absent and skipped", len(absent), len(entries))
    return present
