"""The cross-validation folds every model is evaluated on: repeated stratified K-fold, or the user's.

A folds table has one row per patient and repeat: ``patient``, ``repeat``,
``fold``. A user's file (``--folds-file``) is a TSV or CSV with the columns
``patient`` and ``fold`` (and optionally ``repeat``), so omicsdl can be compared
with other tools on exactly the same splits.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl._core._random import RNGLike, as_generator, derive_seed

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["make_folds", "read_folds"]

logger = logging.getLogger(__name__)


def make_folds(
    patients: Sequence[str], events: np.ndarray, *, n_folds: int = 5, n_repeats: int = 5, rng: RNGLike = None
) -> pd.DataFrame:
    """Repeated K-fold stratified by event: ``patient``, ``repeat``, ``fold``.

    Parameters
    ----------
    patients
        Patient ids.
    events
        Event indicator per patient (the stratum).
    n_folds, n_repeats
        Folds per repeat, and repeats with new splits.
    rng
        Seed or generator of the splits (``None``: ``settings.seed``).

    Raises
    ------
    InputError
        Fewer patients with (or without) an event than folds.
    """
    from sklearn.model_selection import StratifiedKFold

    e = np.asarray(events, dtype=bool)
    if n_folds < 2 or min(int(e.sum()), int((~e).sum())) < n_folds:
        msg = f"{n_folds} folds need at least {n_folds} patients with and without events"
        raise InputError(msg, fix="use fewer folds")
    if n_repeats < 1:
        msg = f"repeats must be at least 1, got {n_repeats}"
        raise InputError(msg)
    gen = as_generator(rng)
    rows = []
    ids = np.asarray(patients, dtype=object)
    for r in range(n_repeats):
        split = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=derive_seed(gen))
        fold = np.empty(len(ids), dtype=int)
        for f, (_, te) in enumerate(split.split(np.zeros(len(ids)), e.astype(int))):
            fold[te] = f
        rows.append(pd.DataFrame({"patient": ids.astype(str), "repeat": r, "fold": fold}))
    return pd.concat(rows, ignore_index=True)


def read_folds(path: str | os.PathLike[str], patients: Sequence[str]) -> pd.DataFrame:
    """Read a user's folds file (``patient``, ``fold`` [, ``repeat``]) for the cohort's ``patients``.

    Folds are renumbered 0 … K−1 in sorted order within each repeat. Cohort
    patients absent from the file are left out of the evaluation (logged).

    Raises
    ------
    InputError
        Missing file or columns, a patient twice in one repeat, a patient the
        cohort does not have, or a repeat with fewer than two folds.
    """
    path = Path(path)
    if not path.is_file():
        msg = "folds file not found"
        raise InputError(msg, source=path)
    sep = "," if path.name.removesuffix(".gz").endswith(".csv") else "\t"
    try:
        table = pd.read_csv(path, sep=sep, dtype={"patient": str}, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        msg = f"cannot read the folds file ({err})"
        raise InputError(msg, source=path, fix="write a TSV with the columns patient and fold") from err
    missing = [c for c in ("patient", "fold") if c not in table.columns]
    if missing:
        msg = f"no column {missing} (found {list(table.columns)[:5]})"
        raise InputError(
            msg, source=path, line=1, fix="name the columns patient and fold (and optionally repeat)"
        )
    if "repeat" not in table.columns:
        table["repeat"] = 0
    for col in ("fold", "repeat"):
        values = pd.to_numeric(table[col], errors="coerce")
        bad = values.isna() | (values != values.round())
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            msg = f"{col} {table[col].iloc[i]!r} is not a whole number"
            raise InputError(msg, source=path, line=i + 2)
        table[col] = values.astype(int)
    table["patient"] = table["patient"].astype(str).str.strip()
    dup = table.duplicated(["patient", "repeat"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        msg = f"patient {table['patient'].iloc[i]} appears twice in repeat {table['repeat'].iloc[i]}"
        raise InputError(msg, source=path, line=i + 2)
    known = set(map(str, patients))
    unknown = sorted(set(table["patient"]) - known)
    if unknown:
        msg = f"{len(unknown)} patient(s) of the folds file are not in the cohort (e.g. {unknown[0]})"
        raise InputError(msg, source=path, fix="use the cohort's patient ids (obs_names)")
    out = []
    for r, g in table.groupby("repeat", sort=True):
        left_out = known - set(g["patient"])
        if left_out:
            logger.warning(
                "folds file, repeat %s: %d cohort patient(s) are in no fold and left out", r, len(left_out)
            )
        codes = {f: i for i, f in enumerate(sorted(g["fold"].unique()))}
        if len(codes) < 2:
            msg = f"repeat {r} has {len(codes)} fold(s); cross-validation needs at least two"
            raise InputError(msg, source=path)
        out.append(pd.DataFrame({"patient": g["patient"], "repeat": len(out), "fold": g["fold"].map(codes)}))
    return pd.concat(out, ignore_index=True)
