"""G2Vec benchmarks on SYNTHETIC expression (labelled synthetic everywhere).

1. Gene-path generation on a synthetic 20,000-gene, 500,000-edge network:
   omicsdl's vectorised CSR walks vs a plain Python walk over networkx
   (per-step loop, random.choices) on the same thresholded graph, as walks per
   second (the baseline walks from a random sample of start genes).
2. The whole pipeline (`run_g2vec(..., evaluate=False)`: match, correlations,
   walks, supervised CBOW, L-groups, biomarkers, modules, enrichment against GO
   BP with its module null) on that cohort, for the reference variant (the
   default) and the omicsdl variant, target < 2 min.
3. Full width (issue 17): SYNTHETIC mRNA of 366 patients × 60,660 genes whose
   names include the 12,173 genes of the real STRING network
   (`networks/string_v_unknown_score900_symbols.csv`, read from
   ``OMICSDL_SHARED_DATA``), with planted co-expression modules on STRING
   neighbourhoods (half of them lose it in the poor group); the whole pipeline
   with the real STRING network, target < 2 min, at 183 and 366 patients (how it
   grows), and how many biomarkers fall in the planted broken modules.

Torch runs on ``OMICSDL_N_THREADS`` (default 1) threads. Every timing sits beside
the machine's load average (``uptime``) before and after it.

Run: PYTHONPATH=$PWD python benchmarks/bench_g2vec.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
import numpy as np

from benchmarks._harness import SHARED, measure, table, write_section


def synthetic_cohort(n_genes: int, n_edges: int, n_patients: int, seed: int = 0):
    """SYNTHETIC: gene modules driven by latent factors; some modules break down in the poor group."""
    import anndata as ad
    import pandas as pd

    rng = np.random.default_rng(seed)
    module_size = 50
    n_modules = n_genes // module_size
    module = np.arange(n_genes) // module_size
    y = np.repeat([0, 1], n_patients // 2)
    factors = rng.normal(size=(n_patients, n_modules))
    loading = rng.uniform(0.8, 1.4, size=n_genes)
    x = factors[:, module] * loading + rng.normal(size=(n_patients, n_genes))
    # a fifth of the modules lose their co-expression in the poor group
    broken = np.isin(module, rng.choice(n_modules, n_modules // 5, replace=False))
    x[np.ix_(y == 1, broken)] = rng.normal(size=(int((y == 1).sum()), int(broken.sum())))
    genes = np.array([f"SYN{i:05d}" for i in range(n_genes)])
    # edges: 60 % inside modules, 40 % random
    n_in = int(0.6 * n_edges)
    m = rng.integers(0, n_modules, size=3 * n_in)
    a = m * module_size + rng.integers(0, module_size, size=m.shape[0])
    b = m * module_size + rng.integers(0, module_size, size=m.shape[0])
    c = rng.integers(0, n_genes, size=(3 * n_edges, 2))
    src = np.concatenate([a, c[:, 0]])
    dst = np.concatenate([b, c[:, 1]])
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.unique(np.stack([lo, hi], 1)[lo != hi], axis=0)
    inside = (pairs[:, 0] // module_size) == (pairs[:, 1] // module_size)
    chosen = np.concatenate(
        [
            rng.choice(np.flatnonzero(inside), n_in, replace=False),
            rng.choice(np.flatnonzero(~inside), n_edges - n_in, replace=False),
        ]
    )
    graph = nx.Graph()
    graph.add_edges_from(zip(genes[pairs[chosen, 0]], genes[pairs[chosen, 1]], strict=True))
    adata = ad.AnnData(x.astype(np.float32))
    adata.var_names = genes
    adata.obs_names = [f"P{i:04d}" for i in range(n_patients)]
    adata.obs["prognosis"] = pd.Categorical(np.where(y == 1, "poor", "good"))
    return adata, graph


def networkx_walks(
    graph: nx.Graph, starts: list[str], n_walks: int, max_length: int, seed: int
) -> list[list[str]]:
    """Baseline: a plain Python self-avoiding weighted walk over networkx."""
    rnd = random.Random(seed)
    paths = []
    for start in starts:
        for _ in range(n_walks):
            path = [start]
            visited = {start}
            while len(path) < max_length:
                nbrs = [(v, d["weight"]) for v, d in graph[path[-1]].items() if v not in visited]
                if not nbrs:
                    break
                nxt = rnd.choices([v for v, _ in nbrs], weights=[w for _, w in nbrs])[0]
                path.append(nxt)
                visited.add(nxt)
            if len(path) >= 2:
                paths.append(path)
    return paths


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5-min {five:.1f})"


def full_width_cohort(n_patients: int, string: nx.Graph, *, n_genes: int = 60_660, seed: int = 0):
    """SYNTHETIC full-width mRNA: STRING's genes plus invented ones; planted modules on STRING neighbourhoods.

    40 modules of up to 30 genes grown from random STRING genes (breadth first); in
    every patient a module's genes follow one latent factor plus noise; in the poor
    half of the patients 20 of the modules lose that co-expression. Every other gene
    is independent noise. Returns the cohort and the genes of the broken modules.
    """
    import anndata as ad
    import pandas as pd

    rng = np.random.default_rng(seed)
    symbols = sorted(map(str, string.nodes))
    names = symbols + [f"SYNGENE{i:05d}" for i in range(n_genes - len(symbols))]
    index = {g: i for i, g in enumerate(names)}
    x = rng.normal(size=(n_patients, n_genes)).astype(np.float32)
    y = np.repeat([0, 1], [n_patients - n_patients // 2, n_patients // 2])
    taken: set[str] = set()
    modules = []
    for start in rng.permutation(symbols):
        if len(modules) == 40:
            break
        if start in taken:
            continue
        members = [m for m in nx.bfs_tree(string, start, depth_limit=2) if m not in taken][:30]
        if len(members) < 10:
            continue
        taken.update(members)
        modules.append(members)
    broken = set()
    for k, members in enumerate(modules):
        cols = [index[g] for g in members]
        factor = rng.normal(size=(n_patients, 1))
        x[:, cols] = factor + 0.5 * rng.normal(size=(n_patients, len(cols)))
        if k % 2 == 0:
            poor = y == 1
            x[np.ix_(poor, cols)] = rng.normal(size=(int(poor.sum()), len(cols)))
            broken.update(members)
    adata = ad.AnnData(x)
    adata.var_names = names
    adata.obs_names = [f"SYN{i:04d}" for i in range(n_patients)]
    adata.obs["prognosis"] = pd.Categorical(np.where(y == 1, "poor", "good"))
    return adata, broken


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 genes / 50,000 edges (smoke run)")
    args = parser.parse_args()
    n_genes, n_edges, n_patients = (2_000, 50_000, 200) if args.quick else (20_000, 500_000, 300)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    n_threads = int(os.environ.get("OMICSDL_N_THREADS", "1"))
    from omicsdl.g2vec import match_network, run_g2vec
    from omicsdl.g2vec._walks import correlation_weights, csr_adjacency, random_walks_csr
    from omicsdl.io import read_network

    t0 = time.perf_counter()
    adata, graph = synthetic_cohort(n_genes, n_edges, n_patients)
    t_make = time.perf_counter() - t0
    print(f"synthetic cohort: {adata.shape}, {graph.number_of_edges()} edges ({t_make:.1f} s)", flush=True)

    # --- 1. walks on the good-group thresholded graph
    genes, src, dst, _ = match_network(list(adata.var_names), graph)
    x = np.asarray(adata[adata.obs["prognosis"] == "good", genes].X, dtype=np.float64)
    r = np.abs(correlation_weights(x, src, dst))
    keep = r > 0.5
    indptr, indices, weights = csr_adjacency(len(genes), src[keep], dst[keep], r[keep])
    load_walks = _load()
    fast = measure(
        lambda: random_walks_csr(indptr, indices, weights, n_walks=10, max_length=80, rng=0), repeats=2
    )
    _, lengths = fast.result
    fast_rate = lengths.shape[0] / fast.seconds
    print(f"vectorised walks: {lengths.shape[0]} walks in {fast.seconds:.2f} s", flush=True)
    thresholded = nx.Graph()
    names = np.asarray(genes)
    thresholded.add_weighted_edges_from(zip(names[src[keep]], names[dst[keep]], r[keep], strict=True))
    sample = list(
        np.random.default_rng(1).choice(
            list(thresholded.nodes), size=min(300, thresholded.number_of_nodes()), replace=False
        )
    )
    slow = measure(lambda: networkx_walks(thresholded, sample, 10, 80, 0), repeats=1)
    slow_rate = 10 * len(sample) / slow.seconds
    print(f"networkx walks: {10 * len(sample)} walks in {slow.seconds:.2f} s", flush=True)
    base_len = np.mean([len(p) for p in slow.result])
    load_walks += f" → {_load()}"

    # --- 2. whole pipeline, both variants
    pipeline_rows = []
    for variant in ("reference", "omicsdl"):
        before = _load()
        cpu0 = time.process_time()
        whole = measure(
            lambda v=variant: run_g2vec(
                adata, graph, evaluate=False, rng=0, variant=v, n_threads=n_threads, n_null_draws=50
            ),
            repeats=1,
        )
        cpu = time.process_time() - cpu0
        run = whole.result
        diag = run.diagnostics
        print(f"pipeline ({variant}): {whole.seconds:.1f} s", flush=True)
        pipeline_rows.append(
            [
                variant,
                f"**{whole.seconds:.1f} s**",
                f"{cpu:.1f} s",
                f"{whole.peak_mib:.0f} MiB",
                f"{diag.n_paths['good']:,} / {diag.n_paths['poor']:,}",
                f"{diag.epochs_run} ({diag.best_epoch})",
                f"{run.summary['n_biomarkers']} / {run.summary['n_modules']}",
                f"{before} → {_load()}",
            ]
        )

    # --- 3. full width with the real STRING network
    string_path = SHARED / "networks" / "string_v_unknown_score900_symbols.csv"
    width_rows = []
    if string_path.is_file():
        read = measure(lambda: read_network(string_path, directed=True), repeats=1)
        string = read.result
        undirected = string.to_undirected()
        sizes = (120, 240) if args.quick else (183, 366)
        runs = [(n, "reference") for n in sizes] + [(sizes[-1], "omicsdl")]
        for n, variant in runs:
            cohort, broken = full_width_cohort(n, undirected, n_genes=20_000 if args.quick else 60_660)
            before = _load()
            cpu0 = time.process_time()
            m = measure(
                lambda c=cohort, v=variant: run_g2vec(
                    c, string, evaluate=False, rng=0, variant=v, n_threads=n_threads, n_null_draws=50
                ),
                repeats=1,
            )
            cpu = time.process_time() - cpu0
            run = m.result
            chosen = set(run.biomarkers["gene"])
            in_broken = len(chosen & broken)
            share = len(broken) / run.summary["match"]["n_genes"]
            print(f"full width, {n} patients, {variant}: {m.seconds:.1f} s", flush=True)
            width_rows.append(
                [
                    f"{n} × {cohort.n_vars:,}, {variant}",
                    f"**{m.seconds:.1f} s**",
                    f"{cpu:.1f} s",
                    f"{m.peak_mib:.0f} MiB",
                    f"{run.summary['match']['n_genes']:,} genes / {run.summary['match']['n_edges']:,} edges",
                    f"{in_broken} of {len(chosen)} ({in_broken / max(1, len(chosen)):.0%}; "
                    f"{share:.1%} of the genes)",
                    f"{before} → {_load()}",
                ]
            )

    speedup = fast_rate / slow_rate
    body = (
        f"""
