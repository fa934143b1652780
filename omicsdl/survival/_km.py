"""Kaplan-Meier estimates and log-rank tests (on lifelines)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

__all__ = ["LogrankResult", "kaplan_meier", "logrank", "survival_arrays"]


@dataclass(frozen=True, slots=True)
class LogrankResult:
    """Log-rank test of two or more groups.

    Attributes
    ----------
    statistic
        The chi-squared test statistic.
    p_value
        Its p-value.
    degrees_of_freedom
        Number of groups - 1.
    groups
        The groups, in order of first appearance.
    n_per_group, events_per_group
        Patients and observed events of each group.
    """

    statistic: float
    p_value: float
    degrees_of_freedom: int
    groups: tuple[str, ...]
    n_per_group: tuple[int, ...]
    events_per_group: tuple[int, ...]

    def to_frame(self) -> pd.DataFrame:
        """One-row table of the result."""
        return pd.DataFrame([asdict(self)])


def survival_arrays(
    durations: ArrayLike, events: ArrayLike, *, source: str = "survival data"
) -> tuple[np.ndarray, np.ndarray]:
    """Validate and return ``(durations as float, events as bool)``.

    Parameters
    ----------
    durations
        Follow-up time per patient (finite, non-negative).
    events
        Event indicator per patient: 0/1 or ``False``/``True``.
    source
        What the data are, named in the error.

    Raises
    ------
    InputError
        On missing, infinite or negative times, or events that are not 0/1.

    Examples
    --------
    >>> import omicsdl as od
    >>> od.survival.survival_arrays([3.0, 10.0], [1, 0])
    (array([ 3., 10.]), array([ True, False]))
    >>> od.survival.survival_arrays([3.0, -1.0], [1, 0])
    Traceback (most recent call last):
    ...
    omicsdl._core._errors.InputError: survival data [row 1]: negative survival time -1
    """
    t = np.asarray(durations, dtype=float)
    e_raw = np.asarray(events)
    if t.shape != e_raw.shape or t.ndim != 1:
        raise InputError(
            f"durations {t.shape} and events {e_raw.shape} must be 1-D of the same length", source=source
        )
    if not np.isfinite(t).all():
        idx = int(np.flatnonzero(~np.isfinite(t))[0])
        raise InputError(
            "missing or infinite survival time",
            source=source,
            item=f"row {idx}",
            fix="drop patients without follow-up before survival analysis",
        )
    if (t < 0).any():
        idx = int(np.flatnonzero(t < 0)[0])
        raise InputError(f"negative survival time {t[idx]:g}", source=source, item=f"row {idx}")
    try:
        e_float = e_raw.astype(float)
    except (TypeError, ValueError) as err:
        raise InputError("events must be 0/1 or True/False", source=source) from err
    if np.isnan(e_float).any() or not np.isin(e_float, (0.0, 1.0)).all():
        raise InputError("events must be 0/1 or True/False (no missing values)", source=source)
    return t, e_float.astype(bool)


def kaplan_meier(durations: ArrayLike, events: ArrayLike, *, groups: ArrayLike | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival function, overall or per group.

    Parameters
    ----------
    durations, events
        Follow-up time and event indicator (0/1) per patient.
    groups
        Group per patient; ``None`` gives one overall curve (group ``all``).

    Returns
    -------
    Long table with columns ``group``, ``time``, ``survival``, ``ci_low``,
    ``ci_high``, ``at_risk``; survival is non-increasing in time within a group.

    Examples
    --------
    >>> import omicsdl as od
    >>> km = od.survival.kaplan_meier([5, 8, 12, 20], [1, 0, 1, 1])
    >>> km[["time", "survival", "at_risk"]].round(3)
       time  survival  at_risk
    0   0.0     1.000        4
    1   5.0     0.750        4
    2   8.0     0.750        3
    3  12.0     0.375        2
    4  20.0     0.000        1
    """
    from lifelines import KaplanMeierFitter

    t, e = survival_arrays(durations, events)
    labels = np.full(t.shape, "all", dtype=object) if groups is None else np.asarray(groups, dtype=object)
    frames = []
    for label in pd.unique(labels):
        mask = labels == label
        kmf = KaplanMeierFitter().fit(t[mask], e[mask], label=str(label))
        sf = kmf.survival_function_.iloc[:, 0]
        ci = kmf.confidence_interval_survival_function_
        at_risk = kmf.event_table["at_risk"].reindex(sf.index).to_numpy()
        frames.append(
            pd.DataFrame(
                {
                    "group": str(label),
                    "time": sf.index.to_numpy(dtype=float),
                    "survival": sf.to_numpy(),
                    "ci_low": ci.iloc[:, 0].to_numpy(),
                    "ci_high": ci.iloc[:, 1].to_numpy(),
                    "at_risk": at_risk,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def logrank(durations: ArrayLike, events: ArrayLike, groups: ArrayLike | Sequence[object]) -> LogrankResult:
    """Log-rank test across two or more groups (lifelines ``multivariate_logrank_test``).

    Parameters
    ----------
    durations, events
        As for :func:`kaplan_meier`.
    groups
        Group per patient (two or more groups).

    Returns
    -------
    The test statistic, p-value and per-group counts.

    Examples
    --------
    >>> import omicsdl as od
    >>> obs = od.datasets.tcga_lihc_demo().obs
    >>> res = od.survival.logrank(obs["os_days"], obs["os_event"], obs["sex"])
    >>> res.groups, res.n_per_group, res.events_per_group
    (('male', 'female'), (246, 114), (76, 48))
    >>> round(res.p_value, 2)
    0.23

    Raises
    ------
    InputError
        With fewer than two groups or no event at all.
    """
    from lifelines.statistics import multivariate_logrank_test

    t, e = survival_arrays(durations, events)
    labels = np.asarray(groups, dtype=object)
    if labels.shape != t.shape:
        raise InputError(f"groups has {labels.shape[0]} entries, durations {t.shape[0]}")
    names = tuple(str(g) for g in pd.unique(labels))
    if len(names) < 2:
        raise InputError("the log-rank test needs at least two groups", item=f"groups: {names}")
    if not e.any():
        raise InputError("no event observed: the log-rank test is undefined", fix="check the event column")
    res = multivariate_logrank_test(t, labels.astype(str), e)
    return LogrankResult(
        statistic=float(res.test_statistic),
        p_value=float(res.p_value),
        degrees_of_freedom=len(names) - 1,
        groups=names,
        n_per_group=tuple(int((labels.astype(str) == g).sum()) for g in names),
        events_per_group=tuple(int(e[labels.astype(str) == g].sum()) for g in names),
    )
