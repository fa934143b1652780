"""Read many per-sample tables with the same row ids into one matrix: fast, lean, strict.

GDC quantification files (miRNA, STAR counts, SeSAMe betas) are one file per
aliquot, each listing the same features in the same order. Here the bodies of
a chunk of files are joined into one buffer and parsed by a single C-engine
:func:`pandas.read_csv` call; chunks are parsed in parallel threads (the parser
releases the GIL); each file's ids are checked against the first file's; and the
values go straight into preallocated output arrays of the requested dtype, in
output row order. Memory is the output plus one chunk per thread.

Every file is opened through :func:`omicsdl.io._text.read_bytes` (gzip by
content, size limit, missing/folder/unreadable → one clear error) and checked
before its values are used: ASCII/UTF-8 text, no NUL byte, line endings
normalised (a stray CR splits its line, which is then reported), the same
number of fields on every line, numeric cells that are numbers, no NaN where
the format has none (counts, RPM, TPM), no infinite and no negative value, and
ids that match the format's pattern. A bad file is named with its line and the
fix; no row is ever silently turned into NaN.

:func:`check_per_million` is the units check shared by the readers whose files
carry raw counts beside a per-million column (miRNA RPM, STAR TPM).
"""

from __future__ import annotations

import io
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._text import read_bytes as _read_text_bytes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

__all__ = [
    "Stacked",
    "TableLayout",
    "check_per_million",
    "exact_float32",
    "iter_stacked",
    "read_file_bytes",
    "stack_tables",
]

logger = logging.getLogger(__name__)

#: rows parsed per ``read_csv`` call (64 miRNA files of 1,881 rows; 1 SeSAMe file of 486k rows)
ROWS_PER_CHUNK = 120_000
#: no GDC per-sample file comes near this (a SeSAMe file is ~10 MB, a STAR file ~4 MB)
MAX_FILE_BYTES = 512 * 2**20
#: longest line accepted in a per-sample file (a STAR line is < 200 bytes)
MAX_LINE_BYTES = 4096
_FIX = "the file is damaged or not a GDC original; download it again (omicsdl fetch verifies md5 and size)"


def read_file_bytes(path: Path, *, what: str) -> bytes:
    """Content of a per-sample file: gunzipped by content, ASCII/UTF-8 checked, CR normalised.

    Raises
    ------
    InputError
        Missing, a folder, unreadable, empty, corrupt/truncated gzip, too large,
        not UTF-8, or holding a NUL byte.
    """
    data = _read_text_bytes(path, what=what, max_bytes=MAX_FILE_BYTES)
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            msg = f"{what} is not text (byte {data[err.start]:#04x})"
            raise InputError(msg, source=path, line=line, fix=_FIX) from err
    nul = data.find(b"\x00")
    if nul >= 0:
        msg = f"{what} contains a NUL byte: it is a binary file, not text"
        raise InputError(msg, source=path, line=data.count(b"\n", 0, nul) + 1, fix=_FIX)
    if b"\r" in data:  # a CRLF file, or a stray CR that splits its line (reported below)
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


@dataclass(frozen=True)
class TableLayout:
    """The shape of one kind of per-sample file.

    Attributes
    ----------
    what
        The file in plain words, for messages ("GDC miRNA file").
    n_fields
        Fields on every data line.
    split_header
        ``(content, path) -> (body, first_body_line)``: checks the header and
        returns the data rows (1-based line number of the first one).
    id_column
        0-based column holding the row id.
    value_columns
        Output name → 0-based numeric column.
    extra_columns
        Output name → 0-based text column, read from the first file only
        (e.g. gene symbols beside Ensembl ids).
    id_pattern
        Regular expression every id must match (``None``: any non-empty id).
    nan_allowed
        Value names whose cells may be ``NA`` (SeSAMe masked probes); in every
        other column a missing value is an error.
    dtypes
        Value name → output dtype (default float64).
    """

    what: str
    n_fields: int
    split_header: Callable[[bytes, Path], tuple[bytes, int]]
    id_column: int
    value_columns: dict[str, int]
    extra_columns: dict[str, int] = field(default_factory=dict)
    id_pattern: str | None = None
    nan_allowed: frozenset[str] = frozenset()
    dtypes: dict[str, str] = field(default_factory=dict)


