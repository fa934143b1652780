"""Saving figures: one atomic writer for every figure omicsdl puts on disk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

    from matplotlib.figure import Figure

__all__ = ["save_figure"]


def save_figure(fig: Figure, path: str | os.PathLike[str], *, dpi: int = 150) -> Path:
    """Save ``fig`` atomically (format from the suffix: ``.png``, ``.svg``, ``.pdf``).

    Parameters
    ----------
    fig
        The figure.
    path
        Where to write it; the suffix gives the format.
    dpi
        Resolution of raster formats.

    Returns
    -------
    ``path``.
    """
    from omicsdl._core._atomic import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format=path.suffix.lstrip(".") or "png")
    return path
