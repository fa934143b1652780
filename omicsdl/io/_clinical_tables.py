"""Survival and clinical tables from mirrors → patient-indexed clinical table.

Recognised layouts (by their columns):

============================  ==========================  =========================
layout                        duration / event            also read
============================  ==========================  =========================
DeepProg / Survival-HCC       ``days`` / ``event``
UCSC Xena clinical matrix     ``_OS`` / ``_OS_IND``       ``_RFS``/``_RFS_IND``,
                                                          stage, grade, age, sex
UCSC Xena survival table      ``OS.time`` / ``OS``
generic                       ``os_days``, ``futime``,    ``stage``, ``grade``,
                              ``OStime``, ``time`` /      ``age``, ``sex``/``gender``
                              ``os_event``, ``fustat``,
                              ``status``, ``vital_status``
============================  ==========================  =========================

Rows are samples or patients; TCGA sample ids (dots or dashes) are reduced to
patients, preferring the primary-tumour row when a patient has several.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import Barcode, parse_barcode
from omicsdl.io._clinical_values import clinical_frame, normalise_grade, normalise_sex, normalise_stage
from omicsdl.io._text import check_rectangular, parse_errors, read_text

if TYPE_CHECKING:
    import os

__all__ = ["read_survival"]

logger = logging.getLogger(__name__)

_DURATION = ("os_days", "days", "_OS", "OS.time", "OStime", "os_time", "futime", "time", "survival_time")
_EVENT = ("os_event", "event", "_OS_IND", "OS", "fustat", "status", "vital_status")
_RFS = (("rfs_days", "rfs_event"), ("_RFS", "_RFS_IND"), ("RFS.time", "RFS"))
_STAGE = ("stage", "pathologic_stage", "ajcc_pathologic_tumor_stage")
_GRADE = ("grade", "neoplasm_histologic_grade", "histologic_grade")
_AGE = ("age", "age_at_initial_pathologic_diagnosis", "age_at_diagnosis")
_SEX = ("sex", "gender")
_ID = ("sampleID", "sample", "Samples", "patient", "_PATIENT", "id", "rownames", "bcr_patient_barcode")
_EVENT_WORDS = {
    "1": True, "1.0": True, "true": True, "dead": True, "deceased": True, "yes": True,
    "0": False, "0.0": False, "false": False, "alive": False, "living": False, "no": False,
}  # fmt: skip
_MISSING = {
    "",
    "na",
    "nan",
    "unknow",
    "unknown",
    "[not available]",
    "[not applicable]",
    "[discrepancy]",
    "none",
}
_TO_DAYS = {"days": 1.0, "months": 365.25 / 12, "years": 365.25}
#: 120 years in days: the largest duration accepted (in the file's unit it is compared after conversion)
_MAX_DURATION = 120 * 365.25


def _first(columns: pd.Index, names: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    for name in names:
        if name in columns:
            return name
        if name.lower() in lower:
            return lower[name.lower()]
    return None


def _events(series: pd.Series, path: Path, column: str, ids: pd.Index) -> pd.Series:
    out = []
    for row, value in enumerate(series.astype(str).str.strip().str.lower()):
        if value in _MISSING:
            out.append(pd.NA)
        elif value in _EVENT_WORDS:
            out.append(_EVENT_WORDS[value])
        else:
            msg = (
                f"event value {series.iloc[row]!r} in column {column!r} is not 0/1, true/false or dead/alive"
            )
            raise InputError(
                msg, source=path, line=row + 2, item=str(ids[row]), fix="code events as 1 (death) / 0"
            )
    return pd.Series(out, index=series.index, dtype="boolean")


def _durations(series: pd.Series, path: Path, column: str, ids: pd.Index) -> pd.Series:
    text = series.astype(str).str.strip()
    numbers = pd.to_numeric(text.where(~text.str.lower().isin(_MISSING)), errors="coerce")
    bad = numbers.isna() & ~text.str.lower().isin(_MISSING)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        msg = f"duration {series.iloc[row]!r} in column {column!r} is not a number"
        raise InputError(msg, source=path, line=row + 2, item=str(ids[row]), fix="correct or blank the cell")
    if (numbers < 0).any():
        row = int(np.flatnonzero((numbers < 0).to_numpy())[0])
        msg = f"negative duration {numbers.iloc[row]:g} in column {column!r}"
        raise InputError(
            msg, source=path, line=row + 2, item=str(ids[row]), fix="durations count from diagnosis"
        )
    absurd = np.isinf(numbers) | (numbers > _MAX_DURATION)
    if absurd.any():
        row = int(np.flatnonzero(absurd.to_numpy())[0])
        msg = f"duration {series.iloc[row]!r} in column {column!r} is impossible (more than 120 years)"
        raise InputError(msg, source=path, line=row + 2, item=str(ids[row]), fix="correct or blank the cell")
    return numbers.astype("float64")


def read_survival(
    path: str | os.PathLike[str],
    *,
    time_unit: Literal["days", "months", "years"] = "days",
    sep: str | None = None,
) -> pd.DataFrame:
    """Read a survival or clinical table (DeepProg, UCSC Xena, generic) into the cohort's clinical columns.

    Parameters
    ----------
    path
        The table (TSV, or CSV by extension; optionally gzipped).
    time_unit
        Unit of the durations in the file; converted to days. A table whose
        durations all look like months or years while ``"days"`` is declared
        is refused (wrong units).
    sep
        Separator, when the extension does not tell.

    Returns
    -------
    Patient-indexed table: ``os_days``, ``os_event`` and, where the source has
    them, ``rfs_days``, ``rfs_event``, ``stage``, ``grade``, ``age``, ``sex``.

    Raises
    ------
    InputError
        No recognisable duration/event columns, non-numeric durations, odd
        event codes, wrong time units, or conflicting rows for one patient.

    Examples
    --------
    >>> clinical = od.io.read_survival("xena_LIHC_clinicalMatrix.tsv.gz")  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        msg = "file not found"
        raise InputError(msg, source=path, fix="check the path")
    if sep is None:
        sep = "," if path.name.lower().removesuffix(".gz").endswith(".csv") else "\t"
    text = read_text(path, what="survival table")
    n_rows = check_rectangular(text, sep=sep, source=path, what="survival table")
    if n_rows == 0:
        msg = "the survival table has a header but no rows"
        raise InputError(msg, source=path, line=2, fix="pass the full table")
    with parse_errors(path, what="survival table"):
        table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    table.columns = [c.strip() for c in table.columns]
    id_column = _first(table.columns, _ID) or table.columns[0]
    ids = pd.Index(table[id_column].str.strip())
    duration = _first(table.columns, _DURATION)
    event = _first(table.columns, _EVENT)
    if duration is None or event is None:
        msg = "no overall-survival columns found"
        raise InputError(
            msg,
            source=path,
            line=1,
            item=", ".join(table.columns[:8]),
            fix=f"name them e.g. {_DURATION[0]}/{_EVENT[0]} (also read: days/event, _OS/_OS_IND, OS.time/OS)",
        )
    unit_column = _first(table.columns, ("_OS_UNIT",))
    if unit_column is not None:
        units = set(table[unit_column].str.strip().str.lower()) - {"", "na"}
        if units and units != {time_unit}:
            msg = f"the table says durations are in {', '.join(sorted(units))}, not {time_unit}"
            raise InputError(msg, source=path, fix=f"pass time_unit={sorted(units)[0]!r}")
    frame = pd.DataFrame(index=ids)
    days = _durations(table[duration], path, duration, ids).to_numpy() * _TO_DAYS[time_unit]
    frame["os_days"] = days
    frame["os_event"] = _events(table[event], path, event, ids).to_numpy()
    _check_time_unit(frame["os_days"], time_unit, path)
    for rfs_days, rfs_event in _RFS:
        if rfs_days in table.columns and rfs_event in table.columns:
            frame["rfs_days"] = (
                _durations(table[rfs_days], path, rfs_days, ids).to_numpy() * _TO_DAYS[time_unit]
            )
            frame["rfs_event"] = _events(table[rfs_event], path, rfs_event, ids).to_numpy()
            break
    for key, names, normalise in (
        ("stage", _STAGE, normalise_stage),
        ("grade", _GRADE, normalise_grade),
        ("sex", _SEX, normalise_sex),
    ):
        column = _first(table.columns, names)
        if column is not None:
            frame[key] = [normalise(v) for v in table[column]]
    age = _first(table.columns, _AGE)
    if age is not None:
        frame["age"] = pd.to_numeric(table[age], errors="coerce").to_numpy()
    return clinical_frame(_to_patients(frame, path))


