"""The one registry of packaged workflows: name → results folder, report section, description.

The locator (:func:`~omicsdl._workflows.workflow_dir`), the demo
(:func:`~omicsdl._workflows.run_demo` and its Snakefile ``demo.smk``) and the
workflow tests all read this table, so a workflow is added in one place.
:data:`DEMO_WORKFLOWS` are those the demo runs on the embedded data;
``tcga_multiomics`` starts from a GDC project (a download), so it is not one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["DEMO_WORKFLOWS", "WORKFLOWS", "WorkflowSpec"]


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
        :func:`omicsdl.report.build_report` (``cohort`` for the overview;
        ``report`` for a workflow that writes a combined report of its own).
    description
        One line for listings (README, ``omicsdl demo --help``).
    command
        The ``omicsdl`` subcommand (words) of the workflow's analysis step, or
        ``None`` for the cohort overview (it only writes and reports the cohort).
    demo
        Whether ``omicsdl demo`` runs it (on the embedded data).
    """

    name: str
    results: str
    section: str
    description: str
    command: tuple[str, ...] | None
    demo: bool = True


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
    (
        "tcga_multiomics",
        "report",
        "report",
        ("fetch",),
        "a GDC project end to end: query, download, ingest, QC, subtypes, G2Vec, one combined report",
    ),
)
#: workflows that start from a download, not from the embedded data: not part of the demo
_NOT_IN_DEMO = frozenset({"tcga_multiomics"})

#: every packaged workflow, in the order the demo and the report list them
WORKFLOWS: MappingProxyType[str, WorkflowSpec] = MappingProxyType(
    {
        name: WorkflowSpec(
            name=name,
            results=results,
            section=section,
            description=description,
            command=command,
            demo=name not in _NOT_IN_DEMO,
        )
        for name, results, section, command, description in _TABLE
    }
)
#: the workflows ``omicsdl demo`` runs, in order
DEMO_WORKFLOWS: MappingProxyType[str, WorkflowSpec] = MappingProxyType(
    {name: spec for name, spec in WORKFLOWS.items() if spec.demo}
)
