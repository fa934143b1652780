"""The demo: the packaged workflows in one Snakemake run on the embedded data, then one combined report."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._core._errors import InputError
from omicsdl._workflows._locate import workflow_dir
from omicsdl._workflows._registry import DEMO_WORKFLOWS
from omicsdl._workflows._run import _command, _failure, failed_steps, run_snakemake

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["DEMO_SNAKEFILE", "run_cohort_demo", "run_demo", "write_demo_cohort"]

logger = logging.getLogger(__name__)

#: the demo's Snakefile: every packaged workflow as a Snakemake module
DEMO_SNAKEFILE = Path(__file__).with_name("demo.smk")

_NOTE = (
    "Demo settings: fewer cross-validation repeats and epochs than the published-comparison defaults in each "
    "workflow's config/config.yaml, so that all workflows finish in minutes on 2 cores; the held-out figures "
    "are therefore less precise than a full run's."
)


def write_demo_cohort(out_dir: str | os.PathLike[str]) -> Path:
    """Write the embedded cohort (``cohort.h5mu``) and its preprocessed copy into ``out_dir``.

    Parameters
    ----------
    out_dir
        Output folder (created).

    Returns
    -------
    Path of ``cohort.h5mu``.
    """
    from omicsdl.datasets import tcga_lihc_demo
    from omicsdl.io import write_h5mu
    from omicsdl.pp import preprocess_cohort

    out = Path(out_dir)
    mdata = tcga_lihc_demo()
    processed, _ = preprocess_cohort(mdata)
    write_h5mu(processed, out / "cohort.preprocessed.h5mu")
    return write_h5mu(mdata, out / "cohort.h5mu")


def run_cohort_demo(out_dir: str | os.PathLike[str]) -> Path:
    """The cohort overview alone, without Snakemake; return the path of ``out_dir/report/index.html``.

    ``out_dir`` receives the cohort files (:func:`write_demo_cohort`) and ``report/``.
    """
    from omicsdl.report import build_report

    out = Path(out_dir)
    write_demo_cohort(out)
    report = build_report(cohort=out / "cohort.h5mu", title="omicsdl — TCGA-LIHC demo cohort")
    return report.write(out / "report")


def _settings(config: Path) -> str:
    import yaml

    doc = yaml.safe_load(config.read_text()) or {}
    flat = []
    for key, value in doc.items():
        if key in ("results", "report"):
            continue
        if isinstance(value, dict):
            flat += [f"{key}.{k}={v}" for k, v in value.items() if v not in (None, "")]
        elif value not in (None, "", []):
            flat.append(f"{key}={value}")
    return ", ".join(flat)


def _selected(only: Sequence[str] | None) -> list[str]:
    if not only:
        return list(DEMO_WORKFLOWS)
    analyses = [name for name, spec in DEMO_WORKFLOWS.items() if spec.command is not None]
    unknown = sorted(set(only) - set(analyses))
    if unknown:
        raise InputError(
            f"unknown analysis workflow {', '.join(unknown)}",
            item=", ".join(unknown),
            fix=f"choose from {', '.join(analyses)}",
        )
    return [name for name, spec in DEMO_WORKFLOWS.items() if spec.command is None or name in only]


def _write_configs(out: Path, names: Sequence[str], *, command: Sequence[str] = ()) -> Path:
    import shlex

    import yaml

    for name in names:
        config = out / "workflows" / name / "config" / "config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(workflow_dir(name) / "config" / "demo.yaml", config)
    demo = out / "config" / "demo.yaml"
    demo.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# omicsdl demo: the workflows below in one Snakemake run (omicsdl/_workflows/demo.smk).\n"
        "# run: which workflows; results: the one results folder they all write into.\n"
        "# Each workflow's settings: workflows/<name>/config/config.yaml (a copy of its demo.yaml).\n"
    )
    if command:
        header += (
            f"# Re-run after editing them (only what changed is recomputed):\n#   {shlex.join(command)}\n"
        )
    demo.write_text(header + yaml.safe_dump({"results": "results", "run": list(names)}, sort_keys=False))
    return demo


def _run_info(
    out: Path, selected: Sequence[str], failed: dict[str, list[Path]], *, started: float
) -> tuple[dict[str, Any], dict[str, Path]]:
    """What each workflow did (for the report's "What was run") and the results folder of each that ran."""
    info: dict[str, Any] = {"modules": {}, "notes": []}
    folders: dict[str, Path] = {}
    for name, spec in DEMO_WORKFLOWS.items():
        entry: dict[str, Any] = {"workflow": name}
        info["modules"][spec.section] = entry
        if name not in selected:
            entry |= {"status": "not run", "reason": "not selected (--only)"}
            continue
        config = out / "workflows" / name / "config" / "config.yaml"
        entry["settings"] = _settings(config) if config.is_file() else ""
        logs = sorted((out / "workflows" / name / "logs").glob("*.log"))
        if logs:
            entry["seconds"] = round(max(p.stat().st_mtime for p in logs) - started, 1)
        steps = {rule: paths for rule, paths in failed.items() if rule.startswith(f"{name}_")}
        if steps:
            where = "".join(f"; see {p}" for paths in steps.values() for p in paths)
            reason = f"step {', '.join(r.removeprefix(name + '_') for r in steps)} failed{where}"
            logger.error("workflow %s: %s", name, reason)
            entry |= {"status": "failed", "reason": reason}
            continue
        entry["status"] = "ran"
        folders[spec.section] = out / "results" / spec.results
    return info, folders


def run_demo(out_dir: str | os.PathLike[str], *, cores: int = 2, only: Sequence[str] | None = None) -> Path:
    """Run the workflows on the embedded data (demo settings) and write the combined report.

    The workflows run as Snakemake modules of one demo workflow (``demo.smk``),
    in ONE Snakemake run in ``out_dir`` with ``--keep-going``, so Snakemake
    schedules independent jobs of different workflows side by side. Each
    workflow reads ``out_dir/workflows/<name>/config/config.yaml`` (a copy of
    its ``config/demo.yaml``, to change and re-run) and logs into
    ``out_dir/workflows/<name>/logs``; results go to
    ``out_dir/results/<folder>``. Every job gets at most ``cores // 2``
    threads (at least 1), so that two jobs always run side by side (most
    steps use one core; a two-thread step would otherwise hold both). A workflow that
    fails is reported with its log path; the others still run. The combined
    report is ``out_dir/report/index.html``.

    Parameters
    ----------
    out_dir
        Output folder.
    cores
        Cores Snakemake may use.
    only
        Analysis workflows to run (the cohort overview always runs).

    Returns
    -------
    Path of the combined report's ``index.html``.

    Raises
    ------
    omicsdl._workflows.WorkflowFailed
        When Snakemake stops before running any step (a bad configuration).
    """
    from omicsdl.report import build_report

    out = Path(out_dir).resolve()
    selected = _selected(only)
    extra = ["--keep-going", "--max-threads", str(max(1, cores // 2)), "all"]
    command = _command(
        DEMO_SNAKEFILE, workdir=out, configfile=out / "config" / "demo.yaml", cores=cores, extra=extra
    )
    demo_config = _write_configs(out, selected, command=command)
    started = time.time()
    status, seconds, log = run_snakemake(
        DEMO_SNAKEFILE, name="demo", workdir=out, configfile=demo_config, cores=cores, extra=extra
    )
    text = log.read_text(errors="replace")
    failed = failed_steps(text, out)
    if status != 0 and not failed:
        raise _failure("demo", log, out)
    info, folders = _run_info(out, selected, failed, started=started)
    info["notes"] = [
        f"All workflows ran in one Snakemake run (--cores {cores}) of {seconds:.0f} s; each workflow's "
        "time is when its last step finished, counted from the start of that run.",
        _NOTE,
    ]
    cohort = folders.get("cohort")
    report = build_report(
        cohort=cohort / "cohort.h5mu" if cohort is not None else "demo",
        subtypes=folders.get("subtypes"),
        g2vec=folders.get("g2vec"),
        g2vec_network="demo" if "g2vec" in folders else None,
        blood=folders.get("blood"),
        mrs=folders.get("mrs"),
        run_info=info,
        title="omicsdl — TCGA-LIHC demo",
    )
    return report.write(out / "report")
