# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# The workflow runs in the Python environment where omicsdl is installed (no conda
# envs): every rule calls the omicsdl command line of the interpreter running Snakemake.
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

try:
    from omicsdl._workflows import config_errors
except ImportError:  # an omicsdl without the workflow helpers: jsonschema's messages, per key

    def config_errors(config, schema):
        import yaml
        from jsonschema import Draft202012Validator

        sch = yaml.safe_load(Path(schema).read_text())
        return [
            f"config key '{'.'.join(str(p) for p in err.absolute_path) or '(top level)'}': {err.message}"
            for err in Draft202012Validator(sch).iter_errors(dict(config))
        ]


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


# 2. evaluation: everything SIMULATED (labelled so in metrics.json and the figures)
MRS = f"{RESULTS}/mrs"
EVALUATE_OUTPUTS = [
    f"{MRS}/metrics.json",
    f"{MRS}/fit_example.png",
    f"{MRS}/roc.png",
    f"{MRS}/classification_scores.tsv",
]

# 3. optional: the fitted models (and the fit) on further spectra, simulated or yours
APPLY = config["apply"]
APPLY_DIR = f"{MRS}/apply"
APPLY_OUTPUTS = []
SPECTRA = []
if APPLY["enabled"]:
    if APPLY["spectra"]:
        SPECTRA = require_file("apply.spectra", APPLY["spectra"])
    else:
        SPECTRA = f"{APPLY_DIR}/simulated_spectra.npz"
    APPLY_OUTPUTS = [f"{APPLY_DIR}/qcnn_amplitudes.tsv", f"{APPLY_DIR}/ccnn_classes.tsv"]
    if APPLY["fit"]:
        APPLY_OUTPUTS += [f"{APPLY_DIR}/fit_amplitudes.tsv", f"{APPLY_DIR}/fit_first_spectrum.png"]
ACQUISITION = " ".join(
    f"--{flag} {APPLY[key]}" for flag, key in (("field", "field_mhz"), ("dwell", "dwell_s")) if APPLY[key]
)
