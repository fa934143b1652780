"""Run Snakemake (a packaged workflow, or the demo) in a subprocess of the same interpreter."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._workflows._locate import workflow_dir

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["WorkflowFailed", "failed_steps", "run_snakemake", "run_workflow", "snakemake_command"]

logger = logging.getLogger(__name__)


class WorkflowFailed(RuntimeError):
    """A workflow run that stopped with an error; the message names the log files to read.

    Parameters
    ----------
    name
        The workflow (or ``demo``).
    snakemake_log
        Snakemake's own output.
    step_logs
        The log files of the steps that failed.
    tail
        The last lines of Snakemake's output, shown in the message.
    """

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
    """The ``python -m snakemake ...`` command that runs workflow ``name`` in ``workdir``.

    Parameters
    ----------
    name
        A key of :data:`~omicsdl._workflows.WORKFLOWS`.
    workdir
        Snakemake's working directory (``--directory``).
    configfile
        The config file (``--configfile``), or ``None`` for the workflow's own.
    cores
        Cores Snakemake may use.
    extra
        Further Snakemake arguments, appended as given.
    """
    snakefile = workflow_dir(name) / "workflow" / "Snakefile"
    return _command(snakefile, workdir=workdir, configfile=configfile, cores=cores, extra=extra)


def _command(
    snakefile: Path,
    *,
    workdir: str | os.PathLike[str],
    configfile: str | os.PathLike[str] | None,
    cores: int,
    extra: Sequence[str],
) -> list[str]:
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(snakefile), "--directory", str(workdir)]
    cmd += ["--cores", str(cores)]
    if configfile is not None:
        cmd += ["--configfile", str(configfile)]
    return cmd + list(extra)


def failed_steps(text: str, workdir: str | os.PathLike[str]) -> dict[str, list[Path]]:
    """The rules that failed in a Snakemake log (``Error in rule X:``) with the log files they name.

    Parameters
    ----------
    text
        Snakemake's output.
    workdir
        Snakemake's working directory (relative log paths are resolved against it).
    """
    found: dict[str, list[Path]] = {}
    rule = None
    for line in text.splitlines():
        start = re.match(r"Error in rule (\w+):", line)
        if start:
            rule = start.group(1)
            found.setdefault(rule, [])
            continue
        if rule is not None:
            match = re.search(r"(?:log:|Log files?:)\s*(\S+)", line)
            if match:
                path = Path(match.group(1))
                path = path if path.is_absolute() else Path(workdir) / path
                if path not in found[rule]:
                    found[rule].append(path)
                rule = None
    return found


def run_snakemake(
    snakefile: str | os.PathLike[str],
    *,
    name: str,
    workdir: str | os.PathLike[str],
    configfile: str | os.PathLike[str] | None = None,
    cores: int = 2,
    extra: Sequence[str] = (),
    timeout: float | None = None,
) -> tuple[int, float, Path]:
    """Run ``snakefile`` with Snakemake in ``workdir``; return (exit status, wall seconds, log file).

    Snakemake's own output goes to ``workdir/logs/snakemake.<name>.log``.

    Parameters
    ----------
    snakefile
        The Snakefile.
    name
        Names the log file (and the run in log messages).
    workdir
        Snakemake's working directory (created).
    configfile
        The config file (``--configfile``), or ``None``.
    cores
        Cores Snakemake may use.
    extra
        Further Snakemake arguments (targets, ``--keep-going``, ...).
    timeout
        Seconds before the run is stopped (``None``: no limit).
    """
    work = Path(workdir).resolve()
    (work / "logs").mkdir(parents=True, exist_ok=True)
    log = work / "logs" / f"snakemake.{name}.log"
    cmd = _command(Path(snakefile), workdir=work, configfile=configfile, cores=cores, extra=extra)
    logger.info("running %s: %s", name, " ".join(cmd))
    started = time.perf_counter()
    with log.open("w") as handle:
        proc = subprocess.run(cmd, stdout=handle, stderr=subprocess.STDOUT, check=False, timeout=timeout)
    seconds = time.perf_counter() - started
    logger.info("%s finished in %.1f s (exit status %d)", name, seconds, proc.returncode)
    return proc.returncode, seconds, log


def run_workflow(name: str, *, workdir: str | os.PathLike[str], **options: Any) -> float:
    """Run workflow ``name`` with Snakemake; return the wall time in seconds.

    Snakemake's own output goes to ``workdir/logs/snakemake.<name>.log``.

    Parameters
    ----------
    name
        A key of :data:`~omicsdl._workflows.WORKFLOWS`.
    workdir
        Snakemake's working directory (created).
    **options
        ``configfile``, ``cores``, ``extra``, ``timeout``: as for
        :func:`run_snakemake` (no ``configfile``: the workflow's
        ``config/config.yaml`` in ``workdir``).

    Raises
    ------
    WorkflowFailed
        When Snakemake exits with an error; the message names Snakemake's log
        and the log of the step that failed.
    """
    snakefile = workflow_dir(name) / "workflow" / "Snakefile"
    status, seconds, log = run_snakemake(snakefile, name=name, workdir=workdir, **options)
    if status != 0:
        raise _failure(name, log, Path(workdir).resolve())
    return seconds


def _failure(name: str, log: Path, workdir: Path) -> WorkflowFailed:
    text = log.read_text(errors="replace")
    tail = "\n".join(text.strip().splitlines()[-15:])
    logs = [p for paths in failed_steps(text, workdir).values() for p in paths]
    return WorkflowFailed(name, log, list(dict.fromkeys(logs)), tail)
