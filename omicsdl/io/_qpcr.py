"""qPCR / GeXP long tables and plain wide CSV tables → AnnData (samples × genes).

Long tables have one row per (sample, gene) measurement. Three value kinds:

``ct``     raw threshold cycles. Converted to log2 relative expression
           ``-ΔCt = mean(Ct of the reference genes) − Ct(gene)`` per sample
           (assumes ~100 % amplification efficiency; higher = more RNA).
           Non-detects (``Undetermined``, ``NA``, empty) become ``NaN``.
``log2``   already log-scale relative expression (e.g. −ΔCt, log2 GeXP ratio);
           refused if it looks like raw Ct (:func:`omicsdl.io.check_not_ct`).
``ratio``  linear relative expression (e.g. a GeXP peak-area ratio to the
           reference, or 2^−ΔCt); log2-transformed, must be positive.

Wide tables (:func:`read_expression_csv`) have one row per sample and one
column per gene; non-numeric columns (e.g. a ``group`` label) go to ``.obs``.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._ct import check_not_ct
from omicsdl.io._text import check_rectangular, parse_errors, read_text

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    from anndata import AnnData

__all__ = ["read_expression_csv", "read_qpcr_table"]

logger = logging.getLogger(__name__)

_NON_DETECT = {"", "undetermined", "na", "nan", "n/a", "nd", "no ct", "-"}


def _header_line(text: str) -> tuple[str, int]:
    """Return the header line and how many leading ``#`` comment lines precede it."""
    skipped = 0
    for line in text.split("\n"):
        if not line.startswith("#"):
            return line, skipped
        skipped += 1
    return "", skipped


def _sep_for(path: Path, sep: str | None, text: str) -> str:
    if sep is not None:
        return sep
    if path.name.lower().removesuffix(".gz").endswith(".csv"):
        return ","
    head, _ = _header_line(text)
    return "\t" if head.count("\t") >= head.count(",") else ","


def _read_table(path: Path, sep: str | None) -> pd.DataFrame:
    text = read_text(path, what="table")
    sep = _sep_for(path, sep, text)
    head, skipped = _header_line(text)
    n_rows = check_rectangular(text, sep=sep, source=path, skip=skipped)
    if n_rows == 0 or len(head.split(sep)) < 2:
        msg = "the table has a header but no rows" if n_rows == 0 else f"the header has no {sep!r} separator"
        raise InputError(msg, source=path, line=skipped + 1, fix="check the separator (pass sep=)")
    with parse_errors(path):
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skiprows=skipped)
    header = next(csv.reader([head], delimiter=sep))
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        msg = f"duplicated column name(s) in the header: {', '.join(dup)}"
        raise InputError(
            msg,
            source=path,
            line=skipped + 1,
            item=dup[0],
            fix="each gene (and each sample) must appear once",
        )
    frame.columns = [c.strip() for c in frame.columns]
    frame.attrs["first_row_line"] = skipped + 2
    return frame


def _to_float(
    values: pd.Series, *, path: Path, column: str, allow_nondetect: bool, first_line: int = 2
) -> np.ndarray:
    text = values.astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    bad = numeric.isna() & ~(text.str.lower().isin(_NON_DETECT) if allow_nondetect else text.eq(""))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        msg = f"non-numeric value {text.iloc[row]!r} in column {column!r}"
        raise InputError(
            msg,
            source=path,
            line=row + first_line,
            fix="use numbers; write non-detects as 'Undetermined' or leave them empty",
        )
    if np.isinf(numeric).any():
        row = int(np.flatnonzero(np.isinf(numeric).to_numpy())[0])
        msg = f"infinite value {text.iloc[row]!r} in column {column!r}"
        raise InputError(msg, source=path, line=row + first_line, fix="correct or blank the cell")
    return numeric.to_numpy(dtype=float)


