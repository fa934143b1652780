rule evaluate:
    input:
        BLOOD_INPUTS,
    output:
        report(f"{BLOOD}/metrics.json", caption="../report/metrics.rst", category="Blood classifier"),
    log:
        f"{LOGS}/evaluate.log",
    params:
        seed=config["seed"],
        folds=config["folds"],
        repeats=config["repeats"],
        extra=config["extra"],
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    shell:
        "OMP_NUM_THREADS={threads} {OMICSDL} blood evaluate {BLOOD_SOURCE} --seed {params.seed} "
        "--folds {params.folds} --repeats {params.repeats} {params.extra} --out {BLOOD} > {log} 2>&1"


rule report:
    input:
        rules.evaluate.output,
    output:
        report(f"{RESULTS}/report/index.html", caption="../report/report.rst", category="Report"),
    log:
        f"{LOGS}/report.log",
    params:
        title=config["report"]["title"],
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL} report --blood {BLOOD} --title {params.title:q} --out {RESULTS}/report > {log} 2>&1"
