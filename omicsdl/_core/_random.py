"""One way to take randomness: ``rng: int | np.random.Generator | None``.

Library code never touches global random state; it converts ``rng`` once with
:func:`as_generator` and derives integer seeds for libraries that want them
(torch, gensim, scikit-learn) with :func:`derive_seed`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RNGLike", "as_generator", "derive_seed", "torch_generator"]

RNGLike = int | np.random.Generator | None


def as_generator(rng: RNGLike = None) -> np.random.Generator:
    """Return a NumPy generator; ``None`` means the package default seed (``settings.seed``).

    Examples
    --------
    >>> from omicsdl._core import as_generator
    >>> int(as_generator(0).integers(10)) == int(as_generator(0).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        from omicsdl._core._settings import settings

        rng = settings.seed
    return np.random.default_rng(rng)


def derive_seed(rng: RNGLike = None) -> int:
    """Draw a 31-bit integer seed from ``rng`` for libraries that take an int."""
    return int(as_generator(rng).integers(0, 2**31 - 1))


def torch_generator(seed: int):
    """A CPU ``torch.Generator`` seeded with ``seed`` (no global torch state is touched)."""
    import torch

    gen = torch.Generator(device="cpu")
    gen.manual_seed(int(seed))
    return gen