def _check_time_unit(days: pd.Series, time_unit: str, path: Path) -> None:
    known = days.dropna()
    if time_unit == "days" and len(known) >= 10 and known.max() < 200:
        msg = f"durations span 0 to {known.max():g}: that looks like months or years, not days"
        raise InputError(msg, source=path, fix="pass time_unit='months' or 'years'")


def _to_patients(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Reduce TCGA sample rows to patients (primary tumour first); other ids stay as they are."""
    parsed: list[Barcode | None] = []
    for sample in frame.index:
        try:
            parsed.append(parse_barcode(sample))
        except InputError:
            parsed.append(None)
    n_tcga = sum(code is not None for code in parsed)
    if 0 < n_tcga < len(parsed):  # one odd id must not switch the whole table to other ids
        odd = next(i for i, code in enumerate(parsed) if (code is None) == (2 * n_tcga >= len(parsed)))
        msg = f"{'not ' if parsed[odd] is None else ''}a TCGA barcode, unlike {max(n_tcga, len(parsed) - n_tcga)} other rows"
        raise InputError(
            msg, source=path, line=odd + 2, item=str(frame.index[odd]), fix="remove or correct that row"
        )
    codes = [code for code in parsed if code is not None]
    if not codes:
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()][0]
            msg = "id listed twice"
            raise InputError(msg, source=path, item=str(dup), fix="keep one row per patient") from None
        frame.index.name = "patient"
        return frame
    frame = frame.copy()
    frame["_patient"] = [c.patient for c in codes]
    frame["_rank"] = [0 if c.sample in (None, "01") else 1 for c in codes]
    frame = frame.sort_values(["_patient", "_rank"], kind="stable")
    survival = frame[["_patient", "os_days", "os_event"]].dropna()
    conflicts = survival.groupby("_patient").nunique()
    clash = conflicts[(conflicts > 1).any(axis=1)]
    if len(clash):
        patient = clash.index[0]
        msg = "rows of one patient give different overall survival"
        raise InputError(msg, source=path, item=patient, fix="keep one row per patient")
    out = frame.groupby("_patient", sort=False).first()
    out.index.name = "patient"
    return out.drop(columns="_rank")