SYNTHETIC data (labelled as such): {n_genes:,} genes in modules of 50 driven by latent factors
(a fifth of the modules lose co-expression in the poor group), {graph.number_of_edges():,} edges
(60 % inside modules), {n_patients} patients (half good, half poor). Generator: `benchmarks/bench_g2vec.py`.
Load average (1-min, 2 cores) is given before → after each measurement: the machine is shared.

Gene-path generation, good group, |r| > 0.5 ({int(keep.sum()):,} edges kept), 10 walks per gene, length ≤ 80
(load {load_walks}):

"""
        + table(
            ["method", "walks", "seconds", "walks / s", "mean genes per walk", "ratio"],
            [
                [
                    "plain Python walk over networkx (baseline; 300 sampled start genes)",
                    10 * len(sample),
                    f"{slow.seconds:.2f}",
                    f"{slow_rate:,.0f}",
                    f"{base_len:.1f}",
                    "1.0×",
                ],
                [
                    "omicsdl vectorised CSR walks (all genes)",
                    f"{lengths.shape[0]:,}",
                    f"{fast.seconds:.2f}",
                    f"{fast_rate:,.0f}",
                    f"{lengths[lengths >= 2].mean():.1f}",
                    f"**{speedup:.0f}×**",
                ],
            ],
        )
        + f"""

