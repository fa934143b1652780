"""Checks a model's saved arrays pass before any module is built from them (used by ``_set_state``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from omicsdl._core._errors import ModelFormatError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

__all__ = ["check_state_arrays", "meta_shapes"]


def meta_shapes(build: Callable[[], Any], *, prefix: str = "") -> dict[str, tuple[int, ...]]:
    """Shapes of the ``state_dict`` of the module ``build()`` returns, built on torch's meta device.

    Nothing is allocated, so a model file that claims an enormous architecture
    costs nothing to check.

    Parameters
    ----------
    build
        Returns the ``torch.nn.Module`` the saved weights must fit.
    prefix
        Prepended to every key (``"module."`` when the module's arrays are stored with it).
    """
    import torch

    with torch.device("meta"):
        module = build()
    return {f"{prefix}{k}": tuple(v.shape) for k, v in module.state_dict().items()}


def check_state_arrays(
    arrays: Mapping[str, np.ndarray],
    expected: Mapping[str, tuple[int, ...]],
    *,
    source: Path,
    what: str = "the architecture in model.json",
) -> None:
    """Raise :class:`~omicsdl.ModelFormatError` unless ``arrays`` have exactly the ``expected`` shapes and finite values.

    Parameters
    ----------
    arrays
        The arrays read from ``model.safetensors``.
    expected
        Name → shape every array must have (no more, no fewer names).
    source
        The model folder, for the message.
    what
        What the arrays must fit, in plain words.
    """
    found = {k: tuple(v.shape) for k, v in arrays.items()}
    if found != dict(expected):
        bad = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
        msg = f"the weights do not fit {what} (first mismatch: {bad[0]})"
        raise ModelFormatError(msg, source=source)
    for key, arr in arrays.items():
        if arr.dtype.kind in "fc" and not np.isfinite(arr).all():
            msg = f"{key} has missing or infinite values"
            raise ModelFormatError(msg, source=source)
