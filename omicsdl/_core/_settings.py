"""Package-wide settings: verbosity, thread count, default seed, data folder.

One object, :data:`omicsdl.settings`, read from ``OMICSDL_*`` environment
variables at import and changeable at run time. We keep it a small plain class
rather than a pydantic model: four fields do not justify another dependency.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

__all__ = ["Settings", "settings"]

_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}


class Settings:
    """Global settings of omicsdl.

    Attributes
    ----------
    verbosity
        ``"error"``, ``"warning"`` (default), ``"info"`` or ``"debug"``; sets the
        ``omicsdl`` logger and whether progress bars are shown (from ``"info"``).
    n_threads
        Threads torch may use (``OMICSDL_N_THREADS``); ``None`` leaves torch's default.
    seed
        Default seed for commands that are not given one (``OMICSDL_SEED``, 0).
    datasetdir
        Where downloaded data are cached (``OMICSDL_DATASETDIR``).
    """

    def __init__(self) -> None:
        self._verbosity = "warning"
        self.verbosity = os.environ.get("OMICSDL_VERBOSITY", "warning")
        threads = os.environ.get("OMICSDL_N_THREADS")
        self.n_threads: int | None = int(threads) if threads else None
        self.seed: int = int(os.environ.get("OMICSDL_SEED", "0"))
        self.datasetdir = Path(os.environ.get("OMICSDL_DATASETDIR", Path.home() / ".cache" / "omicsdl"))

    @property
    def verbosity(self) -> str:
        """Logging level name of the ``omicsdl`` logger."""
        return self._verbosity

    @verbosity.setter
    def verbosity(self, value: str) -> None:
        key = str(value).lower()
        if key not in _LEVELS:
            msg = f"verbosity must be one of {sorted(_LEVELS)}, got {value!r}"
            raise ValueError(msg)
        self._verbosity = key
        from omicsdl._core._logging import configure

        configure(_LEVELS[key])

    @property
    def show_progress(self) -> bool:
        """Whether long steps show a progress bar (verbosity ``info`` or ``debug``)."""
        return _LEVELS[self._verbosity] <= logging.INFO


settings = Settings()
