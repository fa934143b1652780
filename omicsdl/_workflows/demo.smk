# The omicsdl demo: the packaged workflows as Snakemake modules in ONE run, so that Snakemake
# schedules their independent jobs side by side on the cores it is given.
#
# `omicsdl demo --out DIR` writes DIR/config/ and runs, in DIR:
#   python -m snakemake --snakefile <this file> --directory DIR --configfile DIR/config/demo.yaml --cores 2
# which can be re-run as it is (Snakemake then redoes only what is missing or changed).
#
# Each workflow reads its own settings from DIR/workflows/<name>/config/config.yaml (a copy of its
# config/demo.yaml) and keeps its logs in DIR/workflows/<name>/logs (the module prefix); all write
# their results into one folder, DIR/results/<results folder> (omicsdl._workflows.WORKFLOWS).
# The workflows' own HTML reports are not built here: `omicsdl demo` writes one combined report.

from pathlib import Path

import yaml

from omicsdl._workflows import DEMO_WORKFLOWS, OMICSDL, analysis_targets, share_shell_names, workflow_dir


RUN = list(config.get("run") or DEMO_WORKFLOWS)
unknown = sorted(set(RUN) - set(DEMO_WORKFLOWS))
if unknown:
    raise ValueError(f"config key 'run' names unknown workflows {unknown}; known: {', '.join(DEMO_WORKFLOWS)}")
RESULTS = str(Path(config.get("results", "results")).resolve())


def settings(name):
    """The workflow's config file, with every module writing into the one results folder."""
    doc = yaml.safe_load(Path(f"workflows/{name}/config/config.yaml").read_text()) or {}
    return doc | {"results": RESULTS}


def snakefile(name):
    return str(workflow_dir(name) / "workflow" / "Snakefile")


TARGETS = []


if "cohort_overview" in RUN:

    module cohort_overview:
        snakefile:
            snakefile("cohort_overview")
        config:
            settings("cohort_overview")
        prefix:
            "workflows/cohort_overview"

    use rule * from cohort_overview as cohort_overview_*

    TARGETS += analysis_targets(rules, "cohort_overview")


if "lihc_subtypes" in RUN:

    module lihc_subtypes:
        snakefile:
            snakefile("lihc_subtypes")
        config:
            settings("lihc_subtypes")
        prefix:
            "workflows/lihc_subtypes"

    use rule * from lihc_subtypes as lihc_subtypes_*

    TARGETS += analysis_targets(rules, "lihc_subtypes")


if "g2vec_modules" in RUN:

    module g2vec_modules:
        snakefile:
            snakefile("g2vec_modules")
        config:
            settings("g2vec_modules")
        prefix:
            "workflows/g2vec_modules"

    use rule * from g2vec_modules as g2vec_modules_*

    TARGETS += analysis_targets(rules, "g2vec_modules")


if "blood_classifier" in RUN:

    module blood_classifier:
        snakefile:
            snakefile("blood_classifier")
        config:
            settings("blood_classifier")
        prefix:
            "workflows/blood_classifier"

    use rule * from blood_classifier as blood_classifier_*

    TARGETS += analysis_targets(rules, "blood_classifier")


if "mrs_liver" in RUN:

    module mrs_liver:
        snakefile:
            snakefile("mrs_liver")
        config:
            settings("mrs_liver")
        prefix:
            "workflows/mrs_liver"

    use rule * from mrs_liver as mrs_liver_*

    TARGETS += analysis_targets(rules, "mrs_liver")


share_shell_names(workflow.rules, globals())


rule all:
    default_target: True
    input:
        TARGETS,
