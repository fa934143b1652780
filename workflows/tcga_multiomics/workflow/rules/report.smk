# One combined report: the cohort (with what ingest left out), the subtypes and the G2Vec modules.


rule report:
    input:
        report_inputs,
    output:
        report(f"{RESULTS}/report/index.html", caption="../report/report.rst", category="Report"),
    log:
        f"{LOGS}/report.log",
    params:
        args=PLAN.report_args(),
    conda:
        "../envs/omicsdl.yaml"
    resources:
        mem_mb=4000,
        runtime=15,
    shell:
        "{OMICSDL_CLI:q} report {params.args:q} > {log:q} 2>&1"
