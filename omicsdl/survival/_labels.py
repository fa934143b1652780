"""Good/poor prognosis labels from overall survival at a fixed horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

__all__ = ["DEFAULT_HORIZON_DAYS", "PROGNOSIS_GROUPS", "prognosis_labels"]

DEFAULT_HORIZON_DAYS = 1095
#: the two prognosis groups, in code order (0 = good, 1 = poor)
PROGNOSIS_GROUPS: tuple[str, str] = ("good", "poor")


def prognosis_labels(
    obs: pd.DataFrame,
    *,
    horizon_days: float = DEFAULT_HORIZON_DAYS,
    duration_key: str = "os_days",
    event_key: str = "os_event",
) -> pd.Series:
    """Good/poor prognosis from overall survival, by a fixed horizon ``T``.

    Rule: ``poor`` = died before ``T`` (event and time < T); ``good`` = known to
    be alive at ``T`` (time ≥ T, whatever happened later); everyone else —
    censored before ``T``, missing survival — is excluded (``NaN``). On the
    TCGA-LIHC demo with ``T`` = 3 years this gives 99 poor and 89 good.

    Parameters
    ----------
    obs
        Table with survival columns (e.g. ``adata.obs`` or ``mdata.obs``).
    horizon_days
        The horizon ``T`` in days (default 1,095 = 3 years).
    duration_key, event_key
        Follow-up time (days) and death indicator columns.

    Returns
    -------
    Categorical ``good``/``poor`` with ``NaN`` for excluded patients.

    Examples
    --------
    >>> import omicsdl as od
    >>> labels = od.survival.prognosis_labels(od.datasets.tcga_lihc_demo().obs)
    >>> labels.value_counts().to_dict()
    {'poor': 99, 'good': 89}
    """
    for key in (duration_key, event_key):
        if key not in obs.columns:
            msg = f"survival column {key!r} is missing"
            raise InputError(msg, item=key, fix="pass duration_key/event_key")
    time = pd.to_numeric(obs[duration_key], errors="coerce")
    event = pd.to_numeric(obs[event_key], errors="coerce")
    label = pd.Series(np.nan, index=obs.index, dtype=object)
    label[(event == 1) & (time < horizon_days)] = "poor"
    label[time >= horizon_days] = "good"
    return label.astype(pd.CategoricalDtype(list(PROGNOSIS_GROUPS)))
