"""The CNN input: real and imaginary parts of the spectrum inside a ppm window."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from omicsdl.mrs._data import MRSData

__all__ = ["window_input", "window_mask"]


def window_mask(ppm: np.ndarray, window: tuple[float, float]) -> np.ndarray:
    """Boolean mask of the points inside ``window`` (ppm)."""
    lo, hi = min(window), max(window)
    return (ppm >= lo) & (ppm <= hi)


def window_input(data: MRSData, window: tuple[float, float] = (0.2, 5.5)) -> np.ndarray:
    """``(n, 2, n_window)`` float32 array of Re and Im of the spectrum in ``window``."""
    spec = data.spectrum()[:, window_mask(data.ppm, window)]
    return np.stack([spec.real, spec.imag], 1).astype(np.float32)
