rule evaluate:
    input:
        COHORT_INPUT,
    output:
        report(
            f"{SUBTYPES}/metrics.json",
            caption="../report/metrics.rst",
            category="Survival subtypes",
        ),
    log:
        f"{LOGS}/evaluate.log",
    params:
        folds=config["evaluate"]["folds"],
        seed=config["seed"],
        tables=f"--tables {SUBTYPES}/tables" if config["evaluate"]["tables"] else "",
        extra=config["evaluate"]["extra"],
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    shell:
        "OMP_NUM_THREADS={threads} {OMICSDL} subtypes evaluate {COHORT} --folds {params.folds} "
        "--seed {params.seed} {params.tables} {params.extra} --out {output} > {log} 2>&1"


rule fit:
    input:
        COHORT_INPUT,
    output:
        directory(f"{SUBTYPES}/model"),
    log:
        f"{LOGS}/fit.log",
    params:
        seed=config["seed"],
        extra=config["classifier"]["fit_extra"],
    threads: 2
    resources:
        mem_mb=4000,
        runtime=30,
    shell:
        "OMP_NUM_THREADS={threads} {OMICSDL} subtypes fit {COHORT} --seed {params.seed} {params.extra} "
        "--out {output} > {log} 2>&1"


rule predict:
    input:
        COHORT_INPUT,
        model=f"{SUBTYPES}/model",
    output:
        f"{SUBTYPES}/subtypes.tsv",
    log:
        f"{LOGS}/predict.log",
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL} subtypes predict {input.model} {COHORT} --out {output} > {log} 2>&1"


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
        "{OMICSDL} report --cohort {COHORT} --subtypes {SUBTYPES} --title {params.title:q} "
        "--out {RESULTS}/report > {log} 2>&1"
