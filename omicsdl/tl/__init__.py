"""Tools: biomarker discovery engines (G2Vec gene embeddings, …)."""

from __future__ import annotations

from omicsdl.tl._g2vec import G2Vec, NetworkMatch, g2vec, match_network, prognosis_labels
from omicsdl.tl._g2vec_evaluate import evaluate_g2vec
from omicsdl.tl._g2vec_embed import SupervisedCBOW, Word2VecEmbedder
from omicsdl.tl._g2vec_io import load_gene_vectors, save_gene_vectors
from omicsdl.tl._g2vec_run import G2VecRun, run_g2vec, write_g2vec_run
from omicsdl.tl._g2vec_walks import GenePaths, generate_gene_paths

__all__ = [
    "G2Vec",
    "G2VecRun",
    "GenePaths",
    "NetworkMatch",
    "SupervisedCBOW",
    "Word2VecEmbedder",
    "evaluate_g2vec",
    "g2vec",
    "generate_gene_paths",
    "load_gene_vectors",
    "match_network",
    "prognosis_labels",
    "run_g2vec",
    "save_gene_vectors",
    "write_g2vec_run",
]
