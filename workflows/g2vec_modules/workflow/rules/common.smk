# Shared set-up, read before any rule: configuration check, paths, the omicsdl command.
# The workflow runs in the Python environment where omicsdl is installed (no conda
# envs): every rule calls the omicsdl command line of the interpreter running Snakemake
# (OMICSDL); the checks are shared by all workflows (omicsdl/_workflows/_snakefile.py).
# Every value a shell command uses is a word or a list of words, quoted there with {...:q}.

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from omicsdl._workflows import OMICSDL, config_mismatch, require_file


# 1. the configuration, against workflow/schemas/config.schema.yaml (JSON Schema 2020-12),
#    before the DAG is built; a bad key is named with the values it may take.
try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as err:
    raise config_mismatch(config, workflow.basedir, err) from None


RESULTS = config["results"]
LOGS = "logs"


G2VEC = f"{RESULTS}/g2vec"
if config["source"] == "demo":
    G2VEC_INPUTS = []
    SOURCE_ARGS = ["demo"]
    NETWORK = "demo"
else:
    for key in ("expression", "network"):
        if not config.get(key):
            raise WorkflowError(f"config key '{key}' is required when source is 'files'")
    G2VEC_INPUTS = [require_file("expression", config["expression"]), require_file("network", config["network"])]
    SOURCE_ARGS = ["--expression", config["expression"], "--network", config["network"]]
    if config.get("labels"):
        G2VEC_INPUTS.append(require_file("labels", config["labels"]))
        SOURCE_ARGS += ["--labels", config["labels"]]
    NETWORK = config["network"]
GENE_SETS = [require_file("gene_sets", p) for p in config["gene_sets"]]


CURVE = f"{G2VEC}/learning_curve"  # where the G2Vec report section looks for it
CURVE_OUTPUTS = [f"{CURVE}/learning_curve.json"] if config["learning_curve"]["run"] else []


def _words(*pairs):
    """``--option value`` pairs as separate words (each is quoted by the rule's {params.options:q})."""
    return [str(word) for pair in pairs for word in pair]


def shared_options():
    """Options both `omicsdl g2vec` commands take, as words."""
    c = config["g2vec"]
    opts = _words(
        ("--seed", config["seed"]),
        ("--embedder", c["embedder"]),
        ("--horizon-days", c["horizon_days"]),
        ("--min-corr", c["min_corr"]),
        ("--n-walks", c["n_walks"]),
        ("--max-length", c["max_length"]),
        ("--n-biomarkers", c["n_biomarkers"]),
    )
    if c.get("log2"):
        opts.append("--log2")
    if c.get("max_epochs") is not None:
        opts += _words(("--max-epochs", c["max_epochs"]))
    return opts


def g2vec_options():
    c = config["g2vec"]
    opts = shared_options() + _words(
        ("--variant", c["variant"]),
        ("--n-splits", c["n_splits"]),
        ("--n-repeats", c["n_repeats"]),
        ("--null-draws", c["null_draws"]),
    )
    if not c["evaluate"]:
        opts.append("--no-evaluate")
    return opts + _words(*(("--gene-sets", p) for p in GENE_SETS))


def curve_options():
    c = config["learning_curve"]
    return shared_options() + _words(
        ("--sizes", c["sizes"]),
        ("--n-repeats", c["n_repeats"]),
        ("--n-seeds", c["n_seeds"]),
        ("--test-fraction", c["test_fraction"]),
    )
