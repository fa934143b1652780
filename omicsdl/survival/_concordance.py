"""Harrell's concordance index for risk scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError
from omicsdl.survival._km import survival_arrays

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["concordance_index"]


def concordance_index(durations: ArrayLike, events: ArrayLike, risk: ArrayLike) -> float:
    """Harrell's C-index of a risk score (higher risk = shorter survival).

    A thin wrapper on :func:`lifelines.utils.concordance_index`, which expects a
    *survival-time* prediction; the risk is negated for it. 0.5 is chance, 1 is
    perfect ordering.

    Parameters
    ----------
    durations, events
        Follow-up time and event indicator (0/1) per patient; at least one event.
    risk
        Risk score per patient (finite; higher = worse).

    Examples
    --------
    >>> import omicsdl as od
    >>> od.survival.concordance_index([5, 8, 12, 20], [1, 1, 0, 1], [0.9, 0.7, 0.1, 0.3])
    1.0
    >>> od.survival.concordance_index([5, 8, 12, 20], [1, 1, 0, 1], [0.1, 0.3, 0.9, 0.7])
    0.0
    """
    from lifelines.utils import concordance_index as _lifelines_cindex

    t, e = survival_arrays(durations, events)
    r = np.asarray(risk, dtype=float)
    if r.shape != t.shape:
        raise InputError(f"risk has {r.shape} entries, durations {t.shape}")
    if not np.isfinite(r).all():
        raise InputError("risk scores must be finite", fix="impute or drop patients with missing risk")
    if not e.any():
        raise InputError("no event observed: the C-index is undefined")
    return float(_lifelines_cindex(t, -r, e))
