"""Read many small per-sample tables with the same row ids into one matrix, fast.

GDC quantification files (miRNA, STAR counts, SeSAMe betas) are one file per
sample, each listing the same features in the same order. Parsing them one by
one with :func:`pandas.read_csv` and aligning them with :func:`pandas.concat`
spends most of its time in per-file overhead and index alignment. Here the
bodies of a chunk of files are joined into one buffer and parsed by a single
C-engine ``read_csv`` call; the rows are then cut back into files by their line
counts, each file's ids are checked against the first file's, and the values go
straight into preallocated output arrays. Memory is the output plus one chunk.

:func:`check_per_million` is the units check shared by the readers whose files
carry raw counts beside a per-million column (miRNA RPM, STAR TPM).
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

__all__ = ["Stacked", "check_per_million", "read_bytes", "stack_tables"]

logger = logging.getLogger(__name__)

#: rows parsed per ``read_csv`` call (64 miRNA files of 1,881 rows; 1 SeSAMe file of 486k rows)
ROWS_PER_CHUNK = 120_000


def read_bytes(path: Path) -> bytes:
    """File content, gunzipped when the name ends in ``.gz``; truncated gzip is an InputError."""
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            msg = f"truncated or corrupt gzip file ({err})"
            raise InputError(
                msg,
                source=path,
                fix="download the file again (omicsdl fetch verifies md5 and size)",
            ) from err
    return data


@dataclass
class Stacked:
    """Values of many per-sample files: ``values[column]`` is files × ids.

    Attributes
    ----------
    ids
        Feature ids (columns of every matrix), in file order.
    values
        Column name → files × ids matrix (NaN where a file lacks an id).
    extra
        Further per-id columns read once (e.g. gene names), or ``None``.
    """

    ids: np.ndarray
    values: dict[str, np.ndarray]
    extra: pd.DataFrame | None = None


def _locate_bad_row(body: bytes, path: Path, first_line: int, columns: Sequence[int]) -> InputError:
    for offset, line in enumerate(body.split(b"\n")):
        if not line.strip():
            continue
        fields = line.rstrip(b"\r").split(b"\t")
        if len(fields) <= max(columns):
            return InputError(
                f"row has {len(fields)} field(s), expected at least {max(columns) + 1}",
                source=path,
                line=first_line + offset,
                fix="the file is damaged; download it again",
            )
        for col in columns[1:]:
            text = fields[col].decode("utf-8", "replace")
            try:
                float(text)
            except ValueError:
                if text not in ("NA", "NaN", "nan", ""):
                    return InputError(
                        f"value {text!r} in column {col + 1} is not a number",
                        source=path,
                        line=first_line + offset,
                        fix="the file is damaged; download it again",
                    )
    return InputError("the file cannot be parsed", source=path, fix="download it again")


def stack_tables(
    paths: Sequence[Path],
    *,
    split_header: Callable[[bytes, Path], tuple[bytes, int]],
    id_column: int,
    value_columns: dict[str, int],
    extra_columns: dict[str, int] | None = None,
    missing_ids: str = "error",
    chunk_files: int | None = None,
) -> Stacked:
    """Parse same-shaped tab-separated files into files × ids arrays.

    Parameters
    ----------
    paths
        The files, in output row order.
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
    missing_ids
        ``"error"``: every file must list exactly the first file's ids (in any
        order); ``"nan"``: ids absent from a file become NaN (ids a file adds
        are still an error).
    chunk_files
        Files per ``read_csv`` call; by default as many as make about
        :data:`ROWS_PER_CHUNK` rows, so memory is the output plus one chunk.
    """
    if not paths:
        msg = "no file to read"
        raise InputError(msg, fix="pass at least one data file")
    columns = sorted({id_column, *value_columns.values(), *(extra_columns or {}).values()})
    out: dict[str, np.ndarray] = {}
    ref_ids: np.ndarray | None = None
    ref_index: pd.Index | None = None
    extra = None
    if chunk_files is None:
        first_body, _ = split_header(read_bytes(paths[0]), paths[0])
        chunk_files = max(1, ROWS_PER_CHUNK // max(1, first_body.count(b"\n")))
    for start in range(0, len(paths), chunk_files):
        chunk = paths[start : start + chunk_files]
        bodies = []
        starts = []
        for path in chunk:
            body, first = split_header(read_bytes(path), path)
            body = body.rstrip(b"\r\n") + b"\n" if body.strip() else b""
            bodies.append(body)
            starts.append(first)
        counts = [b.count(b"\n") for b in bodies]
        dtypes = {c: "float64" for c in value_columns.values()}
        dtypes[id_column] = "str"
        for c in (extra_columns or {}).values():
            dtypes[c] = "str"
        try:
            frame = pd.read_csv(
                io.BytesIO(b"".join(bodies)),
                sep="\t",
                header=None,
                usecols=columns,
                dtype=dtypes,
                na_values=["NA", "NaN", "nan", ""],
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
                low_memory=False,  # one pass over the chunk (the chunk already bounds memory)
            )
        except (ValueError, pd.errors.ParserError) as err:
            for body, path, first in zip(bodies, chunk, starts, strict=True):
                try:
                    pd.read_csv(io.BytesIO(body), sep="\t", header=None, usecols=columns, dtype=dtypes)
                except (ValueError, pd.errors.ParserError):
                    raise _locate_bad_row(body, path, first, columns) from err
            raise  # pragma: no cover - the chunk failed but no single file did
        if len(frame) != sum(counts):  # pragma: no cover - guarded by skip_blank_lines=False
            msg = f"parsed {len(frame)} rows, expected {sum(counts)}"
            raise RuntimeError(msg)
        ids = frame[id_column].to_numpy()
        vals = {name: frame[col].to_numpy() for name, col in value_columns.items()}
        if ref_ids is None:
            if not counts[0]:
                msg_0 = "the file has no data rows"
                raise InputError(msg_0, source=chunk[0], fix="download it again")
            ref_ids = ids[: counts[0]].copy()
            ref_index = pd.Index(ref_ids)
            if ref_index.has_duplicates:
                dup = ref_index[ref_index.duplicated()][0]
                msg_0 = "row id listed twice"
                raise InputError(msg_0, source=chunk[0], item=str(dup), fix="download it again")
            out = {name: np.empty((len(paths), len(ref_ids))) for name in value_columns}
            if extra_columns:
                extra = pd.DataFrame(
                    {name: frame[col].to_numpy()[: counts[0]] for name, col in extra_columns.items()},
                    index=ref_ids,
                )
        offset = 0
        for k, (path, n) in enumerate(zip(chunk, counts, strict=True)):
            row = start + k
            block = ids[offset : offset + n]
            if n == len(ref_ids) and np.array_equal(block, ref_ids):
                for name in value_columns:
                    out[name][row] = vals[name][offset : offset + n]
            else:
                _align_into(out, vals, block, offset, row, ref_index, path, missing_ids, chunk[0])
            offset += n
    if ref_ids is None:  # pragma: no cover - paths is not empty
        msg_0 = "no file to read"
        raise InputError(msg_0, fix="pass at least one data file")
    return Stacked(ids=ref_ids, values=out, extra=extra)


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
        raise InputError(msg, source=path, item=str(dup), fix="download the file again")
    position = ref_index.get_indexer(block_index)
    if (position < 0).any():
        extra_id = block_index[position < 0][0]
        msg = f"row id {extra_id!r} is not in the first file ({first.name})"
        raise InputError(
            msg,
            source=path,
            item=str(extra_id),
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
    totals = np.nansum(per_million, axis=1)
    off = (np.nansum(counts, axis=1) > 0) & (np.abs(totals - 1e6) > tolerance * 1e6)
    if off.any():
        row = int(np.flatnonzero(off)[0])
        msg = f"{column} sums to {totals[row]:.6g}, not one million"
        raise InputError(msg, source=paths[row], fix=sum_fix)
