"""tcga_multiomics end to end against the local GDC-like server (tests/_gdc_server.py).

The server holds two SYNTHETIC projects in the exact GDC formats (TCGA-LIHC: 36
generated patients plus the two real patients of the committed miRNA and BCR XML
fixtures; TCGA-BRCA: 16 generated patients), a few thousand genes and probes, with
gene symbols from the shipped STRING subset so that G2Vec finds its network.
Tiny analysis settings (.test/config/config.yaml); the whole run from query to
report is the CI test, the full-width run is in benchmarks/bench_workflows.py.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from tests._gdc_server import clinical_files, mirna_ids, real_files, serve, synthetic_files
from tests.workflows._helpers import PROFILES, WORKFLOWS, snakemake

NAME = "tcga_multiomics"
TEST_CONFIG = WORKFLOWS / NAME / ".test" / "config" / "config.yaml"


@pytest.fixture(scope="module")
def projects(tmp_path_factory, test_data):
    """Generate the two SYNTHETIC projects once; their files and records."""
    import networkx as nx

    from omicsdl.datasets import string_demo_network_path, write_synthetic_gdc
    from omicsdl.io import read_network

    folder = tmp_path_factory.mktemp("gdc_projects")
    network = read_network(string_demo_network_path())
    hub = max(network.degree, key=lambda item: item[1])[0]
    module = list(nx.bfs_tree(network, hub, depth_limit=2))[:15]  # a connected, prognostic module
    genes = sorted(network.nodes)
    real_mirna = next((test_data / "io" / "gdc_mirna").glob("*/*.mirnas.quantification.txt"))
    common = {"n_genes": 1500, "n_probes": 2000, "gene_symbols": genes, "mirna_ids": mirna_ids(real_mirna)}
    lihc = write_synthetic_gdc(
        folder / "lihc",
        project="TCGA-LIHC",
        n_patients=50,
        modules=[module],
        real_patients=["TCGA-BC-A10Q", "TCGA-EP-A2KA"],
        rng=1,
        **common,
    )
    brca = write_synthetic_gdc(folder / "brca", project="TCGA-BRCA", n_patients=16, rng=2, **common)
    records = json.loads((test_data / "io" / "metadata.LIHC.trimmed.json").read_text())
    files = synthetic_files(lihc) + synthetic_files(brca)
    files += real_files(test_data / "io" / "gdc_mirna", records)
    files += clinical_files(test_data / "io" / "gdc_clinical_xml")
    return files, lihc


@pytest.fixture
def gdc(projects):
    server = serve(projects[0], lifetime=600)
    yield server
    server.stop()


def _config(tmp_path, gdc, **changes) -> tuple:
    doc = yaml.safe_load(TEST_CONFIG.read_text())
    doc["gdc"]["base_url"] = gdc.url
    for key, value in changes.items():
        doc[key] = value if not isinstance(value, dict) else {**doc[key], **value}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path, doc


def _run(work, config, *args, timeout=600):
    proc = snakemake(NAME, work, "--cores", "2", *args, config=config, timeout=timeout)
    if proc.returncode != 0:
        logs = "".join(
            f"\n--- {log.name}\n{log.read_text(errors='replace')[-1500:]}"
            for log in sorted((work / "logs").glob("*.log"))
        )
        pytest.fail(f"snakemake failed:\n{(proc.stdout + proc.stderr)[-3000:]}\nrule logs:{logs}")
    return proc


@pytest.mark.slow
def test_query_to_report_then_nothing_to_do_then_requery(tmp_path, gdc, projects):
    config, _ = _config(tmp_path, gdc)
    work = tmp_path / "run"  # (the module workflows do not quote their paths yet: no space here)
    _run(work, config)
    results = work / "results"
    html = (results / "report" / "index.html").read_text()
    assert "In plain words" in html and "data:image/png;base64," in html
    assert "survival subtypes" in html.lower() and "g2vec" in html.lower()
    assert "Left out at ingest" in html  # the drops of ingest (normals, duplicate aliquots) are named
    manifest = (results / "gdc" / "rna.manifest.txt").read_text().splitlines()
    assert len(manifest) - 1 == 50 + 2 + 2 + 1  # primaries, 2 normals, 1 duplicate aliquot
    cohort_qc = (results / "cohort" / "qc.tsv").read_text()
    assert cohort_qc.startswith("modality\tpatients")
    dropped = (results / "cohort" / "cohort.dropped.tsv").read_text()
    assert "sample type 11 (Solid Tissue Normal) not kept" in dropped
    assert "duplicate sample of the patient" in dropped
    for log in ("query.rna", "download.methylation", "ingest", "qc", "evaluate", "g2vec", "report"):
        assert (work / "logs" / f"{log}.log").is_file(), log
    # a second run does nothing, and asks the server nothing
    before = len(gdc.log)
    again = snakemake(NAME, work, "-n", config=config)
    assert "Nothing to be done" in again.stdout + again.stderr
    assert len(gdc.log) == before
    # a re-query of an unchanged project recomputes nothing
    requery = snakemake(NAME, work, "-n", "--config", "requery=true", config=config)
    assert "Nothing to be done" in requery.stdout + requery.stderr
    assert "re-query rna: unchanged" in requery.stderr
    assert gdc.listing_requests() > 0


@pytest.mark.slow
def test_a_new_file_is_picked_up_only_when_asked_and_a_truncated_download_resumes(tmp_path, gdc, projects):
    files, _ = projects
    extra = next(f for f in files if f.record["file_name"].endswith(".mirnas.quantification.txt"))
    hidden = gdc.files.pop(extra.record["file_id"])  # not yet "released"
    config, _ = _config(
        tmp_path, gdc, data_types=["mirna"], analyses={"subtypes": {"run": False}, "g2vec": {"run": False}}
    )
    work = tmp_path / "run"
    victim = next(
        i for i, f in gdc.files.items() if f.record["file_name"].endswith(".mirnas.quantification.txt")
    )
    gdc.faults[victim].extend([("truncate", 4000)] * 3)  # more than the retries: the run fails
    failed = snakemake(NAME, work, "--cores", "2", config=config)
    assert failed.returncode != 0
    part = next((work / "results" / "gdc" / "mirna" / victim).glob("*.part"))
    assert part.stat().st_size == 4000
    _run(work, config)  # resumed: the next request asks for the rest only
    assert gdc.data_requests(victim)[-1] == "bytes=4000-"
    assert not list((work / "results").rglob("*.part"))
    # the project gets a new file: nothing happens until a re-query is asked for
    gdc.files[hidden.record["file_id"]] = hidden
    assert "Nothing to be done" in (lambda p: p.stdout + p.stderr)(snakemake(NAME, work, "-n", config=config))
    _run(work, config, "--config", "requery=true")
    manifest = (work / "results" / "gdc" / "mirna.manifest.txt").read_text()
    assert hidden.record["file_id"] in manifest
    assert (work / "results" / "gdc" / "mirna" / hidden.record["file_id"]).is_dir()


@pytest.mark.slow
def test_a_second_project_by_name(tmp_path, gdc):
    config, _ = _config(
        tmp_path,
        gdc,
        project="TCGA-BRCA",
        qc={"min_patients": 10, "min_events": 2},  # 16 patients: the gate of the analyses is not needed
        analyses={"subtypes": {"run": False}, "g2vec": {"run": False}},
        report={"title": "BRCA"},
    )
    work = tmp_path / "brca run; echo injected"  # every value of this workflow's rules is quoted
    _run(work, config)
    assert not list(tmp_path.rglob("injected*"))
    ingest = json.loads((work / "results" / "cohort" / "ingest.json").read_text())
    assert ingest["notes"][0].startswith(
        "Cohort TCGA-BRCA: 16 patients kept (rna 16, mirna 16, methylation 16)"
    )
    assert "BRCA" in (work / "results" / "report" / "index.html").read_text()


def test_slurm_dry_run_has_separate_download_and_analysis_jobs_with_their_resources(tmp_path):
    proc = snakemake(NAME, tmp_path, "--profile", str(PROFILES / "slurm"), "-n")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    for job, count in (("query", 4), ("download", 4), ("ingest", 1), ("qc", 1), ("subtypes_evaluate", 1)):
        assert f"\n{job}" in out and any(line.split() == [job, str(count)] for line in out.splitlines()), job
    blocks = {b.split("\n", 1)[0].strip(": "): b for b in out.split("rule ")[1:]}
    assert "mem_mb=1000" in blocks["download"] and "runtime=240" in blocks["download"]
    assert "cpus_per_task=1" in blocks["download"]
    assert "mem_mb=8000" in blocks["subtypes_evaluate"] and "cpus_per_task=2" in blocks["subtypes_evaluate"]


def test_bad_project_and_missing_manifest_are_named_before_the_dag(tmp_path):
    doc = yaml.safe_load(TEST_CONFIG.read_text())
    doc["project"] = "LIHC"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(doc))
    proc = snakemake(NAME, tmp_path / "a", "-n", config=tmp_path / "bad.yaml")
    assert proc.returncode != 0
    assert (
        "config key 'project' = 'LIHC' is not allowed; allowed: string matching ^TCGA-"
        in proc.stdout + proc.stderr
    )
    doc["project"] = "TCGA-LIHC"
    doc["manifests"] = {"rna": "nowhere.txt"}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(doc))
    proc = snakemake(NAME, tmp_path / "b", "-n", config=tmp_path / "bad.yaml")
    assert (
        "input file not found: config key 'manifests.rna' points to nowhere.txt" in proc.stdout + proc.stderr
    )


def test_explicit_manifests_skip_the_query(tmp_path, gdc):
    manifest = tmp_path / "mine.txt"
    manifest.write_text(gdc.manifest_text([i for i in list(gdc.files)[:2]]))
    config, _ = _config(tmp_path, gdc, manifests={"rna": str(manifest)})
    proc = snakemake(NAME, tmp_path / "run", "-n", config=config)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-2000:]
    assert any(line.split() == ["query", "3"] for line in out.splitlines())  # mirna, methylation, clinical
    assert str(manifest) in out


def test_module_workflows_are_not_copied():
    import re

    text = "\n".join(p.read_text() for p in (WORKFLOWS / NAME / "workflow").rglob("*.smk"))
    shells = re.findall(r"^    shell:\n        \"(.*)\"$", text, flags=re.MULTILINE)
    commands = {
        re.match(r"\{OMICSDL_CLI:q\} (\w+) \{params\.args:q\} > \{log:q\} 2>&1$", s).group(1) for s in shells
    }
    assert commands == {"fetch", "ingest", "info", "report"}  # the analyses are the modules' own rules
    snakefile = (WORKFLOWS / NAME / "workflow" / "Snakefile").read_text()
    assert (
        'module_snakefile("lihc_subtypes")' in snakefile and 'module_snakefile("g2vec_modules")' in snakefile
    )


@pytest.fixture(autouse=True)
def _no_leftover(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_plan_commands_follow_the_config(tmp_path):
    from omicsdl._workflows import TcgaPlan

    doc = yaml.safe_load(TEST_CONFIG.read_text())
    doc["data_types"] = ["mirna"]
    doc["manifests"] = {"clinical": str(tmp_path / "clin.txt")}
    plan = TcgaPlan(doc, tmp_path / "res")
    assert plan.data_types == ["mirna", "clinical"]
    assert plan.queried("mirna") and not plan.queried("clinical")
    query = plan.query_args("mirna")
    assert query[query.index("--workflow-type") + 1] == "BCGSC miRNA Profiling"
    assert query[query.index("--manifest-out") + 1] == str(tmp_path / "res" / "gdc" / "mirna.manifest.txt")
    fetch = plan.fetch_args("clinical")
    assert fetch[fetch.index("--manifest") + 1] == str(tmp_path / "clin.txt")
    ingest = plan.ingest_args()
    assert "--rna" not in ingest and ingest[ingest.index("--project") + 1] == "TCGA-LIHC"
    doc["analyses"]["g2vec"]["run"] = False
    assert "--g2vec" not in TcgaPlan(doc, tmp_path).report_args()
