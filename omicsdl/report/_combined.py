"""One combined report from whatever results folders exist (``omicsdl report``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io import load_cohort
from omicsdl.report._builder import Report

if TYPE_CHECKING:
    import os

    import networkx as nx

__all__ = ["build_report", "load_cohort"]

logger = logging.getLogger(__name__)

_MODULE_TITLES = {
    "cohort": "cohort overview",
    "subtypes": "survival subtypes",
    "g2vec": "G2Vec gene modules",
    "blood": "blood classifier",
    "mrs": "MR spectroscopy",
}


def _load_network(network: str | os.PathLike[str] | None) -> nx.Graph | None:
    if network is None:
        return None
    from omicsdl.datasets import string_demo_network_path
    from omicsdl.io import read_network

    if str(network) == "demo":
        network = string_demo_network_path()
    if not Path(network).is_file():
        raise InputError("the network file does not exist", source=network, fix="give the network G2Vec used")
    return read_network(network)


def _read_run_info(path: Path) -> dict[str, Any]:
    import json

    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the run description: {err}", source=path) from err
    if not isinstance(doc, dict):
        raise InputError("the run description is not a JSON object", source=path)
    return doc


def _run_info_section(report: Report, run_info: dict[str, Any]) -> list[str]:
    modules = run_info.get("modules", {})
    if not modules:
        return []
    sec = report.section("runs", "What was run")
    rows = []
    missing = []
    for name, info in modules.items():
        rows.append(
            {
                "module": _MODULE_TITLES.get(name, name),
                "workflow": info.get("workflow", ""),
                "status": info.get("status", ""),
                "time (s)": info.get("seconds"),
                "settings": info.get("settings", ""),
                "reason": info.get("reason", ""),
            }
        )
        if info.get("status") != "ran":
            missing.append(f"{_MODULE_TITLES.get(name, name)} ({info.get('reason', 'not run')})")
    sec.add_table(
        pd.DataFrame(rows),
        name="workflow_runs",
        caption="Each Snakemake workflow, whether it ran, its time (see the notes) and its settings.",
    )
    for note in run_info.get("notes", []):
        sec.add_callout(str(note), kind="note")
    if missing:
        sec.add_callout("Not run: " + "; ".join(missing) + ".", kind="warning")
        return ["Not part of this report: " + "; ".join(missing) + "."]
    return []


def build_report(
    *,
    cohort: str | os.PathLike[str] | None = None,
    subtypes: str | os.PathLike[str] | None = None,
    g2vec: str | os.PathLike[str] | None = None,
    g2vec_network: str | os.PathLike[str] | None = None,
    blood: str | os.PathLike[str] | None = None,
    mrs: str | os.PathLike[str] | None = None,
    run_info: dict[str, Any] | str | os.PathLike[str] | None = None,
    survival: pd.DataFrame | None = None,
    title: str = "omicsdl report",
) -> Report:
    """Assemble one report: plain-words summary, then one section per results folder given.

    Parameters
    ----------
    cohort
        ``"demo"`` or a cohort ``.h5mu``: adds the cohort overview and gives the
        survival times used for the subtype Kaplan-Meier curves.
    subtypes, g2vec, blood, mrs
        Results folders of ``omicsdl subtypes evaluate``, ``omicsdl g2vec run``,
        ``omicsdl blood evaluate`` and the MRS module (each optional; a folder
        that is given but missing its main file is an :class:`~omicsdl.InputError`).
    g2vec_network
        ``"demo"`` or the network file G2Vec used, to draw module edges.
    run_info
        What the workflows did: ``{"modules": {name: {"status", "reason",
        "seconds", "workflow", "settings"}}, "notes": [...]}``, or a JSON
        file holding it (``omicsdl report --run-info``).
    survival
        Survival table indexed by patient (``os_days``, ``os_event``) for the
        subtype curves when no ``cohort`` is given.
    title
        Page title.

    Returns
    -------
    The report (call :meth:`~omicsdl.report.Report.write`).
    """
    from omicsdl.report._sections_blood import blood_section
    from omicsdl.report._sections_g2vec import g2vec_section
    from omicsdl.report._sections_mrs import mrs_section, read_mrs_results
    from omicsdl.report._sections_subtypes import subtypes_section

    if all(x is None for x in (cohort, subtypes, g2vec, blood, mrs)):
        raise InputError(
            "nothing to report: no cohort and no results folder given",
            fix="give --cohort and/or --subtypes/--g2vec/--blood/--mrs",
        )
    if run_info is not None and not isinstance(run_info, dict):
        run_info = _read_run_info(Path(run_info))
    report = Report(title)
    found: list[str] = []
    intro = "This report gathers what omicsdl computed"
    if cohort is not None:
        from omicsdl.pp import preprocess_cohort
        from omicsdl.report._cohort_overview import cohort_overview

        mdata = load_cohort(cohort)
        if str(cohort) != "demo":
            report.add_input(cohort, label=Path(cohort).name)
        survival = mdata.obs
        n_events = int(mdata.obs["os_event"].sum()) if "os_event" in mdata.obs else 0
        _, fitted = preprocess_cohort(mdata)
        cohort_overview(mdata, report, preprocessors=fitted)
        report.add_methods(
            cohort="embedded TCGA-LIHC demo (omicsdl.datasets.tcga_lihc_demo)"
            if str(cohort) == "demo"
            else str(cohort)
        )
        intro = (
            f"This report describes {mdata.n_obs} patients with liver cancer (hepatocellular carcinoma), "
            f"for whom {', '.join(mdata.mod)} data were measured in the tumour; {n_events} died during follow-up"
        )
        if str(cohort) == "demo":
            intro += (
                ". The demo data are real TCGA-LIHC measurements but truncated (365 genes for mRNA and "
                "methylation), so they illustrate the workbench rather than the full biology"
            )
    if subtypes is not None:
        found.append(subtypes_section(report, subtypes, survival=survival))
    if g2vec is not None:
        found.append(g2vec_section(report, g2vec, network=_load_network(g2vec_network)))
    if blood is not None:
        found.append(blood_section(report, blood))
    if mrs is not None:
        found.append(mrs_section(report, read_mrs_results(report, mrs)))
    skipped = _run_info_section(report, run_info) if run_info else []
    sure = (
        "How sure we are: figures measured on patients a model had not seen (held-out, cross-validated) are "
        "the ones to trust; in-sample figures are optimistic and are labelled as such. Sections built on "
        "simulated data carry a SYNTHETIC DATA badge."
    )
    report.summary = "\n\n".join([intro + ".", *found, *skipped, sure])
    return report
