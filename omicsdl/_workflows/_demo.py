"""The demo: run the packaged workflows on the embedded data, then one combined report."""

from __future__ import annotations

import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

__all__ = ["DEMO_PLAN", "available_commands", "run_cohort_demo", "run_demo", "write_demo_cohort"]

logger = logging.getLogger(__name__)

#: workflow → (report module, omicsdl command it needs, results folder inside the workflow's results)
DEMO_PLAN: dict[str, tuple[str, str | None, str]] = {
    "cohort_overview": ("cohort", None, "cohort"),
    "lihc_subtypes": ("subtypes", "subtypes", "subtypes"),
    "g2vec_modules": ("g2vec", "g2vec", "g2vec"),
    "blood_classifier": ("blood", "blood", "blood"),
    "mrs_liver": ("mrs", "mrs", "mrs"),
}


def available_commands() -> set[str]:
    """The ``omicsdl`` subcommands this installation provides."""
    from omicsdl.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def write_demo_cohort(out_dir: str | os.PathLike[str]) -> Path:
    """Write the embedded cohort (``cohort.h5mu``) and its preprocessed copy into ``out_dir``.

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
    """The cohort overview alone, without Snakemake: ``out_dir/report/index.html``.

    Returns
    -------
    Path of the report's ``index.html``.
    """
    from omicsdl.report._combined import build_report

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


def run_demo(out_dir: str | os.PathLike[str], *, cores: int = 2, only: Sequence[str] | None = None) -> Path:
    """Run the workflows on the embedded data (demo settings) and write the combined report.

    Each workflow runs with Snakemake in ``out_dir/workflows/<name>`` with its
    ``config/demo.yaml`` (copied there as ``config/config.yaml``, so it can be
    re-run or changed). A workflow whose command is not installed is left out;
    a workflow that fails is reported with its log path. The combined report is
    ``out_dir/report/index.html``.

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
    """
    from omicsdl._workflows import WorkflowFailed, run_workflow, workflow_dir
    from omicsdl.report._combined import build_report

    out = Path(out_dir).resolve()
    commands = available_commands()
    info: dict[str, Any] = {"modules": {}, "notes": []}
    results: dict[str, Path] = {}
    planned: list[tuple[str, str, str]] = []
    for name, (module, command, folder) in DEMO_PLAN.items():
        entry: dict[str, Any] = {"workflow": name}
        info["modules"][module] = entry
        if only and module != "cohort" and name not in only:
            entry |= {"status": "not run", "reason": "not selected (--only)"}
        elif command is not None and command not in commands:
            entry |= {
                "status": "not run",
                "reason": f"`omicsdl {command}` is not available in this omicsdl installation",
            }
        else:
            planned.append((name, module, folder))

    def run(name: str, module: str, folder: str) -> None:
        entry = info["modules"][module]
        work = out / "workflows" / name
        config = work / "config" / "config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(workflow_dir(name) / "config" / "demo.yaml", config)
        entry["settings"] = _settings(config)
        try:
            entry["seconds"] = round(run_workflow(name, workdir=work, configfile=config, cores=cores), 1)
        except WorkflowFailed as err:
            logger.error("%s", err)
            reason = str(err).splitlines()[0] + "".join(f"; see {p}" for p in err.step_logs)
            entry |= {"status": "failed", "reason": reason}
            return
        entry["status"] = "ran"
        results[module] = work / "results" / folder

    # the workflows are independent: two at a time keep both cores busy (most steps use one)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(run, *job) for job in planned]:
            future.result()
    info["notes"].append(
        "Demo settings: fewer cross-validation repeats and epochs than the published-comparison defaults "
        "in each workflow's config/config.yaml, so that all workflows finish in minutes on 2 cores; the "
        "held-out figures are therefore less precise than a full run's."
    )
    cohort = results.get("cohort")
    report = build_report(
        cohort=cohort / "cohort.h5mu" if cohort is not None else "demo",
        subtypes=results.get("subtypes"),
        g2vec=results.get("g2vec"),
        g2vec_network="demo" if "g2vec" in results else None,
        blood=results.get("blood"),
        mrs=results.get("mrs"),
        run_info=info,
        title="omicsdl — TCGA-LIHC demo",
    )
    return report.write(out / "report")