@dataclass
class Stacked:
    """Values of many per-sample files: ``values[column]`` is files × ids.

    Attributes
    ----------
    ids
        Feature ids (columns of every matrix), in file order (an object array).
    values
        Column name → files × ids matrix (NaN where a file lacks an id).
    extra
        Further per-id columns read once (e.g. gene names), or ``None``.
    """

    ids: np.ndarray
    values: dict[str, np.ndarray]
    extra: pd.DataFrame | None = None


def _bad_line(body: bytes, path: Path, first_line: int, layout: TableLayout) -> InputError:
    """The first line of ``body`` that breaks ``layout``, as an error naming it (slow; errors only)."""
    numeric = {c for c in layout.value_columns.values()}
    pattern = re.compile(layout.id_pattern) if layout.id_pattern else None
    nan_columns = {layout.value_columns[n] for n in layout.nan_allowed}
    for offset, raw in enumerate(body.rstrip(b"\n").split(b"\n")):
        line = first_line + offset
        if len(raw) > MAX_LINE_BYTES:
            return InputError(
                f"line of {len(raw):,} bytes (a {layout.what} line is far shorter)",
                source=path,
                line=line,
                fix=_FIX,
            )
        text = raw.decode("utf-8", "replace")
        fields = text.split("\t")
        if not text.strip():
            return InputError("blank line among the data rows", source=path, line=line, fix=_FIX)
        if len(fields) != layout.n_fields:
            return InputError(
                f"row has {len(fields)} field(s), a {layout.what} row has {layout.n_fields}: {text[:60]!r}",
                source=path,
                line=line,
                fix=_FIX,
            )
        row_id = fields[layout.id_column]
        too_long = any(len(fields[c]) > 200 for c in (layout.id_column, *layout.extra_columns.values()))
        if not row_id or too_long or (pattern is not None and not pattern.fullmatch(row_id)):
            return InputError(
                f"row id {row_id[:60]!r} is not a {layout.what} id", source=path, line=line, fix=_FIX
            )
        for col in sorted(numeric):
            cell = fields[col].strip()
            if cell in ("NA", "NaN", "nan", ""):
                if col in nan_columns:
                    continue
                return InputError(
                    f"missing value ({cell or 'empty'}) in column {col + 1}, which a {layout.what} never leaves empty",
                    source=path,
                    line=line,
                    fix=_FIX,
                )
            try:
                value = float(cell)
            except ValueError:
                return InputError(
                    f"value {cell[:40]!r} in column {col + 1} is not a number",
                    source=path,
                    line=line,
                    fix=_FIX,
                )
            if not np.isfinite(value):
                return InputError(
                    f"value {cell!r} in column {col + 1} is not finite", source=path, line=line, fix=_FIX
                )
    return InputError(f"the {layout.what} cannot be parsed", source=path, fix=_FIX)


