"""Workflow benchmarks: each workflow on the embedded data (demo settings) through Snakemake.

Baseline measured in the same run: the very same shell commands (taken from
Snakemake's dry run with ``--printshellcmds``) run one after another directly,
without Snakemake. The ratio is Snakemake's overhead (DAG building, job
bookkeeping, process start-up). A last row runs ``omicsdl demo`` (all the
workflows as modules of one Snakemake run, plus the combined report) against
the sum of the separate workflow runs above.

``--only tcga``: ``tcga_multiomics`` from query to report against the local
GDC-like server (``tests/_gdc_server.py``, 127.0.0.1) serving a SYNTHETIC
full-width project (``benchmarks/bench_io.py``'s: 366 patients x STAR 60,660 genes
+ SeSAMe 485,577 probes + miRNA 1,881 + BCR XML), with ``config/demo.yaml``'s
analysis settings; the same baseline (its shell commands run directly). Peak RSS
is the largest child process (``RUSAGE_CHILDREN``). ``--patients N --width
small`` makes a small project for a smoke run.

Run: python benchmarks/bench_workflows.py [--only demo|tcga] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import REPO, table, write_section

from omicsdl._workflows import DEMO_WORKFLOWS, run_demo, run_workflow, snakemake_command, workflow_dir

ORDER = ["cohort", "evaluate", "simulate", "fit", "predict", "quantify", "classify", "g2vec", "report"]


def _shell_commands(name: str, work: Path, config: Path) -> list[str]:
    cmd = snakemake_command(name, workdir=work, configfile=config, cores=2, extra=["-n", "-p", "--forceall"])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    jobs = re.findall(r"^rule (\w+):.*?^\s*Shell command: (.+?)$", out, flags=re.MULTILINE | re.DOTALL)
    jobs = sorted((j for j in jobs if j[1].strip() != "None"), key=lambda job: ORDER.index(job[0]))
    return [shell for _, shell in jobs]


def main() -> None:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(REPO))
    os.environ.update(env)
    rows = []
    separate = 0.0
    with tempfile.TemporaryDirectory(prefix="omicsdl-bench-") as tmp:
        for name in DEMO_WORKFLOWS:  # tcga_multiomics starts from a GDC download: not here
            config = workflow_dir(name) / "config" / "demo.yaml"
            work = Path(tmp) / name / "snakemake"
            wall = run_workflow(name, workdir=work, configfile=config, cores=2)
            separate += wall
            direct = Path(tmp) / name / "direct"
            direct.mkdir(parents=True)
            shells = _shell_commands(name, direct, config)
            (direct / "logs").mkdir()
            t0 = time.perf_counter()
            for shell in shells:
                subprocess.run(["bash", "-c", shell], cwd=direct, env=env, check=True)
            plain = time.perf_counter() - t0
            rows.append(
                [
                    name,
                    f"{wall:.1f}",
                    f"{plain:.1f}",
                    f"{wall - plain:+.1f}",
                    f"{wall / plain:.2f}×",
                    f"{len(shells)} jobs",
                ]
            )
            shutil.rmtree(Path(tmp) / name, ignore_errors=True)
        t0 = time.perf_counter()
        run_demo(Path(tmp) / "demo", cores=2)
        demo = time.perf_counter() - t0
        rows.append(
            [
                "omicsdl demo (one Snakemake run, modules)",
                f"{demo:.1f}",
                f"{separate:.1f}",
                f"{demo - separate:+.1f}",
                f"{demo / separate:.2f}×",
                "baseline: the separate Snakemake runs above, one after another",
            ]
        )
    body = table(
        [
            "workflow (demo config, 2 cores)",
            "Snakemake wall s",
            "same commands direct s",
            "difference s",
            "overhead ratio",
            "notes",
        ],
        rows,
    )
    body += (
        "\n\nEach workflow runs once with `python -m snakemake --cores 2` on the embedded data with its "
        "`config/demo.yaml`; the baseline runs the same shell commands (from Snakemake's own dry run) one "
        "after another in the same script. Ratios near 1 mean Snakemake adds little; jobs of one workflow "
        "depend on each other, so 2 cores cannot run them in parallel. Snakemake's fixed cost (start-up, DAG, "
        "job bookkeeping) is a few seconds per workflow; the machine is shared, so single runs vary by "
        "several seconds (a ratio below 1 is such noise). The demo row runs every workflow in one Snakemake "
        "run, jobs of different workflows side by side, and skips the per-workflow HTML reports for one "
        "combined report."
    )
    write_section("workflows", "Workflows (Snakemake) on the embedded data", body)


TCGA_ORDER = ["query", "download", "ingest", "qc", "subtypes_evaluate", "subtypes_fit"]
TCGA_ORDER += ["subtypes_predict", "g2vec_g2vec", "report"]


def _tcga_config(work: Path, url: str, probe_map: Path) -> Path:
    import yaml

    doc = yaml.safe_load((workflow_dir("tcga_multiomics") / "config" / "demo.yaml").read_text())
    doc["gdc"]["base_url"] = url
    doc["ingest"]["probe_map"] = str(probe_map)
    work.mkdir(parents=True, exist_ok=True)
    path = work / "config.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def bench_tcga(data: Path, *, n_patients: int, width: str) -> None:
    """tcga_multiomics end to end on a SYNTHETIC project served from 127.0.0.1."""
    sys.path.insert(0, str(REPO))
    from bench_io import FULL, make_project

    from tests._gdc_server import ServedFile, serve

    size = FULL if width == "full" else {"n_genes": 3000, "n_probes": 5000}
    project = make_project(data / f"{width}_{n_patients}", n_patients=n_patients, **size)
    records = json.loads((project / "records.json").read_text())
    files = [ServedFile(r, path=project / "files" / r["file_id"] / r["file_name"]) for r in records]
    load_before = os.getloadavg()
    server = serve(files, max_requests=200_000, lifetime=7200)
    try:
        work = data / "tcga_runs"
        shutil.rmtree(work, ignore_errors=True)
        config = _tcga_config(work / "snakemake", server.url, project / "probe_map.tsv")
        wall = run_workflow("tcga_multiomics", workdir=work / "snakemake", configfile=config, cores=2)
        peak_sm = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        t0 = time.perf_counter()
        again = run_workflow("tcga_multiomics", workdir=work / "snakemake", configfile=config, cores=2)
        assert time.perf_counter() - t0 < wall, "the second run recomputed"
        direct = work / "direct"
        dconfig = _tcga_config(direct, server.url, project / "probe_map.tsv")
        cmd = snakemake_command(
            "tcga_multiomics", workdir=direct, configfile=dconfig, cores=2, extra=["-n", "-p", "--forceall"]
        )
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        jobs = re.findall(r"^rule (\w+):.*?^\s*Shell command: (.+?)$", out, flags=re.MULTILINE | re.DOTALL)
        jobs = sorted(jobs, key=lambda job: TCGA_ORDER.index(job[0]))
        (direct / "logs").mkdir(exist_ok=True)
        t0 = time.perf_counter()
        for _, shell in jobs:
            subprocess.run(["bash", "-c", shell], cwd=direct, env=os.environ, check=True)
        plain = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        gigabytes = sum(f.size for f in files) / 1e9
    finally:
        server.stop()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    rows = [
        [f"tcga_multiomics, query to report ({len(jobs)} jobs)", f"{wall:.0f}", f"{plain:.0f}",
         f"{wall / plain:.2f}×", f"{peak_sm:.0f}"],
        ["second run (nothing to do)", f"{again:.1f}", "", "", ""],
    ]  # fmt: skip
    body = f"""