def read_qpcr_table(
    path: str | os.PathLike[str],
    *,
    sample_col: str = "sample",
    gene_col: str = "gene",
    value_col: str = "value",
    value_kind: Literal["ct", "log2", "ratio"] = "ct",
    reference_genes: Sequence[str] | None = None,
    replicates: Literal["error", "mean"] = "error",
    allow_ct_like: bool = False,
    sep: str | None = None,
) -> AnnData:
    """Read a long qPCR/GeXP table (sample, gene, value) into samples × genes.

    Parameters
    ----------
    path
        CSV or TSV (optionally gzipped) with one row per measurement.
    sample_col, gene_col, value_col
        Column names.
    value_kind
        ``"ct"``, ``"log2"`` or ``"ratio"`` (see the module docstring).
    reference_genes
        Reference (housekeeping) genes for ``ct``; required there. They are used
        for normalisation and not returned as features.
    replicates
        Repeated (sample, gene) rows: ``"error"`` (default) or ``"mean"`` (technical
        replicates averaged, ignoring non-detects).
    allow_ct_like
        For ``log2``: accept values that look like raw Ct.
    sep
        Field separator; guessed from the suffix / first line by default.

    Returns
    -------
    AnnData: ``X`` log2 relative expression; for ``ct`` also ``layers["ct"]`` (raw Ct)
    and ``obs["reference_ct"]``; other columns that are constant within a sample
    (e.g. ``group``) in ``obs``; ``uns["qpcr"]`` describes the transform.
    """
    import anndata as ad

    path = Path(path)
    frame = _read_table(path, sep)
    missing = [c for c in (sample_col, gene_col, value_col) if c not in frame.columns]
    if missing:
        msg = f"missing column(s) {', '.join(missing)}; the header has: {', '.join(frame.columns)}"
        raise InputError(
            msg,
            source=path,
            line=1,
            fix="name them with sample_col=/gene_col=/value_col= (CLI: --sample-col/--gene-col/--value-col)",
        )
    if value_kind not in ("ct", "log2", "ratio"):
        msg = f"value_kind must be 'ct', 'log2' or 'ratio', got {value_kind!r}"
        raise InputError(msg)
    frame[sample_col] = frame[sample_col].str.strip()
    frame[gene_col] = frame[gene_col].str.strip()
    empty = frame[sample_col].eq("") | frame[gene_col].eq("")
    if empty.any():
        row = int(np.flatnonzero(empty.to_numpy())[0])
        msg = "empty sample or gene name"
        raise InputError(msg, source=path, line=row + int(frame.attrs["first_row_line"]))
    first = int(frame.attrs["first_row_line"])
    frame["_value"] = _to_float(
        frame[value_col], path=path, column=value_col, allow_nondetect=True, first_line=first
    )
    frame["_line"] = np.arange(len(frame)) + first

    dup = frame.duplicated([sample_col, gene_col], keep=False)
    if dup.any():
        first = frame[dup].iloc[0]
        lines = frame.loc[
            (frame[sample_col] == first[sample_col]) & (frame[gene_col] == first[gene_col]), "_line"
        ].tolist()
        if replicates == "error":
            msg = (
                f"sample {first[sample_col]!r} has {len(lines)} rows for gene {first[gene_col]!r} "
                f"(lines {', '.join(map(str, lines))}); {int(dup.sum())} duplicated rows in all"
            )
            raise InputError(
                msg,
                source=path,
                line=int(lines[1]),
                item=str(first[sample_col]),
                fix="average technical replicates with replicates='mean' (CLI: --replicates mean), "
                "or fix the sample ids if two samples share one",
            )
        logger.info("%s: averaging %d technical-replicate rows", path.name, int(dup.sum()))
    wide = frame.pivot_table(
        index=sample_col, columns=gene_col, values="_value", aggfunc="mean", dropna=False, sort=False
    )
    wide = wide.reindex(index=pd.unique(frame[sample_col]), columns=pd.unique(frame[gene_col]))

    other = [c for c in frame.columns if c not in (sample_col, gene_col, value_col, "_value", "_line")]
    obs = pd.DataFrame(index=pd.Index(wide.index.astype(str), name="sample"))
    for column in other:
        per_sample = frame.groupby(sample_col, sort=False)[column].nunique()
        if (per_sample <= 1).all():
            obs[column] = frame.groupby(sample_col, sort=False)[column].first().reindex(wide.index).to_numpy()

    uns: dict[str, object] = {"value_kind": value_kind, "source_file": path.name}
    layers = {}
    if value_kind == "ct":
        refs = list(reference_genes or [])
        if not refs:
            msg = "Ct values need reference genes to normalise against"
            raise InputError(
                msg,
                source=path,
                fix="pass reference_genes=[...] (CLI: --reference-genes ACTB,GAPDH), or value_kind='log2' "
                "if the values are already ΔCt",
            )
        absent = [g for g in refs if g not in wide.columns]
        if absent:
            known = ", ".join(wide.columns[:12])
            msg = f"reference gene(s) {', '.join(absent)} not in the table (genes: {known})"
            raise InputError(
                msg,
                source=path,
                item=absent[0],
            )
        ct = wide.to_numpy(dtype=float)
        finite = ct[np.isfinite(ct)]
        if finite.size and (finite.min() < 0 or finite.max() > 50):
            msg = f"values range {finite.min():.2f}…{finite.max():.2f}, impossible for Ct (0–50)"
            raise InputError(
                msg,
                source=path,
                fix="these are not Ct values; use value_kind='log2' or 'ratio'",
            )
        ref_ct = wide[refs]
        lacking = ref_ct.isna().any(axis=1)
        if lacking.any():
            sample = str(ref_ct.index[lacking][0])
            msg = f"{int(lacking.sum())} sample(s) lack a reference-gene Ct (first: {sample})"
            raise InputError(
                msg,
                source=path,
                item=sample,
                fix="re-run or drop those samples; a sample cannot be normalised without its reference genes",
            )
        ref_mean = ref_ct.mean(axis=1)
        targets = wide.drop(columns=refs)
        values = ref_mean.to_numpy()[:, None] - targets.to_numpy(dtype=float)
        layers["ct"] = targets.to_numpy(dtype=float)
        obs["reference_ct"] = ref_mean.to_numpy()
        uns.update(
            reference_genes=refs,
            transform="-ΔCt = mean(Ct of reference genes) - Ct(gene); log2 relative expression, "
            "100% efficiency assumed; non-detects NaN",
        )
        genes = list(targets.columns)
    else:
        genes = list(wide.columns)
        values = wide.to_numpy(dtype=float)
        if value_kind == "ratio":
            if np.any(values[np.isfinite(values)] <= 0):
                msg = "ratio values must be positive"
                raise InputError(msg, source=path, fix="use value_kind='log2'")
            values = np.log2(values)
            uns["transform"] = "log2(ratio)"
        elif not allow_ct_like:
            check_not_ct(values, source=str(path), what="log2 relative expression values")
    adata = ad.AnnData(
        X=values, obs=obs, var=pd.DataFrame(index=pd.Index([str(g) for g in genes])), layers=layers
    )
    adata.uns["qpcr"] = uns
    return adata


