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


BLOOD = f"{RESULTS}/blood"
if config["simulate"]:
    BLOOD_INPUTS = []
    BLOOD_SOURCE = ["--simulate", "--scenario", str(config.get("scenario", "linear"))]
else:
    if not config.get("input"):
        raise WorkflowError("config key 'input' is required when simulate is false")
    BLOOD_INPUTS = [require_file("input", config["input"])]
    BLOOD_SOURCE = ["--train", config["input"]]
if config.get("validation"):
    BLOOD_INPUTS.append(require_file("validation", config["validation"]))
    BLOOD_SOURCE += ["--validation", config["validation"]]

# the scenario table (SYNTHETIC; independent of `input`), nested in the blood folder for the report
TABLE = config.get("scenario_table", {})
SCENARIO_TABLE = f"{BLOOD}/scenarios"
SCENARIO_TABLE_OUTPUTS = [f"{SCENARIO_TABLE}/scenarios.json"] if TABLE.get("run", False) else []
