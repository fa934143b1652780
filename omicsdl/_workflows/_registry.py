"""The one registry of packaged workflows: name → results folder, report section, description.

The locator (:func:`~omicsdl._workflows.workflow_dir`), the demo
(:func:`~omicsdl._workflows.run_demo` and its Snakefile ``demo.smk``) and the
workflow tests all read this table, so a workflow is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["WORKFLOWS", "WorkflowSpec"]


@dataclass(frozen=True, slots=True)
class WorkflowSpec:
    """One packaged workflow (``workflows/<name>``).

    Attributes
    ----------
    name
        Folder under ``workflows/`` and the Snakemake module name in the demo.
    results
        Sub-folder of the workflow's ``results/`` that holds its outputs (the
        folder the combined report reads).
    section
        The report section that shows it: the keyword of
        :func:`omicsdl.report.build_report` (``cohort`` for the overview).
    description
        One line for listings (README, ``omicsdl demo --help``).
    command
        The ``omicsdl`` subcommand (words) of the workflow's analysis step, or
        ``None`` for the cohort overview (it only writes and reports the cohort).
    """

    name: str
    results: str
    section: str
    description: str
    command: tuple[str, ...] | None


# name, results folder, report section, analysis command, description
_TABLE: tuple[tuple[str, str, str, tuple[str, ...] | None, str], ...] = (
    (
        "cohort_overview",
        "cohort",
        "cohort",
        None,
        "the cohort's omics, QC, preprocessing and overall survival",
    ),
    (
        "lihc_subtypes",
        "subtypes",
        "subtypes",
        ("subtypes", "evaluate"),
        "survival subtypes from multi-omics, nested cross-validation (Chaudhary et al. 2018)",
    ),
    (
        "g2vec_modules",
        "g2vec",
        "g2vec",
        ("g2vec", "run"),
        "G2Vec gene-path embeddings, biomarkers, modules, enrichment (Choi et al. 2018)",
    ),
    (
        "blood_classifier",
        "blood",
        "blood",
        ("blood", "evaluate"),
        "the nine-gene blood panel: MLP against three baselines (Xie et al. 2018)",
    ),
    (
        "mrs_liver",
        "mrs",
        "mrs",
        ("mrs", "evaluate"),
        "liver 1H-MRS qCNN/cCNN against linear-combination fitting (Bae et al. 2025), simulated",
    ),
)

#: every packaged workflow, in the order the demo and the report list them
WORKFLOWS: MappingProxyType[str, WorkflowSpec] = MappingProxyType(
    {
        name: WorkflowSpec(
            name=name, results=results, section=section, description=description, command=command
        )
        for name, results, section, command, description in _TABLE
    }
)
