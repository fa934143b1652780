# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# The workflow runs in the Python environment where omicsdl is installed (no conda
# envs): every rule calls the omicsdl command line of the interpreter running Snakemake.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from omicsdl._workflows import config_errors


# 1. the configuration, against workflow/schemas/config.schema.yaml (JSON Schema 2020-12),
#    before the DAG is built; a bad key is named with the values it may take.
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as err:
    problems = config_errors(config, Path(workflow.basedir) / "schemas" / "config.schema.yaml")
    raise WorkflowError(
        "the configuration does not match workflow/schemas/config.schema.yaml:\n  - "
        + "\n  - ".join(problems or [str(err)])
        + "\n(every key is documented in config/config.yaml and config/README.md)"
    ) from None


def require_file(key, path):
    """Stop before the DAG runs when a configured input file is missing, naming it."""
    if not Path(path).is_file():
        raise WorkflowError(
            f"input file not found: config key '{key}' points to {path} "
            f"(working directory {Path.cwd()}); fix the path in the config file"
        )
    return path


OMICSDL = f'"{sys.executable}" -m omicsdl'
RESULTS = config["results"]
LOGS = "logs"


BLOOD = f"{RESULTS}/blood"
if config["simulate"]:
    BLOOD_INPUTS = []
    BLOOD_SOURCE = "--simulate"
else:
    if not config.get("input"):
        raise WorkflowError("config key 'input' is required when simulate is false")
    BLOOD_INPUTS = [require_file("input", config["input"])]
    BLOOD_SOURCE = f"--train {config['input']}"
if config.get("validation"):
    BLOOD_INPUTS.append(require_file("validation", config["validation"]))
    BLOOD_SOURCE += f" --validation {config['validation']}"
