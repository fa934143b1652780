rule evaluate:
    output:
        report(f"{MRS}/metrics.json", caption="../report/metrics.rst", category="Liver MRS"),
        report(f"{MRS}/fit_example.png", caption="../report/fit_example.rst", category="Liver MRS"),
        report(f"{MRS}/roc.png", caption="../report/roc.rst", category="Liver MRS"),
        f"{MRS}/classification_scores.tsv",
        directory(f"{MRS}/models/qcnn"),
        directory(f"{MRS}/models/ccnn"),
    log:
        f"{LOGS}/evaluate.log",
    params:
        seed=config["seed"],
        n_test=config["evaluate"]["n_test"],
        qcnn_max_steps=config["evaluate"]["qcnn_max_steps"],
        ccnn_max_steps=config["evaluate"]["ccnn_max_steps"],
        extra=option_words("evaluate.extra", config["evaluate"]["extra"]),
        out=lambda wildcards, output: Path(output[0]).parent,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} mrs evaluate --seed {params.seed:q} "
        "--n-test {params.n_test:q} --qcnn-max-steps {params.qcnn_max_steps:q} "
        "--ccnn-max-steps {params.ccnn_max_steps:q} --save-models {params.extra:q} "
        "--out {params.out:q} > {log:q} 2>&1"


rule simulate:
    output:
        f"{APPLY_DIR}/simulated_spectra.npz",
    log:
        f"{LOGS}/simulate.log",
    params:
        n=APPLY["n_spectra"],
        seed=config["seed"],
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} mrs simulate --n {params.n:q} --seed {params.seed:q} "
        "--out {output:q} > {log:q} 2>&1"


rule quantify:
    input:
        spectra=SPECTRA,
        model=f"{MRS}/models/qcnn",
    output:
        report(f"{APPLY_DIR}/qcnn_amplitudes.tsv", caption="../report/apply.rst", category="Liver MRS"),
    log:
        f"{LOGS}/quantify.log",
    params:
        acquisition=ACQUISITION,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} mrs quantify {input.spectra:q} --model {input.model:q} "
        "{params.acquisition:q} --out {output:q} > {log:q} 2>&1"


rule classify:
    input:
        spectra=SPECTRA,
        model=f"{MRS}/models/ccnn",
    output:
        report(f"{APPLY_DIR}/ccnn_classes.tsv", caption="../report/apply.rst", category="Liver MRS"),
    log:
        f"{LOGS}/classify.log",
    params:
        acquisition=ACQUISITION,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} mrs classify {input.spectra:q} --model {input.model:q} "
        "{params.acquisition:q} --out {output:q} > {log:q} 2>&1"


rule fit:
    input:
        spectra=SPECTRA,
    output:
        table=f"{APPLY_DIR}/fit_amplitudes.tsv",
        figure=report(f"{APPLY_DIR}/fit_first_spectrum.png", caption="../report/apply.rst", category="Liver MRS"),
    log:
        f"{LOGS}/fit.log",
    params:
        acquisition=ACQUISITION,
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    shell:
        "OMP_NUM_THREADS={threads:q} {OMICSDL:q} mrs fit {input.spectra:q} {params.acquisition:q} "
        "--out {output.table:q} --figure {output.figure:q} > {log:q} 2>&1"
