"""Cox hazard ratios of groups (subtypes) against a reference group, on lifelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.survival._km import survival_arrays

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["cox_group_hazard_ratios"]


def cox_group_hazard_ratios(
    durations: ArrayLike,
    events: ArrayLike,
    groups: ArrayLike,
    *,
    reference: str | None = None,
    alpha: float = 0.05,
    penalizer: float = 0.0,
) -> pd.DataFrame:
    """Hazard ratio with confidence interval of every group against ``reference``.

    One Cox model (lifelines :class:`~lifelines.CoxPHFitter`) with one indicator
    per non-reference group.

    Parameters
    ----------
    durations, events
        Follow-up time and event indicator per patient.
    groups
        Group label per patient (two or more groups).
    reference
        The reference group (default: the first in sorted order).
    alpha
        1 - confidence level of the interval.
    penalizer
        lifelines ridge penalty (0 = plain Cox).

    Returns
    -------
    Table indexed by group: ``n``, ``events``, ``hazard_ratio``, ``ci_low``,
    ``ci_high``, ``p_value`` (Wald, against the reference; the reference row has
    HR 1 and no p-value).

    Examples
    --------
    >>> import omicsdl as od
    >>> obs = od.datasets.tcga_lihc_demo().obs
    >>> od.survival.cox_group_hazard_ratios(obs["os_days"], obs["os_event"], obs["sex"]).round(2)
              n  events  hazard_ratio  ci_low  ci_high  p_value
    group
    female  114      48           1.0    1.00     1.00      NaN
    male    246      76           0.8    0.56     1.15     0.23
    """
    from lifelines import CoxPHFitter

    t, e = survival_arrays(durations, events)
    labels = np.asarray(groups).astype(str)
    if labels.shape != t.shape:
        msg = f"groups has {labels.shape[0]} entries, durations {t.shape[0]}"
        raise InputError(msg)
    names = sorted(pd.unique(labels))
    if len(names) < 2:
        msg = "hazard ratios need at least two groups"
        raise InputError(msg, item=f"groups: {names}")
    reference = names[0] if reference is None else str(reference)
    if reference not in names:
        msg = f"reference group {reference!r} is not among the groups"
        raise InputError(msg, item=", ".join(names))
    others = [g for g in names if g != reference]
    frame = pd.DataFrame({f"g_{g}": (labels == g).astype(float) for g in others})
    frame["T"], frame["E"] = t, e.astype(int)
    cph = CoxPHFitter(alpha=alpha, penalizer=penalizer).fit(frame, "T", "E")
    summary = cph.summary
    rows = []
    for g in names:
        mask = labels == g
        row = {"group": g, "n": int(mask.sum()), "events": int(e[mask].sum())}
        if g == reference:
            row |= {"hazard_ratio": 1.0, "ci_low": 1.0, "ci_high": 1.0, "p_value": np.nan}
        else:
            s = summary.loc[f"g_{g}"]
            row |= {
                "hazard_ratio": float(s["exp(coef)"]),
                "ci_low": float(s[f"exp(coef) lower {100 * (1 - alpha):g}%"]),
                "ci_high": float(s[f"exp(coef) upper {100 * (1 - alpha):g}%"]),
                "p_value": float(s["p"]),
            }
        rows.append(row)
    out = pd.DataFrame(rows).set_index("group")
    out.attrs["reference"] = reference
    return out
