"""Tools: survival subtypes, gene embeddings, enrichment (namespace filled as modules land)."""

from __future__ import annotations

from omicsdl.tl._characterise import SubtypeCharacterisation, characterise_subtypes
from omicsdl.tl._kmeans import KSelection, select_k
from omicsdl.tl._nested_cv import SubtypeEvaluation, evaluate_subtypes
from omicsdl.tl._subtypes import SurvivalSubtypes
from omicsdl.tl._subtypes_transfer import TransferResult, read_expression_survival_table, transfer_subtypes

__all__ = [
    "KSelection",
    "SubtypeCharacterisation",
    "SubtypeEvaluation",
    "SurvivalSubtypes",
    "TransferResult",
    "characterise_subtypes",
    "evaluate_subtypes",
    "read_expression_survival_table",
    "select_k",
    "transfer_subtypes",
]
