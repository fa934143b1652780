"""The plan of the ``tcga_multiomics`` workflow: paths, command words and module configs from its config.

``workflows/tcga_multiomics/workflow/rules/common.smk`` builds one :class:`TcgaPlan`
from the validated config; every rule takes its paths and its command words from
it (each word is shell-quoted by Snakemake's ``{params.args:q}``), and the
subtype and G2Vec analyses get their module configs from it. Keeping this in
Python keeps the rules short and lets the tests check the commands without
Snakemake.

Layout of a run (``results`` is the config's results folder)::

    <results>/gdc/<type>.manifest.txt     the manifest of each data type (kept: the run's record)
    <results>/gdc/<type>/<id>/<name>      the downloaded files, GDC client layout
    <results>/gdc/<type>/metadata.json    written by `omicsdl fetch` when every file is verified
    <results>/cohort/cohort.h5mu          `omicsdl ingest` (+ cohort.dropped.tsv, ingest.json)
    <results>/cohort/qc.tsv               `omicsdl info` (the QC gate before the analyses)
    <results>/subtypes/, <results>/g2vec/ the analyses (modules lihc_subtypes, g2vec_modules)
    <results>/report/index.html           `omicsdl report`: cohort, subtypes, G2Vec in one page
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["OMICS", "TcgaPlan", "requery_manifests"]

logger = logging.getLogger(__name__)

#: the omics data types (clinical XML is always downloaded as well)
OMICS = ("rna", "mirna", "methylation")
#: the option of `omicsdl fetch` for each field of omicsdl.io.GDC_QUERIES
_QUERY_OPTIONS = {
    "data_category": "--data-category",
    "data_type": "--data-type",
    "workflow_type": "--workflow-type",
    "data_format": "--data-format",
    "platform": "--platform",
}


@dataclass(frozen=True)
class TcgaPlan:
    """Paths and commands of one ``tcga_multiomics`` run.

    Parameters
    ----------
    config
        The validated workflow config (see ``workflow/schemas/config.schema.yaml``).
    results
        The results folder, absolute (the modules write into it too).
    """

    config: Mapping[str, Any]
    results: Path

    # -- data ---------------------------------------------------------------------------------
    @property
    def data_types(self) -> list[str]:
        """Configured omics, then ``clinical`` (always needed for survival)."""
        return [t for t in OMICS if t in self.config["data_types"]] + ["clinical"]

    @property
    def omics(self) -> list[str]:
        """The configured omics data types."""
        return [t for t in self.data_types if t != "clinical"]

    def queried(self, data_type: str) -> bool:
        """Whether the manifest of ``data_type`` comes from a GDC query (no explicit manifest given)."""
        return not (self.config.get("manifests") or {}).get(data_type)

    def manifest(self, data_type: str) -> str:
        """The manifest of ``data_type``: the configured one, or the query's (kept under results/gdc)."""
        given = (self.config.get("manifests") or {}).get(data_type)
        return (
            str(Path(given).resolve()) if given else str(self.results / "gdc" / f"{data_type}.manifest.txt")
        )

    def folder(self, data_type: str) -> str:
        """The download folder of ``data_type``."""
        return str(self.results / "gdc" / data_type)

    def metadata(self, data_type: str) -> str:
        """The ``metadata.json`` that `omicsdl fetch` writes once every file is verified."""
        return str(self.results / "gdc" / data_type / "metadata.json")

    @property
    def cohort(self) -> str:
        """The ingested cohort."""
        return str(self.results / "cohort" / "cohort.h5mu")

    @property
    def qc(self) -> str:
        """The QC table (written only when the cohort passes the QC gate)."""
        return str(self.results / "cohort" / "qc.tsv")

    # -- commands -------------------------------------------------------------------------------
    def _gdc(self) -> list[str]:
        gdc = self.config["gdc"]
        return ["--base-url", str(gdc["base_url"]), "--timeout", str(gdc["timeout"])]

    def query_args(self, data_type: str) -> list[str]:
        """`omicsdl fetch` words that write the manifest of ``data_type`` (no download)."""
        from omicsdl.io._fetch_query import GDC_QUERIES

        words = ["--project", str(self.config["project"])]
        for field, value in GDC_QUERIES[data_type].items():
            words += [_QUERY_OPTIONS[field], value]
        return [*words, "--manifest-out", self.manifest(data_type), *self._gdc()]

    def fetch_args(self, data_type: str) -> list[str]:
        """`omicsdl fetch` words that download (verified, resumable) the manifest of ``data_type``."""
        gdc = self.config["gdc"]
        words = ["--manifest", self.manifest(data_type), "--out", self.folder(data_type), *self._gdc()]
        return [*words, "--jobs", str(gdc["jobs"]), "--retries", str(gdc["retries"])]

    def ingest_args(self) -> list[str]:
        """`omicsdl ingest` words: exactly the manifests' files, sample types, the clinical XML."""
        ingest = self.config["ingest"]
        words: list[str] = []
        for omic in self.omics:
            words += [f"--{omic}", self.folder(omic), f"--{omic}-metadata", self.metadata(omic)]
            words += ["--manifest", f"{omic}={self.manifest(omic)}"]
        words += ["--clinical", self.folder("clinical"), "--project", str(self.config["project"])]
        words += ["--name", str(self.config["project"]), "--sample-types", *ingest["sample_types"]]
        if ingest.get("probe_map"):
            words += ["--probe-map", str(Path(ingest["probe_map"]).resolve())]
        cohort = Path(self.cohort)
        words += ["--out", self.cohort, "--report", str(cohort.with_name("cohort.dropped.tsv"))]
        return [*words, "--summary", str(cohort.with_name("ingest.json"))]

    def qc_args(self) -> list[str]:
        """`omicsdl info` words: the QC gate (survival, patients, events) and the QC table."""
        qc = self.config["qc"]
        words = [self.cohort, "--require-survival", "--min-patients", str(qc["min_patients"])]
        return [*words, "--min-events", str(qc["min_events"]), "--qc-table", self.qc]

    # -- the analyses (Snakemake modules) --------------------------------------------------------
    def runs(self, analysis: str) -> bool:
        """Whether ``subtypes`` or ``g2vec`` is configured to run."""
        return bool(self.config["analyses"][analysis]["run"])

    def subtypes_config(self) -> dict[str, Any]:
        """The config of the ``lihc_subtypes`` module on this run's cohort."""
        sub = self.config["analyses"]["subtypes"]
        return {
            "cohort": self.cohort,
            "results": str(self.results),
            "seed": self.config["seed"],
            "evaluate": {"folds": sub["folds"], "repeats": sub["repeats"], "extra": sub["evaluate_extra"]},
            "classifier": {"run": sub["classifier"], "fit_extra": sub["fit_extra"]},
            "report": {"title": self.config["report"]["title"]},
        }

    def network(self) -> str:
        """The network G2Vec uses: the configured file, or the shipped STRING subset for ``demo``."""
        network = self.config["analyses"]["g2vec"]["network"]
        if network == "demo":
            from omicsdl.datasets import string_demo_network_path

            return str(string_demo_network_path())
        return str(Path(network).resolve())

    def g2vec_config(self) -> dict[str, Any]:
        """The config of the ``g2vec_modules`` module on this run's mRNA."""
        g2vec = dict(self.config["analyses"]["g2vec"])
        return {
            "source": "files",
            "expression": self.cohort,
            "network": self.network(),
            "gene_sets": [str(Path(p).resolve()) for p in g2vec.pop("gene_sets")],
            "results": str(self.results),
            "seed": self.config["seed"],
            "g2vec": {k: v for k, v in g2vec.items() if k not in ("run", "network")},
            "report": {"title": self.config["report"]["title"]},
        }

    def report_args(self) -> list[str]:
        """`omicsdl report` words: the cohort, the analyses that ran, the run description."""
        words = ["--cohort", self.cohort]
        if self.runs("subtypes"):
            words += ["--subtypes", str(self.results / "subtypes")]
        if self.runs("g2vec"):
            words += ["--g2vec", str(self.results / "g2vec"), "--g2vec-network", self.network()]
        words += ["--run-info", str(self.results / "cohort" / "ingest.json")]
        words += ["--title", str(self.config["report"]["title"]), "--out", str(self.results / "report")]
        # a re-run: Snakemake removed index.html (the rule's output), so the folder this rule wrote
        # is no longer recognised; --force replaces only the report's own files, others are kept
        return [*words, "--force"]


def requery_manifests(plan: TcgaPlan) -> list[str]:
    """Ask the GDC again for each queried data type; rewrite a kept manifest only when it changed.

    Called by the workflow when the user runs it with ``--config requery=true``:
    an unchanged manifest keeps its modification time (Snakemake then recomputes
    nothing), a changed one is rewritten and everything built on it is redone.

    Parameters
    ----------
    plan
        The run.

    Returns
    -------
    One line per data type saying what changed.
    """
    from omicsdl.io import GDC_QUERIES, query_gdc_manifest, update_gdc_manifest

    lines = []
    gdc = plan.config["gdc"]
    for data_type in plan.data_types:
        path = Path(plan.manifest(data_type))
        if not plan.queried(data_type) or not path.is_file():
            continue  # an explicit manifest is the user's; a missing one is written by the query rule
        entries = query_gdc_manifest(
            base_url=gdc["base_url"],
            timeout=float(gdc["timeout"]),
            project=plan.config["project"],
            access="open",
            **GDC_QUERIES[data_type],
        )
        change = update_gdc_manifest(entries, path)
        lines.append(f"re-query {data_type}: {change.summary()}")
        logger.info("re-query %s: %s", data_type, change.summary())
    return lines
