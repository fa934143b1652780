"""Helpers shared by the report sections that read results folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os

    from omicsdl.report._builder import Report

__all__ = ["find_file", "fmt_num", "fmt_p", "read_json", "read_tsv", "require_dir"]


def require_dir(path: str | os.PathLike[str], what: str, must_have: str) -> Path:
    """``path`` as a results folder holding ``must_have``; else an InputError naming both.

    Parameters
    ----------
    path
        The results folder.
    what
        The step that writes it, in the error message ("subtypes").
    must_have
        The file the folder must hold.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise InputError(
            f"the {what} results folder does not exist",
            source=folder,
            fix=f"run the {what} step first, or drop this option to leave {what} out of the report",
        )
    if not (folder / must_have).is_file():
        raise InputError(
            f"the {what} results folder has no {must_have}",
            source=folder,
            fix=f"point to the folder the {what} step wrote (it holds {must_have})",
        )
    return folder


def find_file(folder: Path, *names: str) -> Path | None:
    """The first of ``names`` (glob patterns) found in ``folder`` or ``folder/tables``."""
    for name in names:
        for base in (folder, folder / "tables"):
            hits = sorted(base.glob(name))
            if hits:
                return hits[0]
    return None


def read_json(path: Path, report: Report | None = None) -> dict[str, Any]:
    """A JSON object from ``path`` (recorded as a report input), or an InputError."""
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise InputError(
            f"cannot read JSON: {err}", source=path, fix="re-run the step that wrote it"
        ) from err
    if not isinstance(doc, dict):
        raise InputError("expected a JSON object", source=path, fix="re-run the step that wrote it")
    if report is not None:
        report.add_input(path, label=f"{path.parent.name}/{path.name}")
    return doc


def read_tsv(path: Path, report: Report, module: str) -> pd.DataFrame:
    """A tab-separated table from ``path``, recorded as the report input ``<module>/<file name>``.

    Parameters
    ----------
    path
        The ``.tsv`` file.
    report
        The report that records it as an input (with its sha256).
    module
        The results folder's module, the first part of the input's label.
    """
    report.add_input(path, label=f"{module}/{path.name}")
    return pd.read_csv(path, sep="\t")


def fmt_p(p: Any) -> str:
    """A p-value for people: ``3.1e-05``, ``0.042``, or ``n/a``."""
    if p is None:
        return "n/a"
    p = float(p)
    if p != p:
        return "n/a"
    return f"{p:.2g}" if p >= 1e-3 else f"{p:.1e}"


def fmt_num(x: Any, digits: int = 2) -> str:
    """A number rounded for display, or ``n/a``."""
    if x is None:
        return "n/a"
    x = float(x)
    return "n/a" if x != x else f"{x:.{digits}f}"
