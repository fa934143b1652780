"""Where the packaged workflows are."""

from __future__ import annotations

from pathlib import Path

from omicsdl._core._errors import InputError
from omicsdl._workflows._registry import WORKFLOWS

__all__ = ["workflow_dir", "workflows_root"]


def workflows_root() -> Path:
    """The ``workflows/`` folder shipped beside the ``omicsdl`` package.

    Works for a source checkout and an editable install (``pip install -e .``);
    a wheel carries the folder as ``omicsdl/_workflow_files``.
    """
    import omicsdl

    here = Path(omicsdl.__file__).resolve().parent
    first = next(iter(WORKFLOWS))
    for candidate in (here / "_workflow_files", here.parent / "workflows"):
        if (candidate / first / "workflow" / "Snakefile").is_file():
            return candidate
    raise InputError(
        "the omicsdl workflows folder was not found",
        source=here.parent / "workflows",
        fix="install omicsdl from a source checkout (`pip install -e .`)",
    )


def workflow_dir(name: str) -> Path:
    """The folder of workflow ``name`` (a key of :data:`~omicsdl._workflows.WORKFLOWS`)."""
    if name not in WORKFLOWS:
        raise InputError(f"unknown workflow {name!r}", item=name, fix=f"choose one of {', '.join(WORKFLOWS)}")
    return workflows_root() / name
