"""Silence third-party chatter without racing other threads' warning filters."""

from __future__ import annotations

import contextlib
import threading
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["quiet_in_main_thread"]


@contextlib.contextmanager
def quiet_in_main_thread() -> Iterator[None]:
    """Ignore warnings inside the block, in the main thread only.

    :class:`warnings.catch_warnings` changes process-wide state and is not
    thread-safe before Python 3.14, so worker threads (models fitted side by
    side) rely on the filters their caller set once instead.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
