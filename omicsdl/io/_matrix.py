"""Expression/methylation matrices as mirrors ship them → AnnData (samples × features).

Firehose/DeepProg tables are samples × features with dotted ids
(``TCGA.2V.A95S.01``); UCSC Xena matrices are features × samples
(``TCGA-2V-A95S-01`` column headers); plain CSV/TSV can be either.
:func:`read_matrix` works out the orientation only when it is unambiguous —
TCGA barcodes on exactly one axis — and otherwise asks for it.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import all_barcodes, parse_barcode
from omicsdl.io._text import parse_errors, read_text

if TYPE_CHECKING:
    import os

    from anndata import AnnData

__all__ = ["read_matrix"]

logger = logging.getLogger(__name__)

Orientation = Literal["auto", "samples_x_features", "features_x_samples"]
_PLACEHOLDERS = {"?", "", "nan", "NA"}
_MISSING = ["", "NA", "NaN", "nan", "NULL", "null"]


def _separator(path: Path, sep: str | None) -> str:
    if sep is not None:
        return sep
    name = path.name.lower().removesuffix(".gz").removesuffix(".bz2").removesuffix(".zip")
    if name.endswith(".csv"):
        return ","
    return "\t"


def _read_table(path: Path, sep: str) -> pd.DataFrame:
    """Numeric cells parsed by the C engine; header read apart so repeated names stay as written."""
    import csv

    # a 450k-probe matrix row is ~5 M characters; a NUL, bad byte or broken gzip is refused here
    text = read_text(path, what="matrix", max_line_chars=2**26)
    first = text.split("\n", 1)[0]
    with parse_errors(path, what="matrix"):
        header = [c.strip() for c in next(csv.reader([first], delimiter=sep))] if first.strip() else []
        if len(header) < 2 or "\n" not in text.strip():
            msg = "the table has a single column" if len(header) < 2 else "the table has a header but no rows"
            raise InputError(msg, source=path, line=1, fix="check the separator (pass sep=)")
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            skiprows=1,
            index_col=0,
            na_values=_MISSING,
            keep_default_na=False,
        )
    if frame.shape[1] == 0:
        msg = "the table has a single column"
        raise InputError(msg, source=path, line=1, fix="check the separator (pass sep=)")
    if len(header) - 1 != frame.shape[1]:
        msg = f"the header names {len(header) - 1} columns but rows hold {frame.shape[1]}"
        raise InputError(msg, source=path, line=1, fix="the file is damaged or not a matrix")
    frame.columns = header[1:]
    frame.index = [str(i).strip() for i in frame.index]
    return frame


def _feature_names(names: list[str], path: Path) -> list[str]:
    out = []
    n_placeholder = 0
    for name in names:
        if name in _PLACEHOLDERS or name.startswith("Unnamed: "):
            n_placeholder += 1
            out.append(f"unnamed_gene_{n_placeholder:02d}")
        else:
            out.append(name)
    if n_placeholder:
        logger.warning("%s: %d unnamed feature(s) ('?') renamed unnamed_gene_NN", path, n_placeholder)
    return out


def _resolve_duplicates(
    values: np.ndarray, features: list[str], how: str, path: Path
) -> tuple[np.ndarray, list[str]]:
    index = pd.Index(features)
    if not index.has_duplicates:
        return values, features
    dup = index[index.duplicated()].unique()
    if how == "error":
        msg = f"{len(dup)} feature name(s) appear more than once, e.g. {dup[0]!r}"
        raise InputError(
            msg,
            source=path,
            item=str(dup[0]),
            fix="pass duplicates='suffix', 'first' or 'mean' to say how to keep them",
        )
    logger.warning("%s: %d duplicated feature name(s) (e.g. %s): %s", path, len(dup), dup[0], how)
    if how == "suffix":  # AGAP4, AGAP4.1 — as pandas and the Firehose tables name them
        seen: dict[str, int] = {}
        renamed = []
        for name in features:
            n = seen.get(name, 0)
            seen[name] = n + 1
            renamed.append(name if n == 0 else f"{name}.{n}")
        return values, renamed
    frame = pd.DataFrame(values.T, index=index)
    grouped = frame.groupby(level=0, sort=False)
    frame = grouped.first() if how == "first" else grouped.mean()
    return frame.to_numpy().T.copy(), [str(i) for i in frame.index]


def _to_numbers(frame: pd.DataFrame, path: Path, orientation: str) -> np.ndarray:
    for position, column in enumerate(frame.columns):
        series = frame.iloc[:, position]
        if series.dtype.kind in "fiu":
            continue
        parsed = pd.to_numeric(series, errors="coerce")
        bad = parsed.isna() & series.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            sample, feature = frame.index[row], column
            if orientation == "features_x_samples":
                sample, feature = feature, sample
            msg = f"value {series.iloc[row]!r} is not a number"
            raise InputError(
                msg, source=path, line=row + 2, item=f"{sample} / {feature}", fix="correct or blank the cell"
            )
    values = frame.to_numpy(dtype=float)
    if np.isinf(values).any():
        row, col = np.argwhere(np.isinf(values))[0]
        sample, feature = frame.index[row], frame.columns[col]
        if orientation == "features_x_samples":
            sample, feature = feature, sample
        msg = "infinite value"
        raise InputError(
            msg, source=path, line=int(row) + 2, item=f"{sample} / {feature}", fix="correct or blank the cell"
        )
    return values


def read_matrix(
    path: str | os.PathLike[str],
    *,
    orientation: Orientation = "auto",
    sep: str | None = None,
    modality: str | None = None,
    units: str | None = None,
    duplicates: Literal["error", "suffix", "first", "mean"] = "suffix",
) -> AnnData:
    """Read a samples × features or features × samples matrix (CSV/TSV, optionally gzipped).

    Parameters
    ----------
    path
        The table; the first column holds row ids and the first row column ids.
        The separator follows the extension (``.csv`` → comma, else tab).
    orientation
        ``"auto"`` decides only when TCGA barcodes (dots or dashes) label
        exactly one axis; ``"samples_x_features"`` (Firehose, DeepProg) or
        ``"features_x_samples"`` (UCSC Xena) say it outright.
    sep
        Separator, when the extension does not tell.
    modality
        ``"rna"``, ``"mirna"`` or ``"methylation"``: check the values' units
        (expression non-negative; methylation beta values in [0, 1]).
    units
        Free text stored in ``uns["omicsdl"]["units"]`` (e.g. ``"RSEM normalised counts"``).
    duplicates
        Repeated feature names: ``"suffix"`` (default) keeps all, renaming the
        repeats ``NAME.1``, ``NAME.2`` (as pandas and the Firehose tables do);
        ``"first"`` keeps the first; ``"mean"`` averages them; ``"error"`` refuses.

    Returns
    -------
    AnnData samples × features; TCGA ids are normalised to dashes
    (``TCGA-2V-A95S-01``); unnamed ``?`` features become ``unnamed_gene_NN``.

    Raises
    ------
    InputError
        Ambiguous orientation, non-numeric cells (file, line, sample and
        feature named), duplicated ids, values in the wrong units.

    Examples
    --------
    >>> mirna = od.io.read_matrix("mir.tsv.gz", modality="mirna")  # doctest: +SKIP
    """
    import anndata as ad

    path = Path(path)
    if not path.is_file():
        msg = "file not found"
        raise InputError(msg, source=path, fix="check the path")
    frame = _read_table(path, _separator(path, sep))
    rows_tcga, cols_tcga = all_barcodes(frame.index), all_barcodes(frame.columns)
    if orientation == "auto":
        if rows_tcga and not cols_tcga:
            orientation = "samples_x_features"
        elif cols_tcga and not rows_tcga:
            orientation = "features_x_samples"
        else:
            what = "both axes" if rows_tcga else "neither axis"
            msg = f"cannot tell samples from features: TCGA barcodes label {what}"
            raise InputError(
                msg,
                source=path,
                item=f"rows {list(frame.index[:2])}, columns {list(frame.columns[:2])}",
                fix="pass orientation='samples_x_features' (Firehose, DeepProg) or "
                "'features_x_samples' (UCSC Xena)",
            )
    values = _to_numbers(frame, path, orientation)
    samples, features = list(frame.index), list(frame.columns)
    if orientation == "features_x_samples":
        values, samples, features = values.T, features, samples
    elif orientation != "samples_x_features":
        msg = f"orientation must be 'auto', 'samples_x_features' or 'features_x_samples', got {orientation!r}"
        raise InputError(msg)
    if (orientation == "samples_x_features" and rows_tcga) or (
        orientation == "features_x_samples" and cols_tcga
    ):
        samples = [str(parse_barcode(s)) for s in samples]
    sample_index = pd.Index(samples, name="sample")
    if sample_index.has_duplicates:
        dup = sample_index[sample_index.duplicated()][0]
        msg = f"sample {dup} appears more than once"
        raise InputError(msg, source=path, item=dup, fix="keep one column/row per sample")
    if duplicates not in ("error", "suffix", "first", "mean"):
        msg = f"duplicates must be 'error', 'suffix', 'first' or 'mean', got {duplicates!r}"
        raise InputError(msg)
    values, features = _resolve_duplicates(
        values, _feature_names([str(f) for f in features], path), duplicates, path
    )
    if modality is not None:
        _check_units(values, modality, path, sample_index, features)
    adata = ad.AnnData(X=values, obs=pd.DataFrame(index=sample_index), var=pd.DataFrame(index=features))
    adata.uns["omicsdl"] = {"units": units or "", "source": str(path), "orientation": orientation}
    logger.info("read %s: %d samples x %d features (%s)", path, adata.n_obs, adata.n_vars, orientation)
    return adata


def _check_units(
    values: np.ndarray, modality: str, path: Path, samples: pd.Index, features: list[str]
) -> None:
    finite = np.isfinite(values)
    if modality in ("rna", "mirna") and (values[finite] < 0).any():
        row, col = np.argwhere(finite & (values < 0))[0]
        msg = f"negative {modality} expression {values[row, col]:g}: wrong units for the cohort"
        raise InputError(
            msg,
            source=path,
            item=f"{samples[row]} / {features[col]}",
            fix="pass non-negative expression (counts, RPM, RSEM, TPM), not log-ratios or z-scores",
        )
    if modality == "methylation" and ((values[finite] < 0).any() or (values[finite] > 1).any()):
        bad = finite & ((values < 0) | (values > 1))
        row, col = np.argwhere(bad)[0]
        msg = f"methylation value {values[row, col]:g} is not a beta value in [0, 1] (M-values?)"
        raise InputError(
            msg,
            source=path,
            item=f"{samples[row]} / {features[col]}",
            fix="convert M-values with beta = 2^M / (1 + 2^M)",
        )
