"""Tiny SYNTHETIC G2Vec inputs (seeded) for fast tests: a cohort with a network, and gene-paths."""

from __future__ import annotations

import itertools

import numpy as np


def tiny_cohort(seed: int = 0):
    """SYNTHETIC: 32 patients (16 good, 16 poor) × 24 genes in 4 co-expressed modules of 6.

    Each module is a chain plus two chords on the network; in the poor group two
    modules lose their co-expression, so the groups' gene-paths differ.
    """
    import anndata as ad
    import networkx as nx
    import pandas as pd

    rng = np.random.default_rng(seed)
    n, size, n_modules = 32, 6, 4
    y = np.repeat([0, 1], n // 2)
    module = np.repeat(np.arange(n_modules), size)
    x = rng.normal(size=(n, n_modules))[:, module] + 0.4 * rng.normal(size=(n, n_modules * size))
    broken = np.isin(module, [2, 3])
    x[np.ix_(y == 1, broken)] = rng.normal(size=(int((y == 1).sum()), int(broken.sum())))
    genes = [f"G{i:02d}" for i in range(n_modules * size)]
    graph = nx.Graph()
    for m in range(n_modules):
        members = genes[m * size : (m + 1) * size]
        graph.add_edges_from(itertools.pairwise(members))
        graph.add_edges_from([(members[0], members[3]), (members[1], members[4])])
    graph.add_edges_from([(genes[5], genes[6]), (genes[17], genes[18])])
    adata = ad.AnnData(x.astype(np.float32))
    adata.var_names = genes
    adata.obs_names = [f"P{i:02d}" for i in range(n)]
    adata.obs["prognosis"] = pd.Categorical(np.where(y == 1, "poor", "good"))
    return adata, graph


def tiny_paths(seed: int = 0):
    """SYNTHETIC labelled gene-paths: 12 genes, 64 self-avoiding paths of 2–5 genes (G11 in none)."""
    from omicsdl.g2vec import GenePaths

    rng = np.random.default_rng(seed)
    n_paths, max_length = 64, 5
    paths = np.full((n_paths, max_length), -1, dtype=np.int32)
    lengths = rng.integers(2, max_length + 1, size=n_paths)
    for i, k in enumerate(lengths):
        paths[i, :k] = rng.choice(11, size=k, replace=False)
    labels = (rng.random(n_paths) < 0.5).astype(np.int8)
    return GenePaths([f"G{i}" for i in range(12)], paths, lengths, labels)


def tiny_survival_cohort(seed: int = 0):
    """SYNTHETIC: :func:`tiny_cohort` with overall survival matching its labels (3-year rule).

    Poor patients died between 100 and 1000 days, good ones were followed for
    1200–3000 days (a third of them died then).
    """
    adata, graph = tiny_cohort(seed)
    rng = np.random.default_rng(seed + 1)
    poor = (adata.obs["prognosis"] == "poor").to_numpy()
    days = np.where(poor, rng.uniform(100, 1000, poor.shape[0]), rng.uniform(1200, 3000, poor.shape[0]))
    adata.obs["os_days"] = days.round()
    adata.obs["os_event"] = np.where(poor, 1, (rng.random(poor.shape[0]) < 0.33).astype(int))
    return adata, graph


def write_authors_files(folder, seed: int = 0):
    """The tiny cohort in the authors' own file formats (github mathcom/G2Vec example files).

    ``ex_EXPRESSION.txt`` (genes × patients under a ``PATIENT`` header),
    ``ex_CLINICAL.txt`` (``PATIENT_BARCODE LABEL``, 0 = good, 1 = poor) and
    ``ex_NETWORK.txt`` (``src dest``, each edge listed once), all tab-separated.
    """
    adata, graph = tiny_cohort(seed)
    patients = list(adata.obs_names)
    lines = ["PATIENT\t" + "\t".join(patients)]
    x = np.asarray(adata.X)
    lines += [g + "\t" + "\t".join(f"{v:.6f}" for v in x[:, j]) for j, g in enumerate(adata.var_names)]
    (folder / "ex_EXPRESSION.txt").write_text("\n".join(lines) + "\n")
    labels = (adata.obs["prognosis"] == "poor").astype(int)
    rows = ["PATIENT_BARCODE\tLABEL", *(f"{p}\t{v}" for p, v in zip(patients, labels, strict=True))]
    (folder / "ex_CLINICAL.txt").write_text("\n".join(rows) + "\n")
    edges = ["src\tdest", *(f"{a}\t{b}" for a, b in graph.edges())]
    (folder / "ex_NETWORK.txt").write_text("\n".join(edges) + "\n")
    return folder / "ex_EXPRESSION.txt", folder / "ex_CLINICAL.txt", folder / "ex_NETWORK.txt"
