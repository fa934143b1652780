# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# Every path and command word comes from omicsdl._workflows.TcgaPlan (omicsdl/_workflows/_tcga.py),
# so the rules stay short and their commands are tested without Snakemake. Every value put into
# a shell command is quoted by Snakemake ({params.args:q} quotes each word of a list).

import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from omicsdl._workflows import (
    OMICSDL,
    TcgaPlan,
    config_mismatch,
    produced_upstream,
    require_file,
    requery_manifests,
    share_shell_names,
)


# --config requery=true arrives as the string 'true' (Snakemake parses only True/False): read it as the flag
if isinstance(config.get("requery"), str) and config["requery"].lower() in ("true", "false"):
    config["requery"] = config["requery"].lower() == "true"


# 1. the configuration, against workflow/schemas/config.schema.yaml (JSON Schema 2020-12),
#    before the DAG is built; a bad key is named with the values it may take.
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as err:
    raise config_mismatch(config, workflow.basedir, err) from None


# 2. configured input files exist (explicit manifests, probe map, network, gene sets)
for _type, _path in (config.get("manifests") or {}).items():
    if _path:
        require_file(f"manifests.{_type}", _path)
if config["ingest"]["probe_map"]:
    require_file("ingest.probe_map", config["ingest"]["probe_map"])
if config["analyses"]["g2vec"]["network"] != "demo":
    require_file("analyses.g2vec.network", config["analyses"]["g2vec"]["network"])
for _path in config["analyses"]["g2vec"]["gene_sets"]:
    require_file("analyses.g2vec.gene_sets", _path)


RESULTS = str(Path(config["results"]).resolve())
LOGS = "logs"
PLAN = TcgaPlan(config, Path(RESULTS))

# the subtype and G2Vec modules read the cohort this workflow writes: their input checks let it pass
produced_upstream(PLAN.cohort)


# 3. a re-query, only when asked (--config requery=true): a manifest is rewritten only if the
#    project's files changed, so an unchanged project recomputes nothing
if config["requery"]:
    for _line in requery_manifests(PLAN):
        print(f"tcga_multiomics: {_line}", file=sys.stderr)


def omicsdl_command():
    """omicsdl of the interpreter running Snakemake, or of the rule's conda env with --use-conda (words)."""
    from snakemake.settings.types import DeploymentMethod

    methods = getattr(getattr(workflow, "deployment_settings", None), "deployment_method", ()) or ()
    return ("omicsdl",) if DeploymentMethod.CONDA in methods else OMICSDL


OMICSDL_CLI = omicsdl_command()


def report_inputs(wildcards=None):
    inputs = [PLAN.cohort, PLAN.qc]
    if PLAN.runs("subtypes"):
        inputs.append(f"{RESULTS}/subtypes/metrics.json")
        if config["analyses"]["subtypes"]["classifier"]:
            inputs.append(f"{RESULTS}/subtypes/predicted_subtypes.tsv")
    if PLAN.runs("g2vec"):
        inputs += [f"{RESULTS}/g2vec/summary.json", f"{RESULTS}/g2vec/modules.tsv"]
    return inputs
