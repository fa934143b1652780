"""How much basis components overlap once broadened to in vivo linewidths.

Two numbers per component: its largest cosine similarity with another component (1 =
the same spectrum up to scale) and its variance inflation against the others (``1 / (1 -
R^2)`` of a least-squares fit of its spectrum by theirs: by how much the variance of its
amplitude grows because the others can mimic it). Used to say why a component is left
out of the default liver basis (:data:`~omicsdl.mrs.NOT_MODELLED`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omicsdl.mrs._data import fid_to_spectrum
from omicsdl.mrs._simulate import lineshape
from omicsdl.mrs._window import window_mask

if TYPE_CHECKING:
    import pandas as pd

    from omicsdl.mrs._basis import Basis

__all__ = ["component_overlap"]


def component_overlap(
    basis: Basis,
    components: list[str],
    *,
    against: list[str] | None = None,
    lorentz_hz: float = 14.0,
    gauss_hz: float = 12.0,
    window: tuple[float, float] = (0.2, 5.5),
) -> pd.DataFrame:
    """Overlap of ``components`` with the other components of ``basis`` after line broadening.

    Parameters
    ----------
    basis
        A basis holding ``components`` and ``against``.
    components
        The components to describe.
    against
        The components they are compared with (default: every other one of the basis).
    lorentz_hz, gauss_hz
        Line broadening (default: the middle of the simulated liver ranges).
    window
        ppm range compared (real and imaginary parts).

    Returns
    -------
    One row per component: ``closest`` (the most similar of ``against``), ``cosine`` (with
    it) and ``variance_inflation`` (against all of ``against``).
    """
    import pandas as pd

    t = np.arange(basis.n_points) * basis.dwell_s
    shape = lineshape(t, np.array([lorentz_hz]), np.array([gauss_hz]), np.array([0.0]), np.array([0.0]))
    spec = fid_to_spectrum(basis.fids * shape)[:, window_mask(basis.ppm, window)]
    x = np.concatenate([spec.real, spec.imag], 1)
    x = x / np.linalg.norm(x, axis=1, keepdims=True)
    rows = []
    for name in components:
        others = [n for n in (against or basis.names) if n != name]
        i, idx = basis.names.index(name), [basis.names.index(n) for n in others]
        cosine = x[idx] @ x[i]
        k = int(np.argmax(np.abs(cosine)))
        coef, *_ = np.linalg.lstsq(x[idx].T, x[i], rcond=None)
        r2 = 1 - float(np.sum((x[i] - x[idx].T @ coef) ** 2))  # x[i] has unit norm
        rows.append(
            {
                "component": name,
                "closest": others[k],
                "cosine": round(float(cosine[k]), 4),
                "variance_inflation": round(1 / max(1 - r2, 1e-12), 1),
            }
        )
    return pd.DataFrame(rows)
