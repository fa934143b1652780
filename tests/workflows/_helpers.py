"""Helpers for the workflow tests: run Snakemake with this interpreter and this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / "workflows"
PROFILES = WORKFLOWS / "profiles"


def env() -> dict[str, str]:
    """The environment for subprocesses: this checkout importable, one thread."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join([str(REPO), out.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out["OMP_NUM_THREADS"] = "1"
    out["MPLBACKEND"] = "Agg"
    return out


def snakemake(
    workflow: str, workdir: Path, *args: str, config: Path | None = None, timeout: float = 300, **kwargs
) -> subprocess.CompletedProcess:
    """Run ``python -m snakemake`` on a packaged workflow in ``workdir``."""
    config = config or WORKFLOWS / workflow / ".test" / "config" / "config.yaml"
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(WORKFLOWS / workflow / "workflow" / "Snakefile"),
        "--directory",
        str(workdir),
        "--configfile",
        str(config),
        *args,
    ]
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        cmd, cwd=workdir, env=env(), capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


def command_available(*words: str) -> bool:
    """Whether ``omicsdl <words> --help`` succeeds in this checkout."""
    proc = subprocess.run(
        [sys.executable, "-m", "omicsdl", *words, "--help"],
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.returncode == 0
