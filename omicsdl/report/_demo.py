"""The demo job: the embedded TCGA-LIHC cohort, preprocessed and summarised in a report."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

__all__ = ["run_cohort_demo"]

logger = logging.getLogger(__name__)


def run_cohort_demo(out_dir: str | os.PathLike[str]) -> Path:
    """Load the embedded cohort, preprocess it and write ``out_dir/report/index.html``.

    Also writes the cohort (``out_dir/cohort.h5mu``) and the preprocessed
    cohort (``out_dir/cohort.preprocessed.h5mu``) for analysts.

    Returns
    -------
    Path of the report's ``index.html``.
    """
    from omicsdl.datasets import tcga_lihc_demo
    from omicsdl.io import write_h5mu
    from omicsdl.pp import preprocess_cohort
    from omicsdl.report._builder import Report
    from omicsdl.report._cohort_overview import cohort_overview

    out = Path(out_dir)
    logger.info("loading the embedded TCGA-LIHC demo cohort")
    mdata = tcga_lihc_demo()
    logger.info("preprocessing %d patients, %s", mdata.n_obs, ", ".join(mdata.mod))
    processed, fitted = preprocess_cohort(mdata)
    write_h5mu(mdata, out / "cohort.h5mu")
    write_h5mu(processed, out / "cohort.preprocessed.h5mu")
    n_events = int(mdata.obs["os_event"].sum())
    report = Report(
        "omicsdl — TCGA-LIHC demo cohort",
        summary=(
            f"This report describes {mdata.n_obs} patients with liver cancer (hepatocellular carcinoma) "
            f"from The Cancer Genome Atlas, for whom three kinds of molecular data were measured in the "
            f"tumour: gene activity (mRNA), microRNA and DNA methylation. {n_events} patients died during "
            "follow-up.\n\n"
            "The demo data are real but truncated: the mRNA and methylation tables hold only 365 genes "
            "each (see the Cohort section), so results here illustrate the workbench rather than the "
            "full biology."
        ),
    )
    cohort_overview(mdata, report, preprocessors=fitted)
    report.add_methods(
        cohort="omicsdl.datasets.tcga_lihc_demo()",
        preprocessing="max 20% missing/zero; "
        "log2(x+1) for rna and mirna; median imputation; z-score per feature",
    )
    path = report.write(out / "report")
    logger.info("report written to %s", path)
    return path
