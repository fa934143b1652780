"""omicsdl: multi-omics deep-learning workbench for hepatocellular carcinoma.

Use it as ``import omicsdl as od``; the namespaces follow scverse:

``od.io``        readers and writers (TCGA/GDC files, cohorts as MuData ``.h5mu``)
``od.pp``        preprocessing with fitted, reusable state
``od.survival``  Kaplan-Meier, log-rank, Cox, C-index (on lifelines)
``od.tl``        tools: subtypes, G2Vec gene embeddings, enrichment
``od.models``    torch models (autoencoder, classifiers)
``od.pl``        plotting only
``od.datasets``  the embedded TCGA-LIHC demo cohort and simulators
``od.report``    self-contained HTML reports
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from omicsdl._errors import InputError, ModelFormatError
from omicsdl._settings import settings

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "ModelFormatError",
    "__version__",
    "datasets",
    "io",
    "models",
    "pl",
    "pp",
    "report",
    "settings",
    "survival",
    "tl",
]

_SUBMODULES = {"datasets", "io", "models", "pl", "pp", "report", "survival", "tl", "mrs", "enrich"}

if TYPE_CHECKING:
    from omicsdl import datasets, io, models, pl, pp, report, survival, tl


def __getattr__(name: str):
    # Namespaces import lazily so that `omicsdl --help` does not pay for torch.
    if name in _SUBMODULES:
        return importlib.import_module(f"omicsdl.{name}")
    msg = f"module 'omicsdl' has no attribute {name!r}"
    raise AttributeError(msg)
