"""Tools: survival subtypes, G2Vec gene embeddings, blood-panel classifier comparison."""

from __future__ import annotations

from omicsdl.tl._blood_compare import (
    BLOOD_METHODS,
    BloodComparison,
    compare_blood_classifiers,
    write_blood_comparison,
)
from omicsdl.tl._blood_fit import fit_blood_classifier, predict_blood
from omicsdl.tl._blood_metrics import ThresholdMetrics, auc_delong, calibration_summary, threshold_metrics
from omicsdl.tl._characterise import SubtypeCharacterisation, characterise_subtypes
from omicsdl.tl._g2vec import G2Vec, NetworkMatch, g2vec, match_network, prognosis_labels
from omicsdl.tl._g2vec_embed import SupervisedCBOW, Word2VecEmbedder
from omicsdl.tl._g2vec_evaluate import evaluate_g2vec
from omicsdl.tl._g2vec_io import load_gene_vectors, save_gene_vectors
from omicsdl.tl._g2vec_run import G2VecRun, run_g2vec, write_g2vec_run
from omicsdl.tl._g2vec_walks import GenePaths, generate_gene_paths
from omicsdl.tl._kmeans import KSelection, select_k
from omicsdl.tl._nested_cv import SubtypeEvaluation, evaluate_subtypes
from omicsdl.tl._subtypes import SurvivalSubtypes
from omicsdl.tl._subtypes_transfer import TransferResult, read_expression_survival_table, transfer_subtypes

__all__ = [
    "BLOOD_METHODS",
    "BloodComparison",
    "G2Vec",
    "G2VecRun",
    "GenePaths",
    "KSelection",
    "NetworkMatch",
    "SubtypeCharacterisation",
    "SubtypeEvaluation",
    "SupervisedCBOW",
    "SurvivalSubtypes",
    "ThresholdMetrics",
    "TransferResult",
    "Word2VecEmbedder",
    "auc_delong",
    "calibration_summary",
    "characterise_subtypes",
    "compare_blood_classifiers",
    "evaluate_g2vec",
    "evaluate_subtypes",
    "fit_blood_classifier",
    "g2vec",
    "generate_gene_paths",
    "load_gene_vectors",
    "match_network",
    "predict_blood",
    "prognosis_labels",
    "read_expression_survival_table",
    "run_g2vec",
    "save_gene_vectors",
    "select_k",
    "threshold_metrics",
    "transfer_subtypes",
    "write_blood_comparison",
    "write_g2vec_run",
]
