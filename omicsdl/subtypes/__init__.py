"""Survival subtypes from multi-omics (Chaudhary et al. 2018).

Stacked autoencoder → Cox-screened bottleneck → K-means subtypes → a per-omic
classifier that assigns new patients; evaluated by repeated cross-validation
against baselines.

* :class:`SurvivalSubtypes` — the fitted pipeline (``fit`` / ``predict`` /
  ``annotate`` / ``save`` / ``load``), built on :class:`Autoencoder` (whose
  network is :class:`AutoencoderModule`), :func:`select_k` and
  :class:`SubtypeClassifier`;
* :func:`evaluate_subtypes` → :class:`SubtypesEvaluation` (nested
  cross-validation with baselines; ``write(dir)`` / ``read(dir)``);
* :func:`fit_subtypes` → :class:`SubtypesFit` (the final model and its tables);
* :func:`characterise_subtypes`, :func:`transfer_subtypes`,
  :func:`read_expression_survival_table`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omicsdl.subtypes._autoencoder import Autoencoder
from omicsdl.subtypes._characterise import SubtypeCharacterisation, characterise_subtypes
from omicsdl.subtypes._classifier import DEFAULT_N_FEATURES, SubtypeClassifier
from omicsdl.subtypes._evaluate import evaluate_subtypes
from omicsdl.subtypes._fit import fit_subtypes
from omicsdl.subtypes._kmeans import KSelection, select_k
from omicsdl.subtypes._latent_cox import PENALIZER_GRID, penalised_cox_risk
from omicsdl.subtypes._model import DEFAULT_AUTOENCODER, SurvivalSubtypes, survival_of
from omicsdl.subtypes._results import (
    BaselineScore,
    HeldoutScores,
    InSampleScores,
    SubtypesEvaluation,
    SubtypesFit,
)
from omicsdl.subtypes._transfer import TransferResult, read_expression_survival_table, transfer_subtypes

if TYPE_CHECKING:
    from omicsdl.subtypes._module import AutoencoderModule

__all__ = [
    "DEFAULT_AUTOENCODER",
    "DEFAULT_N_FEATURES",
    "PENALIZER_GRID",
    "Autoencoder",
    "AutoencoderModule",
    "BaselineScore",
    "HeldoutScores",
    "InSampleScores",
    "KSelection",
    "SubtypeCharacterisation",
    "SubtypeClassifier",
    "SubtypesEvaluation",
    "SubtypesFit",
    "SurvivalSubtypes",
    "TransferResult",
    "characterise_subtypes",
    "evaluate_subtypes",
    "fit_subtypes",
    "penalised_cox_risk",
    "read_expression_survival_table",
    "select_k",
    "survival_of",
    "transfer_subtypes",
]


def __getattr__(name: str):
    # The torch network imports lazily: reading results (the report, the CLI's --help) needs no torch.
    if name == "AutoencoderModule":
        from omicsdl.subtypes._module import AutoencoderModule

        return AutoencoderModule
    msg = f"module 'omicsdl.subtypes' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
