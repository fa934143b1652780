"""Exact (Clopper–Pearson) confidence interval of a proportion: sensitivity, specificity, accuracy."""

from __future__ import annotations

import numbers

from omicsdl._core._errors import InputError

__all__ = ["clopper_pearson"]


def clopper_pearson(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial (Clopper–Pearson) interval of the proportion ``k / n``.

    The interval inverts two one-sided binomial tests, so its coverage is at
    least ``level`` for every true proportion (it is conservative); computed by
    statsmodels' ``proportion_confint(method="beta")``.

    Parameters
    ----------
    k
        Successes (e.g. true positives for sensitivity).
    n
        Trials (e.g. all positives).
    level
        Confidence level.

    Returns
    -------
    ``(low, high)``; ``low`` is 0 when ``k == 0`` and ``high`` is 1 when ``k == n``.

    Raises
    ------
    InputError
        ``k`` or ``n`` not whole numbers, ``n < 1``, ``k`` outside ``[0, n]``, or
        ``level`` outside (0, 1).

    References
    ----------
    Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits
    illustrated in the case of the binomial. Biometrika 26:404-413. doi:10.1093/biomet/26.4.404

    Examples
    --------
    >>> import omicsdl as od
    >>> low, high = od.metrics.clopper_pearson(7, 7)   # 7 of 7 HCC detected
    >>> round(low, 3), high
    (0.59, 1.0)
    """
    from statsmodels.stats.proportion import proportion_confint

    for name, value in (("k", k), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            msg = f"{name} must be a whole number, got {value!r}"
            raise InputError(msg, item=name)
    if n < 1 or not 0 <= k <= n:
        msg = f"need 0 <= k <= n and n >= 1, got k={k}, n={n}"
        raise InputError(msg)
    if not 0.0 < level < 1.0:
        msg = f"level must lie in (0, 1), got {level}"
        raise InputError(msg, item="level")
    low, high = proportion_confint(int(k), int(n), alpha=1.0 - level, method="beta")
    return (0.0 if k == 0 else float(low)), (1.0 if k == n else float(high))
