rule g2vec:
    input:
        G2VEC_INPUTS,
        GENE_SETS,
    output:
        biomarkers=report(f"{G2VEC}/biomarkers.tsv", caption="../report/biomarkers.rst", category="G2Vec"),
        modules=f"{G2VEC}/modules.tsv",
        enrichment=report(f"{G2VEC}/enrichment.tsv", caption="../report/enrichment.rst", category="G2Vec"),
        evaluation=f"{G2VEC}/evaluation.json",
        vectors=f"{G2VEC}/vectors.txt",
        vectors_gensim=f"{G2VEC}/vectors.kv",
        summary=f"{G2VEC}/summary.json",
    log:
        f"{LOGS}/g2vec.log",
    params:
        options=g2vec_options(),
    threads: 2
    resources:
        mem_mb=4000,
        runtime=60,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} g2vec run {SOURCE_ARGS:q} {params.options:q} "
        "--out {G2VEC:q} > {log:q} 2>&1"


rule learning_curve:
    input:
        G2VEC_INPUTS,
    output:
        table=report(
            f"{CURVE}/learning_curve.tsv", caption="../report/learning_curve.rst", category="G2Vec"
        ),
        figure=report(
            f"{CURVE}/learning_curve.png", caption="../report/learning_curve.rst", category="G2Vec"
        ),
        main=f"{CURVE}/learning_curve.json",
        folds=f"{CURVE}/learning_curve_folds.tsv",
    log:
        f"{LOGS}/learning_curve.log",
    params:
        options=curve_options(),
    threads: 2
    resources:
        mem_mb=4000,
        runtime=120,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} g2vec learning-curve {SOURCE_ARGS:q} {params.options:q} "
        "--out {CURVE:q} > {log:q} 2>&1"


rule report:
    input:
        rules.g2vec.output,
        CURVE_OUTPUTS,
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
        "{OMICSDL:q} report --g2vec {G2VEC:q} --g2vec-network {NETWORK:q} --title {params.title:q} "
        "--out {RESULTS:q}/report > {log:q} 2>&1"