def _field_bounds(body: bytes, n_fields: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Start and end (exclusive) of every field of every line, ``(n_lines, n_fields)`` each.

    ``None`` unless every line has exactly ``n_fields`` tab-separated fields.
    """
    buf = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    tabs = np.flatnonzero(buf == 9)
    n, k = len(newlines), n_fields - 1
    if len(tabs) != n * k:
        return None
    line_starts = np.empty(n, dtype=np.int64)
    line_starts[0] = 0
    line_starts[1:] = newlines[:-1] + 1
    per_line = tabs.reshape(n, k)
    # tabs are sorted: each line's k tabs lie between its start and its newline iff every line has k
    if k and ((per_line[:, 0] < line_starts).any() or (per_line[:, -1] > newlines).any()):
        return None
    starts = np.column_stack([line_starts, per_line + 1])
    ends = np.column_stack([per_line, newlines])
    return starts, ends


def _split_columns(
    body: bytes, starts: np.ndarray, ends: np.ndarray, wanted: list[int]
) -> tuple[np.ndarray, bytes]:
    """The id field's bytes (concatenated) and a body holding only the ``wanted`` columns.

    One pass of NumPy over the bytes (no Python object per row): the id spans are
    marked 1, the wanted spans (with the separator after each) 2.
    """
    buf = np.frombuffer(body, dtype=np.uint8)
    marker = np.zeros(len(buf) + 1, dtype=np.int8)
    marker[starts[:, 0]] += 1
    marker[ends[:, 0]] -= 1
    for col in wanted:
        marker[starts[:, col]] += 2
        marker[ends[:, col] + 1] -= 2  # the tab or newline after the field is kept too
    level = np.cumsum(marker[:-1], dtype=np.int8)
    ids = buf[level == 1]
    kept = buf[level == 2]  # a copy: the separators below are rewritten in it
    seps = np.flatnonzero((kept == 9) | (kept == 10)).reshape(len(starts), len(wanted))
    kept[seps[:, :-1]] = 9
    kept[seps[:, -1]] = 10
    return ids, kept.tobytes()


@dataclass
class _File:
    """One file's body, checked for structure, with its id signature and its value columns."""

    path: Path
    body: bytes
    first: int
    n: int
    id_lengths: np.ndarray
    id_bytes: np.ndarray
    values: bytes


def _read_one(path: Path, layout: TableLayout) -> _File:
    body, first = layout.split_header(read_file_bytes(path, what=layout.what), path)
    body = body.rstrip(b"\n")
    if not body.strip():
        msg = f"the {layout.what} has no data rows"
        raise InputError(msg, source=path, fix=_FIX)
    body += b"\n"
    bounds = _field_bounds(body, layout.n_fields)
    if bounds is None:
        raise _bad_line(body, path, first, layout)
    starts, ends = bounds
    lengths = ends[:, 0] - starts[:, 0]
    if int(lengths.max()) > 200 or int(lengths.min()) < 1:
        raise _bad_line(body, path, first, layout)
    ids, values = _split_columns(body, starts, ends, sorted(set(layout.value_columns.values())))
    return _File(path, body, first, len(starts), lengths, ids, values)


def _parse(files: list[_File], layout: TableLayout, *, with_text: bool) -> pd.DataFrame:
    """One ``read_csv`` over the files: the value columns, or every column the layout uses.

    Without text, only the value columns' bytes (:func:`_split_columns`) are
    parsed; the frame's columns are still named by their column in the file.
    """
    nan_columns = {layout.value_columns[n] for n in layout.nan_allowed}
    dtypes: dict[int, str] = {c: "float64" for c in layout.value_columns.values()}
    if with_text:
        columns = sorted({layout.id_column, *layout.value_columns.values(), *layout.extra_columns.values()})
        for c in (layout.id_column, *layout.extra_columns.values()):
            dtypes[c] = "str"
        names: list[int] = list(range(layout.n_fields))
        data = b"".join(f.body for f in files)
    else:
        columns = sorted(set(layout.value_columns.values()))
        names = columns
        data = b"".join(f.values for f in files)
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep="\t",
            header=None,
            names=names,
            usecols=columns if with_text else None,
            dtype=dtypes,
            na_values={c: (["NA", "NaN", "nan", ""] if c in nan_columns else []) for c in columns},
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            low_memory=False,  # one pass over the chunk (the chunk already bounds memory)
        )
    except (ValueError, pd.errors.ParserError) as err:
        for f in files:
            problem = _bad_line(f.body, f.path, f.first, layout)
            if problem.problem != f"the {layout.what} cannot be parsed":
                raise problem from err
        raise InputError(
            f"the {layout.what} cannot be parsed ({err})", source=files[0].path, fix=_FIX
        ) from err
    offset = 0
    for f in files:  # a missing or infinite value: name the file and line
        for name, col in layout.value_columns.items():
            vals = frame[col].to_numpy()[offset : offset + f.n]
            bad = np.isinf(vals) if name in layout.nan_allowed else ~np.isfinite(vals)
            if bad.any():
                raise _missing_value(f, int(np.flatnonzero(bad)[0]), layout)
        offset += f.n
    return frame


def _missing_value(f: _File, row: int, layout: TableLayout) -> InputError:
    error = _bad_line(f.body, f.path, f.first, layout)
    if error.problem != f"the {layout.what} cannot be parsed":
        return error
    line = f.body.split(b"\n")[row].decode("utf-8", "replace")
    return InputError(
        f"missing value (NA) in a column that is never missing in a {layout.what}: {line[:60]!r}",
        source=f.path,
        line=f.first + row,
        fix=_FIX,
    )


@dataclass
class _Reference:
    """The first file: its ids, as objects and as a byte signature."""

    ids: np.ndarray
    index: pd.Index
    lengths: np.ndarray
    id_bytes: np.ndarray
    path: Path

    def same_ids(self, f: _File) -> bool:
        return np.array_equal(f.id_lengths, self.lengths) and np.array_equal(f.id_bytes, self.id_bytes)