`tcga_multiomics` with `config/demo.yaml`'s analysis settings, `--cores 2`, against the local
GDC-like server on 127.0.0.1 serving a **SYNTHETIC** project in the exact GDC formats
({n_patients} patients, {size["n_genes"]:,} genes, {size["n_probes"]:,} probes, 1,881 miRNAs, BCR XML;
{len(files):,} files, {gigabytes:.1f} GB), downloads md5-verified. Baseline in the same run: the same
shell commands run directly one after another (largest process of both: {peak:.0f} MiB peak RSS).

{table(["run", "Snakemake wall s", "same commands direct s", "ratio", "peak RSS MiB (largest job)"], rows)}

Target: < 30 min for the full-width run. Load average (1, 5, 15 min) before:
{", ".join(f"{x:.1f}" for x in load_before)}; after: `{uptime}`, on {os.cpu_count()} shared cores.
"""
    title = "Workflows: tcga_multiomics end to end on a SYNTHETIC GDC project (issue 17)"
    write_section("workflows_tcga" if width == "full" else "workflows_tcga_small", title, body)
    print(body)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["demo", "tcga"])
    parser.add_argument("--data", type=Path, help="folder for the generated GDC files (kept; 8 GB)")
    parser.add_argument("--patients", type=int, default=366)
    parser.add_argument("--width", choices=["full", "small"], default="full")
    args = parser.parse_args()
    if args.only in (None, "demo"):
        main()
    if args.only in (None, "tcga"):
        if args.data is not None:
            bench_tcga(args.data, n_patients=args.patients, width=args.width)
        else:
            with tempfile.TemporaryDirectory(prefix="bench_tcga_") as tmp:
                bench_tcga(Path(tmp), n_patients=args.patients, width=args.width)
