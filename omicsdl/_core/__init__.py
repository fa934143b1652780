"""What every omicsdl system shares.

Errors, atomic writes, randomness, settings, logging, the fitted-object
contract and the on-disk model format.

Nothing here imports a system, a shared layer or a face.
"""

from __future__ import annotations

from omicsdl._core._errors import InputError, ModelFormatError, NotFittedError
from omicsdl._core._random import RNGLike, as_generator, derive_seed
from omicsdl._core._settings import Settings, settings

__all__ = [
    "InputError",
    "ModelFormatError",
    "NotFittedError",
    "RNGLike",
    "Settings",
    "as_generator",
    "derive_seed",
    "settings",
]
