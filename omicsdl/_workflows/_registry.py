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


#: every packaged workflow, in the order the demo and the report list them
WORKFLOWS: MappingProxyType[str, WorkflowSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            WorkflowSpec(
                name="cohort_overview",
                results="cohort",
                section="cohort",
                description="the cohort's omics, QC, preprocessing and overall survival",
                command=None,
            ),
            WorkflowSpec(
                name="lihc_subtypes",
                results="subtypes",
                section="subtypes",
                description="survival subtypes from multi-omics, nested cross-validation (Chaudhary et al. 2018)",
                command=("subtypes", "evaluate"),
            ),
            WorkflowSpec(
                name="g2vec_modules",
                results="g2vec",
                section="g2vec",
                description="G2Vec gene-path embeddings, biomarkers, modules, enrichment (Choi et al. 2018)",
                command=("g2vec", "run"),
            ),
            WorkflowSpec(
                name="blood_classifier",
                results="blood",
                section="blood",
                description="the nine-gene blood panel: MLP against three baselines (Xie et al. 2018)",
                command=("blood", "evaluate"),
            ),
            WorkflowSpec(
                name="mrs_liver",
                results="mrs",
                section="mrs",
                description="liver 1H-MRS qCNN/cCNN against linear-combination fitting (Bae et al. 2025), simulated",
                command=("mrs", "evaluate"),
            ),
        )
    }
)
