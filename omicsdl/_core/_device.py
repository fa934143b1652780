"""Where torch runs: ``device="auto" | "cpu" | "cuda" | "mps"``, and how many threads it uses.

Every torch estimator takes ``device`` in its constructor and resolves it once,
at ``fit`` (or ``load``), with :func:`resolve_device`. ``"auto"`` means CUDA when
a CUDA GPU is available, otherwise the CPU; asking for ``"cuda"`` or ``"mps"``
without one is an :class:`~omicsdl.InputError`, never a silent fall-back.
CPU runs stay bit-identical whatever the device setting.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterator

    import torch

__all__ = ["DEVICES", "Device", "resolve_device", "torch_threads"]

Device = Literal["auto", "cpu", "cuda", "mps"]
DEVICES: tuple[str, ...] = ("auto", "cpu", "cuda", "mps")


def resolve_device(device: str) -> torch.device:
    """The :class:`torch.device` for ``device`` (one of :data:`DEVICES`).

    Parameters
    ----------
    device
        ``"auto"`` (CUDA if available, else CPU), ``"cpu"``, ``"cuda"`` or ``"mps"``.

    Raises
    ------
    InputError
        ``device`` is not one of :data:`DEVICES`, or names an accelerator this
        machine does not have.
    """
    import torch

    if device not in DEVICES:
        msg = f"unknown device {device!r}"
        raise InputError(msg, item="device", fix=f"choose one of {', '.join(DEVICES)}")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        msg = "device='cuda' was asked for, but torch sees no CUDA GPU on this machine"
        raise InputError(msg, item="device", fix="use device='cpu' (or 'auto', which falls back to the CPU)")
    if device == "mps" and not torch.backends.mps.is_available():
        msg = "device='mps' was asked for, but Apple's Metal backend is not available here"
        raise InputError(msg, item="device", fix="use device='cpu' (or 'auto')")
    return torch.device(device)


@contextlib.contextmanager
def torch_threads(n_threads: int | None) -> Iterator[None]:
    """Run a block with ``n_threads`` torch threads (``settings.n_threads`` if None), then restore."""
    import torch

    from omicsdl._core._settings import settings

    n = n_threads if n_threads is not None else settings.n_threads
    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(before)
