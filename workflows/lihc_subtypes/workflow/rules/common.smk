# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# The workflow runs in the Python environment where omicsdl is installed (no conda
# envs): every rule calls the omicsdl command line of the interpreter running Snakemake
# (OMICSDL); the checks are shared by all workflows (omicsdl/_workflows/_snakefile.py).
# Every value a shell command uses is a word or a list of words, quoted there with {...:q}.

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from omicsdl._workflows import OMICSDL, config_mismatch, option_words, require_file


# 1. the configuration, against workflow/schemas/config.schema.yaml (JSON Schema 2020-12),
#    before the DAG is built; a bad key is named with the values it may take.
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as err:
    raise config_mismatch(config, workflow.basedir, err) from None


RESULTS = config["results"]
LOGS = "logs"


COHORT = config["cohort"] if config["cohort"] == "demo" else require_file("cohort", config["cohort"])
COHORT_INPUT = [] if COHORT == "demo" else [COHORT]
SUBTYPES = f"{RESULTS}/subtypes"


def report_inputs(wildcards=None):
    inputs = [f"{SUBTYPES}/metrics.json"]
    if config["classifier"]["run"]:
        inputs.append(f"{SUBTYPES}/predicted_subtypes.tsv")
    return inputs