def read_expression_csv(
    path: str | os.PathLike[str],
    *,
    sample_col: str | None = None,
    orient: Literal["samples_rows", "genes_rows"] = "samples_rows",
    obs_columns: Sequence[str] = (),
    sep: str | None = None,
) -> AnnData:
    """Read a plain wide expression table (CSV/TSV).

    Parameters
    ----------
    path
        The table; the first column (or ``sample_col``) holds sample ids.
    sample_col
        Sample-id column (``samples_rows``) / gene column (``genes_rows``); first column by default.
    orient
        ``"samples_rows"``: rows are samples, columns genes. ``"genes_rows"``: the transpose.
    obs_columns
        Columns to keep as sample annotation even if numeric (e.g. a 0/1 label).
        Non-numeric columns always go to ``obs``.
    sep
        Field separator; guessed by default.

    Returns
    -------
    AnnData samples × genes, values as given (no transform).
    """
    import anndata as ad

    path = Path(path)
    frame = _read_table(path, sep)
    if frame.empty:
        msg = "the table has no rows"
        raise InputError(msg, source=path)
    key = sample_col or frame.columns[0]
    if key not in frame.columns:
        msg = f"no column {key!r}; the header has: {', '.join(frame.columns[:10])}"
        raise InputError(msg, source=path, line=1)
    ids = frame[key].str.strip()
    dup = ids.duplicated(keep=False)
    if dup.any():
        first = ids[dup].iloc[0]
        lines = (np.flatnonzero((ids == first).to_numpy()) + int(frame.attrs["first_row_line"])).tolist()
        what = "sample" if orient == "samples_rows" else "gene"
        msg = f"{what} {first!r} appears {len(lines)} times (lines {', '.join(map(str, lines))})"
        raise InputError(
            msg,
            source=path,
            line=int(lines[1]),
            item=str(first),
            fix=f"give every {what} one row (average replicates first, or rename distinct {what}s)",
        )
    first = int(frame.attrs["first_row_line"])
    frame = frame.drop(columns=[key])
    frame.index = pd.Index(ids.to_numpy(), name="sample" if orient == "samples_rows" else "gene")
    if orient == "genes_rows":
        numeric = pd.DataFrame(
            {
                c: _to_float(frame[c], path=path, column=c, allow_nondetect=False, first_line=first)
                for c in frame.columns
            },
            index=frame.index,
        ).T
        obs = pd.DataFrame(index=numeric.index.astype(str))
    else:
        gene_cols, obs_cols = [], []
        for column in frame.columns:
            text = frame[column].str.strip()
            parsed = pd.to_numeric(text, errors="coerce")
            blank = text.isin(["", "NA", "NaN", "nan"])
            numeric_ok = (parsed.notna() | blank).all()
            mostly = parsed.notna().sum() > (~blank).sum() / 2
            if not numeric_ok and mostly and column not in obs_columns:
                # one 'n.d.' among numbers is a damaged cell, not a sample annotation: say where
                _to_float(frame[column], path=path, column=column, allow_nondetect=False, first_line=first)
            (gene_cols if numeric_ok and column not in obs_columns else obs_cols).append(column)
        numeric = pd.DataFrame(
            {
                c: _to_float(frame[c], path=path, column=c, allow_nondetect=False, first_line=first)
                for c in gene_cols
            },
            index=frame.index,
        )
        if not gene_cols:
            msg = f"no numeric gene column (columns: {', '.join(map(str, frame.columns[:6]))})"
            raise InputError(msg, source=path, line=first - 1, fix="check the separator (pass sep=)")
        obs = frame[obs_cols].copy()
        obs.index = obs.index.astype(str)
        if obs_cols:
            logger.info(
                "%s: non-gene column(s) kept as sample annotation: %s", path.name, ", ".join(obs_cols)
            )
    return ad.AnnData(
        X=numeric.to_numpy(dtype=float),
        obs=obs,
        var=pd.DataFrame(index=pd.Index([str(c) for c in numeric.columns])),
    )
