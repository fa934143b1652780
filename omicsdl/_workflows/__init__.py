"""Locate, check and run the packaged Snakemake workflows (``workflows/<name>``); the demo.

The workflows live beside the package (``<repo>/workflows``); rules call the
``omicsdl`` command line through the interpreter that runs Snakemake, so a
workflow always uses the omicsdl it was started from. :data:`WORKFLOWS` is the
one registry of their names; :func:`run_demo` runs them all as modules of one
Snakemake run (``demo.smk``).
"""

from __future__ import annotations

from omicsdl._workflows._config import config_errors, validate_config
from omicsdl._workflows._demo import DEMO_SNAKEFILE, run_cohort_demo, run_demo, write_demo_cohort
from omicsdl._workflows._locate import workflow_dir, workflows_root
from omicsdl._workflows._registry import DEMO_WORKFLOWS, WORKFLOWS, WorkflowSpec
from omicsdl._workflows._run import (
    WorkflowFailed,
    failed_steps,
    run_snakemake,
    run_workflow,
    snakemake_command,
)
from omicsdl._workflows._snakefile import (
    OMICSDL,
    analysis_targets,
    config_mismatch,
    option_words,
    produced_upstream,
    require_file,
    share_shell_names,
)
from omicsdl._workflows._tcga import TcgaPlan, requery_manifests

__all__ = [
    "DEMO_SNAKEFILE",
    "DEMO_WORKFLOWS",
    "OMICSDL",
    "WORKFLOWS",
    "TcgaPlan",
    "WorkflowFailed",
    "WorkflowSpec",
    "analysis_targets",
    "config_errors",
    "config_mismatch",
    "failed_steps",
    "option_words",
    "produced_upstream",
    "requery_manifests",
    "require_file",
    "run_cohort_demo",
    "run_demo",
    "run_snakemake",
    "run_workflow",
    "share_shell_names",
    "snakemake_command",
    "validate_config",
    "workflow_dir",
    "workflows_root",
    "write_demo_cohort",
]
