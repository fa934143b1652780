rule cohort:
    output:
        f"{RESULTS}/cohort/cohort.h5mu",
    log:
        f"{LOGS}/cohort.log",
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL:q} demo --cohort-only --out {RESULTS:q}/cohort > {log:q} 2>&1"


rule report:
    input:
        cohort=cohort_file(),
    output:
        report(
            f"{RESULTS}/report/index.html",
            caption="../report/overview.rst",
            category="Cohort overview",
        ),
    log:
        f"{LOGS}/report.log",
    params:
        title=config["report"]["title"],
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL:q} report --cohort {input.cohort:q} --title {params.title:q} "
        "--out {RESULTS:q}/report > {log:q} 2>&1"
