"""A cohort's quality-control table, computed in row blocks (works on a backed cohort)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._cohort import _blocks

if TYPE_CHECKING:
    from mudata import MuData

__all__ = ["check_cohort_size", "cohort_qc"]


def cohort_qc(mdata: MuData) -> pd.DataFrame:
    """One row per modality: patients, features, missing and zero shares, min, mean, max, units.

    Every matrix is read in row blocks, so a backed cohort (``read_h5mu(...,
    backed=True)``) is never loaded whole.

    Parameters
    ----------
    mdata
        The cohort.

    Returns
    -------
    Columns ``modality``, ``patients``, ``features``, ``missing_percent``,
    ``zero_percent``, ``min``, ``mean``, ``max``, ``units``, ``has_counts``.

    Examples
    --------
    >>> import omicsdl as od
    >>> od.io.cohort_qc(od.datasets.tcga_lihc_demo())[["modality", "patients", "features"]]
          modality  patients  features
    0          rna       360       365
    1        mirna       360       365
    2  methylation       360       365
    """
    rows = []
    for name, adata in mdata.mod.items():
        n_missing = n_zero = n_known = 0
        total = 0.0
        low, high = np.inf, -np.inf
        for _, block in _blocks(adata.X, adata.n_obs):
            known = ~np.isnan(block)
            n_missing += int(block.size - known.sum())
            values = block[known]
            n_known += values.size
            if values.size:
                n_zero += int((values == 0).sum())
                total += float(values.sum())
                low, high = min(low, float(values.min())), max(high, float(values.max()))
        size = max(1, adata.n_obs * adata.n_vars)
        rows.append(
            {
                "modality": name,
                "patients": adata.n_obs,
                "features": adata.n_vars,
                "missing_percent": 100 * n_missing / size,
                "zero_percent": 100 * n_zero / size,
                "min": low if n_known else np.nan,
                "mean": total / n_known if n_known else np.nan,
                "max": high if n_known else np.nan,
                "units": adata.uns.get("omicsdl", {}).get("units", "not recorded"),
                "has_counts": "counts" in adata.layers,
            }
        )
    return pd.DataFrame(rows)


def check_cohort_size(
    mdata: MuData, *, min_patients: int = 0, min_events: int = 0, source: str = "cohort"
) -> None:
    """Stop with a clear error when the cohort is too small for the analyses that follow.

    Parameters
    ----------
    mdata
        The cohort.
    min_patients
        Fewest patients every modality must have.
    min_events
        Fewest observed deaths (``os_event``) the cohort must have.
    source
        Names the cohort in the error.

    Raises
    ------
    InputError
        Naming the modality (or the event count) and the threshold.
    """
    for name, adata in mdata.mod.items():
        if adata.n_obs < min_patients:
            raise InputError(
                f"modality {name!r} has {adata.n_obs} patients, fewer than the {min_patients} required",
                source=source,
                fix="check what ingest dropped (<cohort>.dropped.tsv) or lower the threshold",
            )
    if min_events:
        events = int(mdata.obs["os_event"].sum()) if "os_event" in mdata.obs else 0
        if events < min_events:
            raise InputError(
                f"the cohort has {events} observed deaths, fewer than the {min_events} required",
                source=source,
                fix="survival analyses need events; use a larger cohort or lower the threshold",
            )
