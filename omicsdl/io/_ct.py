"""The raw-Ct check: refuse qPCR Ct values where relative expression is expected."""

from __future__ import annotations

import numpy as np

from omicsdl._core._errors import InputError

__all__ = ["check_not_ct"]


def check_not_ct(values: np.ndarray, *, source: str | None = None, what: str = "expression values") -> None:
    """Refuse a panel matrix that looks like raw qPCR Ct values.

    Raw Ct values are *inverse* expression (a higher Ct means less RNA), so a
    model fitted on them has every sign flipped against one fitted on relative
    expression. The rule: every finite value lies in [10, 40] **and** the
    panel-wide median is at least 18. Log2 microarray and RNA-seq values very
    rarely satisfy both (their medians sit around 4–12); Ct values of blood
    transcripts almost always do.

    Raises
    ------
    InputError
        When the values look like Ct.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size < 2:
        return
    median = float(np.median(finite))
    if finite.min() >= 10 and finite.max() <= 40 and median >= 18:
        msg = (
            f"{what} look like raw qPCR Ct values (all {finite.size} values in "
            f"[{finite.min():.1f}, {finite.max():.1f}], median {median:.1f}), "
            "but relative (log-scale) expression is expected"
        )
        raise InputError(
            msg,
            source=source,
            fix="read the table with value_kind='ct' and reference genes (CLI: --value-kind ct "
            "--reference-genes GAPDH,ACTB) to convert to -ΔCt, or pass allow_ct_like=True "
            "(--allow-ct-like) if these really are expression values",
        )
