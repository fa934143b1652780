"""Analyst's view of G2Vec gene vectors: nearest neighbours of a gene, then clusters.

Run the pipeline first, then point this script at its output folder:

    omicsdl g2vec run demo --out g2vec_demo
    python examples/g2vec_neighbours.py g2vec_demo --gene ACAT1 --top 15

The folder is read with `omicsdl.g2vec.G2VecRun.read` (vectors from the checksummed
`vectors.txt`, no pickle) and `run.to_keyed_vectors()` gives gensim `KeyedVectors`.
`vectors.kv` in the same folder is the gensim-native copy:
`gensim.models.KeyedVectors.load("g2vec_demo/vectors.kv")` gives the same vectors
(it unpickles, so load it only from folders you wrote yourself; omicsdl never does).

Nearest neighbours only mean something when the vectors carry a neighbourhood
signal. The run's `diagnostics.json` says whether they do (a gene's nearest
genes share its gene-paths more often than random genes, and the vectors have
not collapsed onto one direction); this script prints that verdict first. On
the embedded demo they do not: read its neighbour list as noise.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering

import omicsdl as od


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", help="output folder of `omicsdl g2vec run`")
    parser.add_argument("--gene", help="query gene (default: the top-scoring biomarker)")
    parser.add_argument("--top", type=int, default=15, help="neighbours to show")
    parser.add_argument("--clusters", type=int, default=3, help="clusters among the neighbours")
    args = parser.parse_args(argv)

    run = od.g2vec.G2VecRun.read(args.folder)
    kv = run.to_keyed_vectors()
    biomarkers = run.biomarkers
    gene = args.gene or biomarkers.sort_values("score", ascending=False)["gene"].iloc[0]
    if gene not in kv.key_to_index:
        print(f"{gene} has no vector (not in the network or the expression)", file=sys.stderr)
        return 2

    diag = run.diagnostics
    if diag is not None:
        if diag.neighbourhood_signal:
            print(
                f"the vectors carry neighbourhood signal: a gene's 10 nearest genes share a gene-path with it "
                f"{diag.neighbour_path_overlap:.0%} of the time, random genes {diag.random_path_overlap:.0%}"
            )
        else:
            why = "; ".join(w for w in diag.warnings if "collapsed" in w or "neighbourhood" in w)
            print(f"NOTE: the vectors carry no neighbourhood signal ({why}); the list below is noise\n")
    neighbours = kv.most_similar(gene, topn=args.top)
    table = pd.DataFrame(neighbours, columns=["gene", "cosine"])
    table["biomarker"] = table["gene"].isin(biomarkers["gene"])

    # cluster the query and its neighbours by cosine distance of their vectors
    names = [gene, *table["gene"]]
    vectors = np.stack([kv[g] for g in names])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    k = min(args.clusters, len(names))
    labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average").fit_predict(vectors)
    table["cluster"] = labels[1:]

    print(f"nearest neighbours of {gene} (cluster {labels[0]}):")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
