"""Tools: biomarker discovery engines (G2Vec gene embeddings, …)."""

from __future__ import annotations

from omicsdl.tl._g2vec import G2Vec, NetworkMatch, g2vec, match_network, prognosis_labels
from omicsdl.tl._g2vec_embed import SupervisedCBOW, Word2VecEmbedder
from omicsdl.tl._g2vec_io import load_gene_vectors, save_gene_vectors
from omicsdl.tl._g2vec_walks import GenePaths, generate_gene_paths

__all__ = [
    "G2Vec",
    "GenePaths",
    "NetworkMatch",
    "SupervisedCBOW",
    "Word2VecEmbedder",
    "g2vec",
    "generate_gene_paths",
    "load_gene_vectors",
    "match_network",
    "prognosis_labels",
    "save_gene_vectors",
]
