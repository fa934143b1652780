"""Errors that omicsdl raises for input a user can fix.

Every reader and command turns bad input into one :class:`InputError` whose
message names *where* (file, line, sample), *what* was expected and *how to fix
it*. The CLI prints the message and exits with status 2 — never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

__all__ = ["InputError", "ModelFormatError", "NotFittedError"]


class InputError(ValueError):
    """Bad input that the user can fix.

    Parameters
    ----------
    problem
        What is wrong, in plain words.
    source
        File (or other input) where the problem was found.
    line
        1-based line number in ``source``, when known.
    item
        Sample, patient, gene or key the problem concerns, when known.
    fix
        What the user should do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | PathLike[str] | None = None,
        line: int | None = None,
        item: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = None if source is None else str(source)
        self.line = line
        self.item = item
        self.fix = fix
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.source is not None:
            where.append(self.source if self.line is None else f"{self.source}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.item is not None:
            where.append(f"[{self.item}]")
        head = " ".join(where)
        msg = f"{head}: {self.problem}" if head else self.problem
        if self.fix:
            msg += f"\n  fix: {self.fix}"
        return msg


class ModelFormatError(InputError):
    """A saved model directory that this version of omicsdl cannot load."""


class NotFittedError(RuntimeError):
    """A fitted-object method was called before ``fit`` (or ``load``)."""
