# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# The workflow runs in the Python environment where omicsdl is installed (no conda
# envs): every rule calls the omicsdl command line of the interpreter running Snakemake
# (OMICSDL); the checks are shared by all workflows (omicsdl/_workflows/_snakefile.py).
# Every value a shell command uses is a word or a list of words, quoted there with {...:q}.
from pathlib import Path

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
ACQUISITION = [
    word
    for flag, key in (("--field", "field_mhz"), ("--dwell", "dwell_s"))
    if APPLY[key]
    for word in (flag, str(APPLY[key]))
]
