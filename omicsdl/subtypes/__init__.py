"""Survival subtypes from multi-omics (Chaudhary et al. 2018).

Stacked autoencoder → Cox-screened bottleneck → K-means subtypes → a per-omic
classifier that assigns new patients; evaluated by repeated cross-validation
against baselines.
"""

from __future__ import annotations

from omicsdl.subtypes._autoencoder import Autoencoder
from omicsdl.subtypes._characterise import SubtypeCharacterisation, characterise_subtypes
from omicsdl.subtypes._classifier import SubtypeClassifier
from omicsdl.subtypes._evaluate import SubtypeEvaluation, evaluate_subtypes
from omicsdl.subtypes._kmeans import KSelection, select_k
from omicsdl.subtypes._model import SurvivalSubtypes
from omicsdl.subtypes._module import AutoencoderModule
from omicsdl.subtypes._transfer import TransferResult, read_expression_survival_table, transfer_subtypes

__all__ = [
    "Autoencoder",
    "AutoencoderModule",
    "KSelection",
    "SubtypeCharacterisation",
    "SubtypeClassifier",
    "SubtypeEvaluation",
    "SurvivalSubtypes",
    "TransferResult",
    "characterise_subtypes",
    "evaluate_subtypes",
    "read_expression_survival_table",
    "select_k",
    "transfer_subtypes",
]
