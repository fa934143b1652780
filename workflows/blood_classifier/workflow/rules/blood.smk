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
        extra=option_words("extra", config["extra"]),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} blood evaluate {BLOOD_SOURCE:q} --seed {params.seed:q} "
        "--folds {params.folds:q} --repeats {params.repeats:q} {params.extra:q} --out {BLOOD:q} "
        "> {log:q} 2>&1"


rule scenario_table:
    output:
        report(
            f"{SCENARIO_TABLE}/scenarios.json",
            caption="../report/scenarios.rst",
            category="Blood classifier",
        ),
    log:
        f"{LOGS}/scenario_table.log",
    params:
        seed=config["seed"],
        folds=config["folds"],
        repeats=TABLE.get("repeats", 10),
        scenarios=["--scenarios", ",".join(TABLE["scenarios"])] if TABLE.get("scenarios") else [],
        sizes=",".join(str(n) for n in TABLE.get("learning_sizes", [40, 80, 157, 320, 640])),
        draws=TABLE.get("draws", 5),
        test_size=TABLE.get("test_size", 1000),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} blood scenario-table {params.scenarios:q} "
        "--seed {params.seed:q} --folds {params.folds:q} --repeats {params.repeats:q} "
        "--learning-sizes {params.sizes:q} --draws {params.draws:q} --test-size {params.test_size:q} "
        "--out {SCENARIO_TABLE:q} > {log:q} 2>&1"


rule report:
    input:
        rules.evaluate.output,
        SCENARIO_TABLE_OUTPUTS,
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
        "{OMICSDL:q} report --blood {BLOOD:q} --title {params.title:q} --out {RESULTS:q}/report > {log:q} 2>&1"
