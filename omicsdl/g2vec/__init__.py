"""G2Vec: gene vectors from expression-guided walks on a gene network (Choi et al. 2018).

Correlation-weighted gene-paths per prognosis group → supervised CBOW gene
vectors → L-groups → prognostic biomarkers → network modules and enrichment.
"""

from __future__ import annotations

from omicsdl.g2vec._embed import SupervisedCBOW, Word2VecEmbedder
from omicsdl.g2vec._evaluate import evaluate_g2vec
from omicsdl.g2vec._model import G2Vec, NetworkMatch, g2vec, match_network
from omicsdl.g2vec._run import G2VecRun, run_g2vec, write_g2vec_run
from omicsdl.g2vec._vectors import load_gene_vectors, save_gene_vectors
from omicsdl.g2vec._walks import GenePaths, generate_gene_paths

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
    "run_g2vec",
    "save_gene_vectors",
    "write_g2vec_run",
]
