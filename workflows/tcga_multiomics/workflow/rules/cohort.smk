# The cohort: ingest exactly the manifests' files, then the QC gate before any analysis.


rule ingest:
    input:
        metadata=[PLAN.metadata(t) for t in PLAN.data_types],
        manifests=[PLAN.manifest(t) for t in PLAN.data_types],
    output:
        cohort=PLAN.cohort,
        dropped=f"{RESULTS}/cohort/cohort.dropped.tsv",
        summary=f"{RESULTS}/cohort/ingest.json",
    log:
        f"{LOGS}/ingest.log",
    params:
        args=PLAN.ingest_args(),
    conda:
        "../envs/omicsdl.yaml"
    threads: 2
    resources:
        mem_mb=4000,
        runtime=30,
    shell:
        "{OMICSDL_CLI:q} ingest {params.args:q} > {log:q} 2>&1"


rule qc:
    input:
        PLAN.cohort,
    output:
        report(PLAN.qc, caption="../report/qc.rst", category="Cohort"),
    log:
        f"{LOGS}/qc.log",
    params:
        args=PLAN.qc_args(),
    conda:
        "../envs/omicsdl.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    shell:
        "{OMICSDL_CLI:q} info {params.args:q} > {log:q} 2>&1"
