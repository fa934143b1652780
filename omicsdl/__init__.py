"""omicsdl: multi-omics biomarker discovery for hepatocellular carcinoma.

Use it as ``import omicsdl as od``. One package per scientific system, shared
layers below them:

``od.subtypes``  survival subtypes from multi-omics (Chaudhary et al. 2018)
``od.g2vec``     G2Vec gene vectors, prognostic biomarkers and modules (Choi et al. 2018)
``od.blood``     the nine-gene blood panel classifiers (Xie et al. 2018)
``od.mrs``       liver 1H-MRS simulation, fitting, qCNN and cCNN (Bae et al. 2025)
``od.io``        readers and writers (TCGA/GDC files, cohorts as MuData ``.h5mu``)
``od.pp``        preprocessing with fitted, reusable state
``od.survival``  Kaplan-Meier, log-rank, Cox, C-index (on lifelines)
``od.metrics``   classification metrics (DeLong AUC, thresholds, calibration)
``od.enrich``    gene-set over-representation analysis
``od.pl``        shared plotting (Kaplan-Meier, saving figures)
``od.datasets``  the embedded TCGA-LIHC demo cohort and a shipped network
``od.report``    self-contained HTML reports
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError, ModelFormatError, NotFittedError
from omicsdl._core._settings import settings
from omicsdl._version import __version__

__all__ = [
    "InputError",
    "ModelFormatError",
    "NotFittedError",
    "__version__",
    "blood",
    "datasets",
    "enrich",
    "g2vec",
    "io",
    "metrics",
    "mrs",
    "pl",
    "pp",
    "report",
    "settings",
    "subtypes",
    "survival",
]

_SUBMODULES = frozenset(
    {
        "blood",
        "datasets",
        "enrich",
        "g2vec",
        "io",
        "metrics",
        "mrs",
        "pl",
        "pp",
        "report",
        "subtypes",
        "survival",
    }
)

if TYPE_CHECKING:
    from omicsdl import blood, datasets, enrich, g2vec, io, metrics, mrs, pl, pp, report, subtypes, survival


def __getattr__(name: str):
    # Namespaces import lazily so that `omicsdl --help` does not pay for torch.
    if name in _SUBMODULES:
        return importlib.import_module(f"omicsdl.{name}")
    msg = f"module 'omicsdl' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
