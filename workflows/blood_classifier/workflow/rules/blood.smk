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
        scenarios=(
            f"--scenarios {','.join(TABLE['scenarios'])}" if TABLE.get("scenarios") else ""
        ),
        sizes=",".join(str(n) for n in TABLE.get("learning_sizes", [40, 80, 157, 320, 640])),
        draws=TABLE.get("draws", 5),
        test_size=TABLE.get("test_size", 1000),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    shell:
        "OMP_NUM_THREADS={threads} {OMICSDL} blood scenario-table {params.scenarios} --seed {params.seed} "
        "--folds {params.folds} --repeats {params.repeats} --learning-sizes {params.sizes} "
        "--draws {params.draws} --test-size {params.test_size} --out {SCENARIO_TABLE} > {log} 2>&1"


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
        "{OMICSDL} report --blood {BLOOD} --title {params.title:q} --out {RESULTS}/report > {log} 2>&1"
