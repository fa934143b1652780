"""GEO series matrix files and platform tables → AnnData (samples × genes).

A series matrix (``GSE49515_series_matrix.txt.gz``) has ``!Series_*`` and
``!Sample_*`` header lines (one tab-separated, double-quoted value per sample)
and the expression table between ``!series_matrix_table_begin`` and
``!series_matrix_table_end`` (first row ``"ID_REF"`` + GSM ids; rows = probes).

Probe → gene mapping (:func:`collapse_probes`)
----------------------------------------------
With a platform table (e.g. GPL570, columns ``ID`` and ``Gene Symbol``), probes
are collapsed to genes by one documented rule:

1. A probe annotated with several genes (``"HSPA1A /// HSPA1B"``) counts for
   each of them, but only as a *fallback*: a gene measured by at least one
   probe that maps to it alone uses those probes only (``multi_gene="drop"``
   never uses multi-gene probes).
2. Among the remaining candidate probes of a gene, the one with the **highest
   mean expression** over all samples is kept (ties: the first in table order);
   ``var["probe_id"]`` names it and ``var["n_probes"]`` counts the candidates.
3. Probes with an empty or ``---`` symbol, and probes absent from the platform
   table, map to no gene; they are dropped and counted in
   ``uns["geo"]["n_probes_unmapped"]``. If *no* probe maps, the platform is wrong
   and an :class:`~omicsdl.InputError` says so.

Scale: with ``log2="auto"`` the values are log2-transformed when they look
linear, by the rule GEO2R uses (99th percentile > 100, or range > 50 with a
positive lower quartile); non-positive values then become ``NaN``.
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
from omicsdl.io._text import read_text

if TYPE_CHECKING:
    import os

    from anndata import AnnData

__all__ = ["collapse_probes", "read_geo_platform", "read_geo_series_matrix"]

logger = logging.getLogger(__name__)

_SYMBOL_COLUMNS = (
    "Gene Symbol",
    "GENE_SYMBOL",
    "Gene symbol",
    "Symbol",
    "IDENTIFIER",
    "gene_symbol",
    "SYMBOL",
)
_NO_GENE = {"", "---", "NA", "nan", "None"}
_NULL_VALUES = ["", "null", "NULL", "NA", "NaN", "nan", "N/A"]
#: a series matrix row holds one value per sample: 16 M characters fit ~1 M samples
_MAX_LINE = 2**24


def _open_text(path: Path, what: str) -> list[str]:
    """The lines of ``path`` (gzip by content, strict UTF-8: a bad byte is an error, never U+FFFD)."""
    return read_text(path, what=what, max_line_chars=_MAX_LINE).splitlines(keepends=True)


def _cells(line: str, source: Path) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quotechar='"'))
    except csv.Error as err:  # e.g. one quoted field of megabytes
        msg = f"a line cannot be split into tab-separated fields ({err})"
        raise InputError(msg, source=source, fix="the file is damaged; download it again") from err


def read_geo_platform(path: str | os.PathLike[str], *, symbol_column: str | None = None) -> pd.Series:
    """Read a GEO platform table: probe id → gene symbol string.

    Accepts the full table from GEO (``GPL570-55999.txt``, ``#`` comment lines then
    a header), SOFT / ``.annot`` files (table between ``!platform_table_begin`` and
    ``!platform_table_end``), gzipped or not.

    Parameters
    ----------
    path
        The platform file.
    symbol_column
        Column holding gene symbols; by default the first of ``Gene Symbol``,
        ``GENE_SYMBOL``, ``Symbol``, ``IDENTIFIER`` … that exists.

    Returns
    -------
    Series indexed by probe id (``ID``), values the raw symbol text (may hold ``///``).
    """
    path = Path(path)
    lines = _open_text(path, "GEO platform table")
    begin = next(
        (i for i, line in enumerate(lines) if line.lower().startswith("!platform_table_begin")), None
    )
    if begin is not None:
        end = next(
            (i for i, line in enumerate(lines) if line.lower().startswith("!platform_table_end")), len(lines)
        )
        body, first = lines[begin + 1 : end], begin + 2
    else:
        skip = 0
        while skip < len(lines) and (lines[skip].startswith(("#", "!", "^")) or not lines[skip].strip()):
            skip += 1
        body, first = lines[skip:], skip + 1
    if not body:
        msg = "no platform table found"
        raise InputError(msg, source=path, fix="pass the GEO platform (GPL) table file")
    header = _cells(body[0], path)
    if "ID" not in header:
        msg = f"platform table has no 'ID' column (header: {header[:6]})"
        raise InputError(msg, source=path, line=first)
    column = symbol_column or next((c for c in _SYMBOL_COLUMNS if c in header), None)
    if column is None or column not in header:
        msg = f"platform table has no gene-symbol column (looked for {symbol_column or _SYMBOL_COLUMNS})"
        raise InputError(
            msg,
            source=path,
            line=first,
            fix="name it with symbol_column= (CLI: --symbol-column)",
        )
    i_id, i_sym = header.index("ID"), header.index(column)
    ids, symbols = [], []
    for line in body[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        cells = _cells(line, path)
        ids.append(cells[i_id] if i_id < len(cells) else "")
        symbols.append(cells[i_sym].strip() if i_sym < len(cells) else "")
    if not ids:
        msg = "the platform table has a header but no probe rows"
        raise InputError(msg, source=path, line=first, fix="pass the full GEO platform (GPL) table")
    mapping = pd.Series(symbols, index=pd.Index(ids, name="ID"), name=column)
    if not mapping.index.is_unique:
        dup = mapping.index[mapping.index.duplicated()][0]
        msg = "duplicated probe id in the platform table"
        raise InputError(msg, source=path, item=str(dup))
    return mapping


def _log2_auto(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return False
    q = np.quantile(finite, [0.0, 0.25, 0.5, 0.75, 0.99, 1.0])
    return bool(q[4] > 100 or (q[5] - q[0] > 50 and q[1] > 0))


def collapse_probes(
    expr: pd.DataFrame,
    platform: pd.Series,
    *,
    multi_gene: Literal["fallback", "drop"] = "fallback",
    source: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Collapse a probes × samples table to genes × samples (rule in the module docstring).

    Parameters
    ----------
    expr
        Probes × samples values, indexed by probe id.
    platform
        Probe id → gene symbol(s) (``///``-separated), from the GPL table.
    multi_gene
        Probes mapped to several genes: ``"fallback"`` (used only for genes
        without a single-gene probe) or ``"drop"``.
    source
        The file, named in errors.

    Returns
    -------
    ``(genes × samples table, var frame with probe_id/n_probes, counts)``.
    """
    if multi_gene not in ("fallback", "drop"):
        msg = f"multi_gene must be 'fallback' or 'drop', got {multi_gene!r}"
        raise InputError(msg)
    symbols = platform.reindex(expr.index)
    not_in_platform = int(symbols.isna().sum())
    symbols = symbols.fillna("").astype(str)
    lists = symbols.str.split("///").map(
        lambda parts: [p.strip() for p in parts if p.strip() not in _NO_GENE]
    )
    long = pd.DataFrame({"probe_id": expr.index, "genes": lists.to_numpy(), "order": np.arange(len(expr))})
    long["n_genes"] = long["genes"].map(len)
    no_gene = int((long["n_genes"] == 0).sum())
    with np.errstate(all="ignore"):
        long["mean"] = np.nanmean(expr.to_numpy(dtype=float), axis=1) if expr.shape[1] else 0.0
    long = long[long["n_genes"] > 0].explode("genes").rename(columns={"genes": "gene"})
    long["tier"] = (long["n_genes"] > 1).astype(int)
    if multi_gene == "drop":
        long = long[long["tier"] == 0]
    counts = {
        "n_probes": len(expr),
        "n_probes_not_in_platform": not_in_platform,
        "n_probes_unmapped": no_gene,
        "n_probes_multi_gene": int((lists.map(len) > 1).sum()),
    }
    if long.empty:
        msg = (
            f"none of the {len(expr)} probes maps to a gene ({not_in_platform} are not in the platform "
            f"table, the others have no symbol)"
        )
        raise InputError(
            msg,
            source=source,
            fix="pass the platform (GPL) table that matches this series (see !Series_platform_id)",
        )
    best_tier = long.groupby("gene")["tier"].transform("min")
    long = long[long["tier"] == best_tier]
    n_cand = long.groupby("gene").size()
    long = long.assign(neg_mean=-long["mean"].fillna(-np.inf)).sort_values(["gene", "neg_mean", "order"])
    chosen = long.drop_duplicates("gene", keep="first").set_index("gene")
    genes = expr.loc[chosen["probe_id"].to_numpy()]
    genes.index = chosen.index
    var = pd.DataFrame(
        {"probe_id": chosen["probe_id"].astype(str), "n_probes": n_cand.reindex(chosen.index).astype(int)},
        index=chosen.index,
    )
    if not_in_platform or no_gene:
        logger.info(
            "%s: %d probe(s) not in the platform table and %d without a gene symbol were dropped",
            source or "series matrix",
            not_in_platform,
            no_gene,
        )
    counts["n_genes"] = len(var)
    return genes, var, counts


def read_geo_series_matrix(
    path: str | os.PathLike[str],
    *,
    platform: str | os.PathLike[str] | pd.Series | None = None,
    multi_gene: Literal["fallback", "drop"] = "fallback",
    log2: Literal["auto"] | bool = "auto",
    symbol_column: str | None = None,
) -> AnnData:
    """Read a GEO series matrix file into AnnData (samples × probes or genes).

    Parameters
    ----------
    path
        ``GSE*_series_matrix.txt(.gz)``.
    platform
        Platform table (path or the Series from :func:`read_geo_platform`). With it,
        probes are collapsed to genes (rule in the module docstring); without it,
        ``var_names`` are probe ids.
    multi_gene
        ``"fallback"``: ``///`` probes are used for a gene only if it has no unique
        probe; ``"drop"``: never.
    log2
        ``"auto"`` (GEO2R rule), ``True`` or ``False``.
    symbol_column
        Gene-symbol column of the platform table (auto-detected by default).

    Returns
    -------
    AnnData with ``obs`` = samples (GSM ids) carrying every ``!Sample_*`` field
    (``title``, ``source_name_ch1``, …) and one column per characteristic
    (``"disease state: HCC"`` → column ``disease state``); ``var`` with
    ``probe_id``/``n_probes`` when collapsed; ``uns["geo"]`` with the
    ``!Series_*`` fields, ``log2_applied`` and the probe-mapping counts.
    """
    import anndata as ad

    path = Path(path)
    series: dict[str, str] = {}
    fields: dict[str, list[list[str]]] = {}
    header: list[str] | None = None
    header_line = 0
    rows: list[str] = []
    row_lines: list[int] = []
    in_table = ended = False
    for lineno, line in enumerate(_open_text(path, "GEO series matrix"), start=1):
        if in_table:
            if line.lower().startswith("!series_matrix_table_end"):
                in_table, ended = False, True
                continue
            if not line.strip():
                continue
            if header is None:
                header, header_line = _cells(line, path), lineno
                if len(header) < 2:
                    msg = "the expression table header has no sample columns (not tab-separated?)"
                    raise InputError(
                        msg, source=path, line=lineno, fix="pass the series matrix as GEO ships it"
                    )
                continue
            n_cells = line.count("\t") + 1
            if n_cells != len(header):
                msg = f"table row has {n_cells} cells, the header has {len(header)}"
                raise InputError(
                    msg,
                    source=path,
                    line=lineno,
                    fix="the file is truncated or corrupt; re-download it",
                )
            rows.append(line)
            row_lines.append(lineno)
            continue
        if line.lower().startswith("!series_matrix_table_begin"):
            in_table = True
            continue
        if line.startswith("!Series_"):
            cells = _cells(line, path)
            key = cells[0][len("!Series_") :]
            value = "; ".join(c for c in cells[1:] if c)
            series[key] = f"{series[key]}; {value}" if key in series else value
        elif line.startswith("!Sample_"):
            cells = _cells(line, path)
            fields.setdefault(cells[0][len("!Sample_") :], []).append(cells[1:])
        elif line.strip() and not line.startswith(("!", "^", "#")):
            msg = f"unexpected line outside the expression table: {line.strip()[:40]!r}"
            raise InputError(msg, source=path, line=lineno, fix="the file is damaged; re-download it")
    if header is None or not (ended or rows):
        msg = "no expression table between !series_matrix_table_begin and !series_matrix_table_end"
        raise InputError(
            msg,
            source=path,
            fix="pass a GEO series matrix file (GSE*_series_matrix.txt.gz)",
        )
    samples = [s.strip() for s in header[1:]]
    seen: set[str] = set()
    for s in samples:
        if s in seen:
            msg = "duplicated sample column in the expression table"
            raise InputError(msg, source=path, line=header_line, item=s)
        seen.add(s)

    accession = fields.get("geo_accession", [samples])[0]
    if list(accession) != samples:
        missing = sorted(set(samples) ^ set(accession))
        msg = (
            f"expression columns and !Sample_geo_accession disagree ({len(samples)} vs {len(accession)} "
            f"samples; e.g. {missing[:3]})"
        )
        raise InputError(
            msg,
            source=path,
            line=header_line,
            fix="the header and table come from different files; re-download the series matrix",
        )
    columns: dict[str, dict[str, str]] = {}
    owner: dict[str, int] = {}  # characteristic column -> header line that introduced it
    for key, lines in fields.items():
        for k, values in enumerate(lines):
            if len(values) != len(samples):
                msg = f"!Sample_{key} has {len(values)} values for {len(samples)} samples"
                raise InputError(
                    msg,
                    source=path,
                    item=key,
                )
            if key.startswith("characteristics"):
                for sample, cell in zip(samples, values, strict=True):
                    name, sep, value = cell.partition(":")
                    column = name.strip() if sep else f"{key}_{k + 1}"
                    if column in fields:
                        column = f"characteristics_{column}"
                    if owner.setdefault(column, k) != k:  # the same key on two lines: keep both
                        column = f"{column}_{k + 1}"
                    columns.setdefault(column, {})[sample] = value.strip() if sep else cell.strip()
            else:
                columns[key if k == 0 else f"{key}_{k + 1}"] = dict(zip(samples, values, strict=True))
    obs = pd.DataFrame(
        {name: pd.array([col.get(s) for s in samples], dtype="string") for name, col in columns.items()},
        index=pd.Index(samples, name="sample"),
    )

    values = pd.read_csv(
        io.StringIO("".join(rows)),
        sep="\t",
        header=None,
        quotechar='"',
        dtype={0: str},
        na_values=_NULL_VALUES,
        keep_default_na=False,
    )
    numeric = values.iloc[:, 1:].apply(pd.to_numeric, errors="coerce")
    numeric.index = pd.Index(values.iloc[:, 0].astype(str).str.strip(), name="ID_REF")
    numeric.columns = samples
    bad = numeric.isna().to_numpy() & values.iloc[:, 1:].notna().to_numpy()
    if bad.any():
        r, c = np.argwhere(bad)[0]
        msg = f"non-numeric expression value {values.iat[r, c + 1]!r}"
        raise InputError(msg, source=path, line=row_lines[int(r)], item=samples[int(c)])
    if not numeric.index.is_unique:
        dup = numeric.index[numeric.index.duplicated()][0]
        msg = "duplicated probe id in the expression table"
        raise InputError(msg, source=path, item=str(dup))
    matrix = numeric.to_numpy(dtype=float)
    if np.isinf(matrix).any():
        r, c = np.argwhere(np.isinf(matrix))[0]
        msg = f"infinite expression value {values.iat[r, c + 1]!r}"
        raise InputError(
            msg, source=path, line=row_lines[int(r)], item=samples[int(c)], fix="correct the cell"
        )
    apply_log = _log2_auto(matrix) if log2 == "auto" else bool(log2)
    if apply_log:
        with np.errstate(divide="ignore", invalid="ignore"):
            matrix = np.where(matrix > 0, np.log2(np.where(matrix > 0, matrix, 1.0)), np.nan)
        numeric = pd.DataFrame(matrix, index=numeric.index, columns=samples)
        logger.info("%s: values look linear; log2-transformed them (non-positive → NaN)", path.name)
    uns_geo: dict[str, object] = {"series": series, "log2_applied": apply_log, "source_file": path.name}
    if platform is not None:
        table = (
            platform
            if isinstance(platform, pd.Series)
            else read_geo_platform(platform, symbol_column=symbol_column)
        )
        genes, var, counts = collapse_probes(numeric, table, multi_gene=multi_gene, source=str(path))
        uns_geo.update(counts)
        uns_geo["probe_rule"] = f"unique probes first (multi_gene={multi_gene}), then highest mean expression"
        X = genes.T.to_numpy(dtype=float)
    else:
        var = pd.DataFrame(index=numeric.index.astype(str))
        X = matrix.T
    var.index = var.index.astype(str)
    adata = ad.AnnData(X=X, obs=obs, var=var)
    adata.uns["geo"] = uns_geo
    return adata