def stack_tables(
    paths: Sequence[Path],
    layout: TableLayout,
    *,
    missing_ids: str = "error",
    chunk_files: int | None = None,
    n_threads: int | None = None,
) -> Stacked:
    """Parse same-shaped tab-separated files into files × ids arrays.

    The first file is parsed in full (ids, text columns); every other file's
    ids are compared with the first file's as bytes (no Python string per
    row), and only its value columns are parsed. A file whose ids differ is
    parsed in full and aligned by id (or refused, see ``missing_ids``).

    Parameters
    ----------
    paths
        The files, in output row order.
    layout
        What the files look like (:class:`TableLayout`).
    missing_ids
        ``"error"``: every file must list exactly the first file's ids (in any
        order); ``"nan"``: ids absent from a file become NaN (ids a file adds
        are still an error).
    chunk_files
        Files per ``read_csv`` call; by default as many as make about
        :data:`ROWS_PER_CHUNK` rows.
    n_threads
        Parsing threads (default: ``min(4, CPU count)``); at most two chunks per
        thread are in memory at once.

    Raises
    ------
    InputError
        Any fault of :func:`read_file_bytes`, a malformed line (named), a
        missing or non-finite value where the format has none, duplicated ids,
        or ids that differ from the first file's.
    """
    return next(
        iter_stacked(
            paths,
            layout,
            block_files=None,
            missing_ids=missing_ids,
            chunk_files=chunk_files,
            n_threads=n_threads,
        )
    )


