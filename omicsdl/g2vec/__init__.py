"""G2Vec: gene vectors from expression-guided walks on a gene network (Choi et al. 2018).

Correlation-weighted gene-paths per prognosis group → supervised CBOW gene
vectors → L-groups → prognostic biomarkers → network modules and enrichment.

Inside: ``_walks`` (vectorised weighted walks), ``_paths`` (gene-paths as gene
sets per group), ``_module`` (the supervised-CBOW torch module), ``_stopping``
(early-stopping rules), ``_embed`` (the embedders), ``_lgroups`` (L-groups and
gene scores), ``_variants`` (the authors' algorithm and omicsdl's, and every
difference), ``_diagnostics`` (what a fit did), ``_model`` (:class:`G2Vec`),
``_evaluate`` (cross-validated comparison with baselines), ``_inputs`` (reading
a run's inputs, the authors' file formats included), ``_run``
(:func:`run_g2vec`), ``_results`` (:class:`G2VecRun` and its folder), ``_plot``
(figures).
"""

from __future__ import annotations

from omicsdl.g2vec._diagnostics import G2VecDiagnostics
from omicsdl.g2vec._embed import SupervisedCBOW, Word2VecEmbedder
from omicsdl.g2vec._evaluate import evaluate_g2vec
from omicsdl.g2vec._inputs import G2VecInputs, read_expression, read_g2vec_inputs, read_labels
from omicsdl.g2vec._learning_curve import learning_curve
from omicsdl.g2vec._model import G2Vec, NetworkMatch, g2vec, match_network
from omicsdl.g2vec._paths import GenePaths, generate_gene_paths
from omicsdl.g2vec._results import G2VecLearningCurve, G2VecRun
from omicsdl.g2vec._run import run_g2vec
from omicsdl.g2vec._variants import DIFFERENCES, VARIANTS

__all__ = [
    "DIFFERENCES",
    "VARIANTS",
    "G2Vec",
    "G2VecDiagnostics",
    "G2VecInputs",
    "G2VecLearningCurve",
    "G2VecRun",
    "GenePaths",
    "NetworkMatch",
    "SupervisedCBOW",
    "SupervisedCBOWModule",
    "Word2VecEmbedder",
    "evaluate_g2vec",
    "g2vec",
    "generate_gene_paths",
    "learning_curve",
    "match_network",
    "read_expression",
    "read_g2vec_inputs",
    "read_labels",
    "run_g2vec",
]


def __getattr__(name: str):
    # the torch module is imported only when asked for: `import omicsdl.g2vec` stays torch-free
    if name == "SupervisedCBOWModule":
        from omicsdl.g2vec._module import SupervisedCBOWModule

        return SupervisedCBOWModule
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
