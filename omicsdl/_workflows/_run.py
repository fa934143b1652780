"""Run a packaged workflow with Snakemake in a subprocess of the same interpreter."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl._workflows._locate import workflow_dir

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["WorkflowFailed", "run_workflow", "snakemake_command"]

logger = logging.getLogger(__name__)


class WorkflowFailed(RuntimeError):
    """A workflow run that stopped with an error; the message names the log files to read."""

    def __init__(self, name: str, snakemake_log: Path, step_logs: list[Path], tail: str) -> None:
        self.name = name
        self.snakemake_log = snakemake_log
        self.step_logs = step_logs
        lines = [f"workflow {name} failed; Snakemake's log: {snakemake_log}"]
        lines += [f"  failing step's log: {p}" for p in step_logs]
        if tail:
            lines.append("last lines:\n" + tail)
        super().__init__("\n".join(lines))


def snakemake_command(
    name: str,
    *,
    workdir: str | os.PathLike[str],
    configfile: str | os.PathLike[str] | None = None,
    cores: int = 2,
    extra: Sequence[str] = (),
) -> list[str]:
    """The ``python -m snakemake ...`` command that runs workflow ``name`` in ``workdir``."""
    snakefile = workflow_dir(name) / "workflow" / "Snakefile"
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(snakefile), "--directory", str(workdir)]
    cmd += ["--cores", str(cores)]
    if configfile is not None:
        cmd += ["--configfile", str(configfile)]
    return cmd + list(extra)


def _step_logs(text: str, workdir: Path) -> list[Path]:
    found = []
    in_error = False
    for line in text.splitlines():
        if line.startswith("Error in rule"):
            in_error = True
        if in_error:
            match = re.search(r"(?:log:|Log files?:)\s*(\S+)", line)
            if match:
                path = Path(match.group(1))
                found.append(path if path.is_absolute() else workdir / path)
                in_error = False
    return list(dict.fromkeys(found))


def run_workflow(
    name: str,
    *,
    workdir: str | os.PathLike[str],
    configfile: str | os.PathLike[str] | None = None,
    cores: int = 2,
    extra: Sequence[str] = (),
    timeout: float | None = None,
) -> float:
    """Run workflow ``name`` with Snakemake; return the wall time in seconds.

    Snakemake's own output goes to ``workdir/logs/snakemake.<name>.log``.

    Raises
    ------
    WorkflowFailed
        When Snakemake exits with an error; the message names Snakemake's log
        and the log of the step that failed.
    """
    work = Path(workdir).resolve()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    log = work / "logs" / f"snakemake.{name}.log"
    cmd = snakemake_command(name, workdir=work, configfile=configfile, cores=cores, extra=extra)
    logger.info("running workflow %s: %s", name, " ".join(cmd))
    started = time.perf_counter()
    with log.open("w") as handle:
        proc = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, check=False, timeout=timeout)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        text = log.read_text(errors="replace")
        tail = "\n".join(text.strip().splitlines()[-15:])
        raise WorkflowFailed(name, log, _step_logs(text, work), tail)
    logger.info("workflow %s finished in %.1f s", name, seconds)
    return seconds
