"""Survival subtypes from multi-omics (Chaudhary et al. 2018).

Stacked autoencoder → Cox-screened bottleneck → K-means subtypes → a per-omic
classifier that assigns new patients; evaluated by repeated cross-validation
against baselines.

* :class:`SurvivalSubtypes` — the fitted pipeline (``fit`` / ``predict`` /
  ``annotate`` / ``save`` / ``load``), built on :class:`Autoencoder` (whose
  network is :class:`AutoencoderModule`), :func:`select_k` and
  :class:`SubtypeClassifier`;
* the other benchmarked risk models: :class:`SubtypesEnsemble` (DeepProg),
  :class:`CoxAutoencoderModel`, :class:`PCACox`, :class:`LateFusionCox`,
  :class:`StageCox` (all in :data:`MODEL_TYPES`; :func:`make_model`, :func:`load_model`);
* :func:`evaluate_subtypes` → :class:`SubtypesEvaluation` (every model on the
  same folds, paired differences, permutation test; ``write(dir)`` / ``read(dir)``);
* :func:`fit_subtypes` → :class:`SubtypesFit` (the final model and its tables);
* :func:`characterise_subtypes`, :func:`transfer_subtypes`,
  :func:`read_expression_survival_table`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from omicsdl.subtypes._autoencoder import Autoencoder
from omicsdl.subtypes._characterise import SubtypeCharacterisation, characterise_subtypes
from omicsdl.subtypes._classifier import DEFAULT_N_FEATURES, SubtypeClassifier
from omicsdl.subtypes._compare_models import Recommendation
from omicsdl.subtypes._cox_autoencoder import DEFAULT_COX_AUTOENCODER, CoxAutoencoder, CoxAutoencoderModel
from omicsdl.subtypes._ensemble import SubtypesEnsemble
from omicsdl.subtypes._evaluate import DEFAULT_PERMUTATIONS, evaluate_subtypes
from omicsdl.subtypes._fit import fit_subtypes
from omicsdl.subtypes._folds import make_folds, read_folds
from omicsdl.subtypes._kmeans import KSelection, select_k
from omicsdl.subtypes._linear_cox import LateFusionCox, PCACox
from omicsdl.subtypes._model import DEFAULT_AUTOENCODER, SurvivalSubtypes, survival_of
from omicsdl.subtypes._model_types import BASELINE_MODELS, DEFAULT_MODELS, MODEL_TYPES, load_model, make_model
from omicsdl.subtypes._omics_input import DEFAULT_GENE_TYPES, DEFAULT_MAX_FEATURES
from omicsdl.subtypes._permutation_test import PermutationTest
from omicsdl.subtypes._results import (
    BaselineScore,
    HeldoutScores,
    InSampleScores,
    SubtypesEvaluation,
    SubtypesFit,
)
from omicsdl.subtypes._stage_cox import StageCox
from omicsdl.subtypes._transfer import TransferResult, read_expression_survival_table, transfer_subtypes

if TYPE_CHECKING:
    from omicsdl.subtypes._module import AutoencoderModule

__all__ = [
    "BASELINE_MODELS",
    "DEFAULT_AUTOENCODER",
    "DEFAULT_COX_AUTOENCODER",
    "DEFAULT_GENE_TYPES",
    "DEFAULT_MAX_FEATURES",
    "DEFAULT_MODELS",
    "DEFAULT_N_FEATURES",
    "DEFAULT_PERMUTATIONS",
    "MODEL_TYPES",
    "Autoencoder",
    "AutoencoderModule",
    "BaselineScore",
    "CoxAutoencoder",
    "CoxAutoencoderModel",
    "HeldoutScores",
    "InSampleScores",
    "KSelection",
    "LateFusionCox",
    "PCACox",
    "PermutationTest",
    "Recommendation",
    "StageCox",
    "SubtypeCharacterisation",
    "SubtypeClassifier",
    "SubtypesEnsemble",
    "SubtypesEvaluation",
    "SubtypesFit",
    "SurvivalSubtypes",
    "TransferResult",
    "characterise_subtypes",
    "evaluate_subtypes",
    "fit_subtypes",
    "load_model",
    "make_folds",
    "make_model",
    "read_expression_survival_table",
    "read_folds",
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
