"""The ``omicsdl`` logger: one stderr handler, level set by ``settings.verbosity``.

Library modules use ``logging.getLogger(__name__)``; nothing here calls
``logging.basicConfig``, so applications embedding omicsdl keep control.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["configure", "progress"]

_T = TypeVar("_T")
_HANDLER_NAME = "omicsdl-stderr"


def configure(level: int) -> None:
    """Set the level of the ``omicsdl`` logger and attach its stderr handler once."""
    logger = logging.getLogger("omicsdl")
    logger.setLevel(level)
    if not any(h.get_name() == _HANDLER_NAME for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
        logger.propagate = False


def _on_screen(stream: object) -> bool:
    """Whether ``stream`` is a terminal or a Jupyter kernel's output (not a log file or a pipe)."""
    try:
        if stream.isatty():  # type: ignore[attr-defined]
            return True
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False
    return "ipykernel" in sys.modules


def progress(iterable: Iterable[_T], *, desc: str, total: int | None = None) -> Iterator[_T]:
    """Wrap ``iterable`` in a tqdm progress bar when ``settings.verbosity`` is info or debug.

    The bar goes to stderr only when a person watches it (a terminal or a Jupyter
    notebook): a log file or a pipe (a workflow's ``logs/<rule>.log``) gets no bars.

    Parameters
    ----------
    iterable
        What to iterate over.
    desc
        The bar's label.
    total
        Number of items, when ``iterable`` has no length.
    """
    from omicsdl._core._settings import settings

    if not settings.show_progress or not _on_screen(sys.stderr):
        yield from iterable
        return
    from tqdm.auto import tqdm

    yield from tqdm(iterable, desc=desc, total=total, file=sys.stderr, leave=False)
