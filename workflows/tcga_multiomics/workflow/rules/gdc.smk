# GDC: one query job and one download job per data type (downloads are network-bound: one thread,
# --jobs parallel connections inside the job; analyses run as separate jobs with their own resources).


if config["gdc"]["local_downloads"]:

    localrules:
        query,
        download,


rule query:
    output:
        f"{RESULTS}/gdc/{{data_type}}.manifest.txt",
    log:
        f"{LOGS}/query.{{data_type}}.log",
    params:
        args=lambda w: PLAN.query_args(w.data_type),
    conda:
        "../envs/omicsdl.yaml"
    resources:
        mem_mb=1000,
        runtime=15,
    shell:
        "{OMICSDL_CLI:q} fetch {params.args:q} > {log:q} 2>&1"


rule download:
    input:
        lambda w: PLAN.manifest(w.data_type),
    output:
        f"{RESULTS}/gdc/{{data_type}}/metadata.json",
    log:
        f"{LOGS}/download.{{data_type}}.log",
    params:
        args=lambda w: PLAN.fetch_args(w.data_type),
    conda:
        "../envs/omicsdl.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=240,
    shell:
        "{OMICSDL_CLI:q} fetch {params.args:q} > {log:q} 2>&1"
