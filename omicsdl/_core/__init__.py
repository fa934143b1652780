"""What every omicsdl system shares.

Errors, atomic writes, randomness, settings, logging, devices, the
fitted-object contract (:class:`BaseEstimator`) and the results base
(:class:`Results`).

Nothing here imports a system, a shared layer or a face.
"""

from __future__ import annotations

from omicsdl._core._atomic import atomic_dir, atomic_path, atomic_write, write_json, write_text
from omicsdl._core._base import (
    MODEL_FILE,
    WEIGHTS_FILE,
    BaseEstimator,
    file_sha256,
    hyperparameters,
    jsonable,
)
from omicsdl._core._device import DEVICES, Device, resolve_device, torch_threads
from omicsdl._core._errors import InputError, ModelFormatError, NotFittedError
from omicsdl._core._logging import configure, progress
from omicsdl._core._outputs import forcing
from omicsdl._core._random import RNGLike, as_generator, derive_seed, torch_generator
from omicsdl._core._results import Results, check_results_header, results_header
from omicsdl._core._settings import Settings, settings

__all__ = [
    "DEVICES",
    "MODEL_FILE",
    "WEIGHTS_FILE",
    "BaseEstimator",
    "Device",
    "InputError",
    "ModelFormatError",
    "NotFittedError",
    "RNGLike",
    "Results",
    "Settings",
    "as_generator",
    "atomic_dir",
    "atomic_path",
    "atomic_write",
    "check_results_header",
    "configure",
    "derive_seed",
    "file_sha256",
    "forcing",
    "hyperparameters",
    "jsonable",
    "progress",
    "resolve_device",
    "results_header",
    "settings",
    "torch_generator",
    "torch_threads",
    "write_json",
    "write_text",
]
