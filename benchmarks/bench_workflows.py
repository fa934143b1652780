"""Workflow benchmarks: each workflow on the embedded data (demo settings) through Snakemake.

Baseline measured in the same run: the very same shell commands (taken from
Snakemake's dry run with ``--printshellcmds``) run one after another directly,
without Snakemake. The ratio is Snakemake's overhead (DAG building, job
bookkeeping, process start-up). A last row runs ``omicsdl demo`` (all the
workflows as modules of one Snakemake run, plus the combined report) against
the sum of the separate workflow runs above.
"""

from __future__ import annotations

import os
import re
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


if __name__ == "__main__":
    main()