Whole pipeline (`od.g2vec.run_g2vec(..., evaluate=False)`: matching, per-group correlations and walks
as gene sets, supervised CBOW, K-means L-groups, scoring, modules, GO BP enrichment with a 50-draw
module null), torch on {n_threads} thread(s); target < 120 s wall on 2 cores:

"""
        + table(
            [
                "variant",
                "wall",
                "process CPU",
                "peak memory",
                "paths good / poor",
                "epochs (kept)",
                "biomarkers / modules",
                "load",
            ],
            pipeline_rows,
        )
        + """

Full-width mRNA (SYNTHETIC: 60,660 genes, 40 planted modules on STRING neighbourhoods, 20 of them
broken in the poor group) with the real STRING network (read as directed rows in
"""
        + (f"{read.seconds:.1f} s, {read.peak_mib:.0f} MiB" if width_rows else "n/a")
        + """); target < 120 s:

"""
        + (
            table(
                [
                    "patients × genes",
                    "wall",
                    "process CPU",
                    "peak memory",
                    "matched",
                    "biomarkers in broken modules",
                    "load",
                ],
                width_rows,
            )
            if width_rows
            else f"(skipped: {string_path} not found)"
        )
        + """

The cross-validated evaluation and the learning curve refit the whole selection per split; they
are not included in these wall times.
"""
    )
    if not args.quick:
        write_section("g2vec", "G2Vec (issues 5, 15, 17)", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
