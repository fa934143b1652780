"""Permutation p-values (Phipson & Smyth 2010: never zero, counts the observed statistic once)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["permutation_p_value"]


def permutation_p_value(observed: float, null: ArrayLike) -> float:
    """``(1 + #{null >= observed}) / (1 + n)`` for a statistic where larger means stronger.

    Parameters
    ----------
    observed
        The statistic on the real data.
    null
        The statistic on each of ``n`` permuted data sets.

    Examples
    --------
    >>> import omicsdl as od
    >>> od.survival.permutation_p_value(5.0, [1.0, 2.0, 6.0, 0.5])
    0.4
    """
    null = np.asarray(null, dtype=float)
    if null.size == 0:
        msg = "a permutation p-value needs at least one permutation"
        raise InputError(msg)
    if not np.isfinite(observed):
        return float("nan")
    null = np.where(np.isfinite(null), null, -np.inf)
    return float((1 + np.sum(null >= observed)) / (1 + null.size))
