"""Normalise clinical values written by TCGA BCR, Xena and DeepProg to the cohort vocabulary."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["clinical_frame", "normalise_grade", "normalise_sex", "normalise_stage"]

_STAGE = re.compile(r"^\s*(?:STAGE\s+)?(IV|I{1,3})[A-C]?\d?\s*$", re.IGNORECASE)
_GRADE = re.compile(r"^\s*(?:GRADE\s*)?G?([1-4])\s*$", re.IGNORECASE)


def normalise_stage(value: object) -> str | None:
    """``"Stage IIIA"`` → ``"III"``; missing or unparseable (``[Discrepancy]``) → ``None``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    match = _STAGE.match(str(value))
    return match.group(1).upper() if match else None


def normalise_grade(value: object) -> str | None:
    """``"G2"``/``"2"`` → ``"G2"``; ``GX``/missing → ``None``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    match = _GRADE.match(str(value))
    return f"G{match.group(1)}" if match else None


def normalise_sex(value: object) -> str | None:
    """``"MALE"``/``"female"``/``"M"`` → ``"male"``/``"female"``; else ``None``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip().lower()
    return {"male": "male", "m": "male", "female": "female", "f": "female"}.get(text)


def clinical_frame(records: dict[str, dict[str, object]] | pd.DataFrame) -> pd.DataFrame:
    """Patient-indexed clinical table with the cohort dtypes (see ``omicsdl.io.CLINICAL_COLUMNS``)."""
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame.from_dict(records, orient="index")
    frame = frame.copy()
    frame.index.name = "patient"
    for column in ("os_days", "rfs_days", "age"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("os_event", "rfs_event"):
        if column in frame:
            frame[column] = frame[column].astype("boolean")
    for column in ("stage", "grade", "sex"):
        if column in frame:
            frame[column] = frame[column].astype("category")
    return frame
