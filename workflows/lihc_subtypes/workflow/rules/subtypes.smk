rule evaluate:
    input:
        COHORT_INPUT,
    output:
        metrics=report(
            f"{SUBTYPES}/metrics.json",
            caption="../report/metrics.rst",
            category="Survival subtypes",
        ),
        heldout=f"{SUBTYPES}/heldout_predictions.tsv",
        tables=directory(f"{SUBTYPES}/tables"),
    log:
        f"{LOGS}/evaluate.log",
    params:
        folds=config["evaluate"]["folds"],
        repeats=config["evaluate"]["repeats"],
        permutations=config["evaluate"]["permutations"],
        seed=config["seed"],
        extra=option_words("evaluate.extra", config["evaluate"]["extra"]),
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    shell:
        "{OMICSDL:q} subtypes evaluate {COHORT:q} --folds {params.folds:q} --repeats {params.repeats:q} "
        "--permutations {params.permutations:q} --seed {params.seed:q} --threads {threads:q} "
        "{params.extra:q} --out {SUBTYPES:q} > {log:q} 2>&1"


rule fit:
    input:
        COHORT_INPUT,
    output:
        model=directory(f"{SUBTYPES}/model"),
        tables=directory(f"{SUBTYPES}/fit_tables"),
        annotated=f"{SUBTYPES}/cohort.annotated.h5mu",
    log:
        f"{LOGS}/fit.log",
    params:
        seed=config["seed"],
        extra=option_words("classifier.fit_extra", config["classifier"]["fit_extra"]),
    threads: 2
    resources:
        mem_mb=4000,
        runtime=30,
    shell:
        "{OMICSDL:q} subtypes fit {COHORT:q} --model {output.model:q} --tables {output.tables:q} "
        "--annotated {output.annotated:q} --seed {params.seed:q} --threads {threads:q} {params.extra:q} "
        "> {log:q} 2>&1"


rule predict:
    input:
        COHORT_INPUT,
        model=f"{SUBTYPES}/model",
    output:
        f"{SUBTYPES}/predicted_subtypes.tsv",
    log:
        f"{LOGS}/predict.log",
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL:q} subtypes predict {COHORT:q} --model {input.model:q} --out {output:q} > {log:q} 2>&1"


rule report:
    input:
        report_inputs,
    output:
        report(
            f"{RESULTS}/report/index.html",
            caption="../report/report.rst",
            category="Report",
        ),
    log:
        f"{LOGS}/report.log",
    params:
        title=config["report"]["title"],
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL:q} report --cohort {COHORT:q} --subtypes {SUBTYPES:q} --title {params.title:q} "
        "--out {RESULTS:q}/report > {log:q} 2>&1"
