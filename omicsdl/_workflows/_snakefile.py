"""What every workflow's ``rules/common.smk`` shares: the omicsdl command, the config and input checks.

Imported by the Snakefiles only (the checks raise Snakemake's ``WorkflowError``,
imported when raised, so ``omicsdl`` does not need Snakemake).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._workflows._config import config_errors

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["OMICSDL", "config_mismatch", "require_file"]

#: The omicsdl command line of the interpreter running Snakemake, for every rule's shell command.
OMICSDL = f'"{sys.executable}" -m omicsdl'


def config_mismatch(
    config: Mapping[str, Any], workflow_folder: str | os.PathLike[str], error: Exception
) -> Exception:
    """The ``WorkflowError`` to raise when ``snakemake.utils.validate`` rejected ``config``.

    It lists every bad key with the values it may take (:func:`config_errors`
    on ``<workflow_folder>/schemas/config.schema.yaml``), or Snakemake's own
    ``error`` when that finds nothing.
    """
    from snakemake.exceptions import WorkflowError

    problems = config_errors(config, Path(workflow_folder) / "schemas" / "config.schema.yaml")
    return WorkflowError(
        "the configuration does not match workflow/schemas/config.schema.yaml:\n  - "
        + "\n  - ".join(problems or [str(error)])
        + "\n(every key is documented in config/config.yaml and config/README.md)"
    )


def require_file(key: str, path: str) -> str:
    """Stop before the DAG runs when a configured input file is missing, naming it; return ``path``."""
    if not Path(path).is_file():
        from snakemake.exceptions import WorkflowError

        raise WorkflowError(
            f"input file not found: config key '{key}' points to {path} "
            f"(working directory {Path.cwd()}); fix the path in the config file"
        )
    return path
