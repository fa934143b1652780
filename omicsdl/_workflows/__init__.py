"""Locate, check and run the packaged Snakemake workflows (``workflows/<name>``).

The workflows live beside the package (``<repo>/workflows``); rules call the
``omicsdl`` command line through the interpreter that runs Snakemake, so a
workflow always uses the omicsdl it was started from.
"""

from __future__ import annotations

from omicsdl._workflows._config import config_errors, validate_config
from omicsdl._workflows._demo import DEMO_PLAN, run_cohort_demo, run_demo, write_demo_cohort
from omicsdl._workflows._locate import WORKFLOWS, workflow_dir, workflows_root
from omicsdl._workflows._run import WorkflowFailed, run_workflow, snakemake_command
from omicsdl._workflows._snakefile import OMICSDL, config_mismatch, require_file

__all__ = [
    "DEMO_PLAN",
    "OMICSDL",
    "WORKFLOWS",
    "WorkflowFailed",
    "config_errors",
    "config_mismatch",
    "require_file",
    "run_cohort_demo",
    "run_demo",
    "run_workflow",
    "snakemake_command",
    "validate_config",
    "workflow_dir",
    "workflows_root",
    "write_demo_cohort",
]