def iter_stacked(
    paths: Sequence[Path],
    layout: TableLayout,
    *,
    block_files: int | None,
    missing_ids: str = "error",
    chunk_files: int | None = None,
    n_threads: int | None = None,
) -> Iterator[Stacked]:
    """:func:`stack_tables` block by block: one :class:`Stacked` per ``block_files`` files, in order.

    The first file is the reference of every block (parsed once), so a reader
    can reduce each block (e.g. average probes per gene) and never hold the
    whole matrix. ``block_files=None`` yields one block of all files.

    Parameters
    ----------
    paths, layout, missing_ids, chunk_files, n_threads
        As for :func:`stack_tables`.
    block_files
        Files per block (rows of each yielded matrix), or ``None`` for all.
    """
    if not paths:
        msg = "no file to read"
        raise InputError(msg, fix="pass at least one data file")
    paths = list(paths)
    head = _read_one(paths[0], layout)
    frame = _parse([head], layout, with_text=True)
    ref_ids = frame[layout.id_column].to_numpy(dtype=object)
    ref = _Reference(ref_ids, pd.Index(ref_ids), head.id_lengths, head.id_bytes, head.path)
    _check_ids(ref.index, frame, head, layout)
    extra = (
        pd.DataFrame(
            {n: frame[c].to_numpy(dtype=object) for n, c in layout.extra_columns.items()}, index=ref_ids
        )
        if layout.extra_columns
        else None
    )
    head_values = {name: frame[col].to_numpy() for name, col in layout.value_columns.items()}
    del frame
    if chunk_files is None:
        chunk_files = max(1, ROWS_PER_CHUNK // max(1, len(ref_ids)))
    threads = n_threads or min(4, os.cpu_count() or 1)
    block = block_files or len(paths)
    for first in range(0, len(paths), block):
        rows = paths[first : first + block]
        out = {
            name: np.empty((len(rows), len(ref_ids)), dtype=layout.dtypes.get(name, "float64"))
            for name in layout.value_columns
        }
        begin = 0
        if first == 0:
            for name, values in head_values.items():
                out[name][0] = values
            begin = 1

        def load(start: int, rows: list[Path] = rows, out: dict[str, np.ndarray] = out) -> None:
            files = [_read_one(path, layout) for path in rows[start : start + chunk_files]]
            values = _parse(files, layout, with_text=False)
            offset = 0
            for k, f in enumerate(files):
                if ref.same_ids(f):
                    for name, col in layout.value_columns.items():
                        out[name][start + k] = values[col].to_numpy()[offset : offset + f.n]
                else:
                    full = _parse([f], layout, with_text=True)
                    vals = {name: full[col].to_numpy() for name, col in layout.value_columns.items()}
                    ids = full[layout.id_column].to_numpy(dtype=object)
                    _align_into(out, vals, ids, 0, start + k, ref.index, f.path, missing_ids, ref.path)
                offset += f.n

        _run_chunks(load, list(range(begin, len(rows), chunk_files)), threads)
        yield Stacked(ids=ref_ids, values=out, extra=extra)


def _run_chunks(load: Callable[[int], None], starts: list[int], threads: int) -> None:
    """Run ``load`` on every chunk start, in ``threads`` threads with at most 2 chunks per thread in flight."""
    if threads <= 1 or len(starts) <= 1:
        for start in starts:
            load(start)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending = []
        for start in starts:
            pending.append(pool.submit(load, start))
            if len(pending) >= 2 * threads:
                pending.pop(0).result()
        for future in pending:
            future.result()


def _check_ids(ref_index: pd.Index, frame: pd.DataFrame, head: _File, layout: TableLayout) -> None:
    """The first file's ids (every other file is compared with them): unique, well-formed, short."""
    if ref_index.has_duplicates:
        dup = ref_index[ref_index.duplicated()][0]
        msg = "row id listed twice"
        raise InputError(msg, source=head.path, item=str(dup)[:60], fix=_FIX)
    texts = pd.Series(ref_index, dtype=object)
    good = texts.str.len().between(1, 200).to_numpy()
    if layout.id_pattern is not None:
        good &= texts.str.fullmatch(layout.id_pattern).fillna(value=False).astype(bool).to_numpy()
    for col in layout.extra_columns.values():
        good &= frame[col].fillna("").str.len().le(200).to_numpy()
    if not good.all():
        raise _bad_line(head.body, head.path, head.first, layout)


def _align_into(
    out: dict[str, np.ndarray],
    vals: dict[str, np.ndarray],
    block: np.ndarray,
    offset: int,
    row: int,
    ref_index: pd.Index,
    path: Path,
    missing_ids: str,
    first: Path,
) -> None:
    block_index = pd.Index(block)
    if block_index.has_duplicates:
        dup = block_index[block_index.duplicated()][0]
        msg = "row id listed twice"
        raise InputError(msg, source=path, item=str(dup)[:60], fix=_FIX)
    position = ref_index.get_indexer(block_index)
    if (position < 0).any():
        extra_id = str(block_index[position < 0][0])[:60]
        msg = f"row id {extra_id!r} is not in the first file ({first.name})"
        raise InputError(
            msg,
            source=path,
            item=extra_id,
            fix="read files of one platform / annotation version together",
        )
    if len(block) < len(ref_index) and missing_ids == "error":
        absent = ref_index.difference(block_index)
        msg = f"{len(absent)} row id(s) of the first file are missing, e.g. {absent[0]!r}"
        raise InputError(
            msg,
            source=path,
            fix="the file is truncated or of another version; download it again",
        )
    for name in out:
        out[name][row] = np.nan
        out[name][row, position] = vals[name][offset : offset + len(block)]


def check_per_million(
    per_million: np.ndarray,
    counts: np.ndarray,
    paths: Sequence[Path],
    *,
    column: str,
    negative_fix: str,
    sum_fix: str,
    tolerance: float = 0.01,
) -> None:
    """Refuse a file (row) with a negative value, or whose ``column`` does not sum to one million.

    Files without any read (all counts zero or missing) are not held to the sum;
    ``tolerance`` is the relative deviation allowed.

    Parameters
    ----------
    per_million
        Files × features per-million values.
    counts
        Files × features read counts.
    paths
        The file of each row, named in the error.
    column
        Name of the per-million column, in the error message.
    negative_fix
        The ``fix`` of the error for a negative value.
    sum_fix
        The ``fix`` of the error for a wrong sum.
    tolerance
        Relative deviation of the sum from one million that is accepted.

    Raises
    ------
    InputError
        Naming the first such file.
    """
    negative = (per_million < 0).any(axis=1) | (counts < 0).any(axis=1)
    if negative.any():
        row = int(np.flatnonzero(negative)[0])
        msg = "negative expression value"
        raise InputError(msg, source=paths[row], fix=negative_fix)
    totals = np.nansum(per_million, axis=1, dtype=np.float64)
    off = (np.nansum(counts, axis=1, dtype=np.float64) > 0) & (np.abs(totals - 1e6) > tolerance * 1e6)
    if off.any():
        row = int(np.flatnonzero(off)[0])
        msg = f"{column} sums to {totals[row]:.6g}, not one million"
        raise InputError(msg, source=paths[row], fix=sum_fix)


def exact_float32(values: np.ndarray) -> np.ndarray:
    """``values`` as float32 when that keeps every value exactly (whole counts < 2^24), else as is."""
    if values.dtype == np.float32:
        return values
    finite = values[np.isfinite(values)] if np.isnan(values).any() else values
    if finite.size and (np.abs(finite).max() >= 2**24 or not np.array_equal(finite, np.round(finite))):
        return values
    return values.astype(np.float32)
