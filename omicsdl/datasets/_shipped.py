"""Data files shipped inside the package, checked against their folder's ``SHA256SUMS``."""

from __future__ import annotations

import hashlib
from importlib.resources import files

from omicsdl._core._errors import InputError

__all__ = ["checked_bytes"]


def checked_bytes(package: str, name: str, *, problem: str, fix: str) -> bytes:
    """Content of the resource ``name`` of ``package``, refused unless its sha256 is the listed one.

    Parameters
    ----------
    package
        Package holding the file and its ``SHA256SUMS`` (``<digest>  <name>`` lines).
    name
        File name.
    problem, fix
        The :class:`~omicsdl.InputError` message and fix for a mismatch.
    """
    folder = files(package)
    sums = dict(reversed(line.split()) for line in (folder / "SHA256SUMS").read_text().splitlines())
    resource = folder / name
    data = resource.read_bytes()
    if hashlib.sha256(data).hexdigest() != sums[name]:
        raise InputError(problem, source=str(resource), fix=fix)
    return data
