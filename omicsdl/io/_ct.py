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

    Parameters
    ----------
    values
        The panel matrix (any shape; missing values are ignored).
    source
        The file the values came from, named in the error.
    what
        What the values are, in the error message.

    Raises
    ------
    InputError
        When the values look like Ct.

    Examples
    --------
    >>> import numpy as np
    >>> from omicsdl.io import check_not_ct
    >>> check_not_ct(np.array([[2.1, 7.5], [5.0, 9.9]]))  # log2 expression: passes
    >>> check_not_ct(np.array([[24.0, 31.5], [27.2, 35.0]]))
    Traceback (most recent call last):
    ...
    omicsdl._core._errors.InputError: expression values look like raw qPCR Ct values ...
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
