"""G2Vec on the widest real expression available offline, on the real networks.

Cohorts
- TCGA-LIHC: the embedded demo mRNA (353 named genes, log2 RSEM+1) joined, per patient,
  with the 189 genes of `tcga_lihc/tables/diffAREGeneexprClin_onlyTumor.txt` (log2 FPKM;
  aliquot barcodes cut to the 12-character patient); labels: 3-year rule on the demo survival.
- HCC150: `hcc_unnamed_cohort/hcc150_1000genes_os.csv.gz` (1,000 genes, log2), labels from
  `OStime`/`OS` with the same 3-year rule.

Networks: STRING (score > 0.9), HumanNet v1 top 10 %, Cheng interactome (Entrez ids; no
Entrez→symbol map is available offline, so it matches no symbol: reported, not run).
Gene sets: Hallmark, GO BP 2023, Reactome.

Run: PYTHONPATH=$PWD python examples/g2vec_real_data.py --shared ../shared/data --out runs/g2vec_real
Writes one `omicsdl g2vec run`-style folder per cohort × network (`run.write`; read back with
`od.g2vec.G2VecRun.read`) and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

import omicsdl as od
from omicsdl._core._errors import InputError


def tcga_joined(shared: Path):
    import anndata as ad

    demo, _ = od.datasets.g2vec_demo()
    table = pd.read_csv(shared / "tcga_lihc" / "tables" / "diffAREGeneexprClin_onlyTumor.txt", sep="\t")
    table.index = table["fullid"].str.slice(0, 12)
    table = table[~table.index.duplicated()]
    extra = table.iloc[:, 11:].astype(float)
    extra = extra.loc[:, ~extra.columns.isin(demo.var_names)]
    patients = demo.obs_names.intersection(extra.index)
    x = np.hstack([np.asarray(demo[patients].X), extra.loc[patients].to_numpy()])
    adata = ad.AnnData(x.astype(np.float32), obs=demo.obs.loc[patients].copy())
    adata.var_names = [*demo.var_names, *extra.columns]
    return adata


def hcc150(shared: Path):
    adata = od.g2vec.read_expression(
        shared / "hcc_unnamed_cohort" / "hcc150_1000genes_os.csv.gz", duration_key="OStime", event_key="OS"
    )
    adata.obs["prognosis"] = od.survival.prognosis_labels(adata.obs, duration_key="OStime", event_key="OS")
    return adata


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("runs/g2vec_real"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-repeats", type=int, default=3)
    args = parser.parse_args()

    gene_sets = {
        "Hallmark": od.enrich.read_gmt(args.shared / "genesets" / "h.all.v7.0.symbols.gmt"),
        "GO_BP_2023": od.enrich.read_gmt(args.shared / "genesets" / "GO_Biological_Process_2023.gmt"),
        "Reactome": od.enrich.read_gmt(args.shared / "genesets" / "ReactomePathways_2024-09-18.gmt"),
    }
    nets = args.shared / "networks"
    # directed: the reference G2Vec walks rows as listed, as the authors' code does
    networks = {
        "STRING": od.io.read_network(nets / "string_v_unknown_score900_symbols.csv", directed=True),
        "HumanNet": od.io.read_network(nets / "humannet_v1_top10pct_symbols.tsv", directed=True),
        "Cheng": od.io.read_network(nets / "cheng_human_interactome_entrez.tsv.gz", directed=True),
    }
    cohorts = {
        "TCGA-LIHC (demo mRNA + 189-gene table)": (tcga_joined(args.shared), ("os_days", "os_event")),
        "HCC150": (hcc150(args.shared), ("OStime", "OS")),
    }
    lines = []
    for cname, (adata, (duration_key, event_key)) in cohorts.items():
        counts = adata.obs["prognosis"].value_counts().to_dict()
        lines.append(f"\n### {cname}: {adata.n_obs} patients × {adata.n_vars} genes; labels {counts}\n")
        for nname, net in networks.items():
            rep = net.graph["read_report"]
            head = (
                f"- **{nname}** ({rep['n_nodes']:,} genes, {rep['n_edges']:,} edges; "
                f"{rep['n_corrupt']} corrupt rows skipped)"
            )
            try:
                run = od.g2vec.run_g2vec(
                    adata,
                    net,
                    gene_sets=gene_sets,
                    duration_key=duration_key,
                    event_key=event_key,
                    n_splits=5,
                    n_repeats=args.n_repeats,
                    rng=args.seed,
                )
            except InputError as err:
                lines.append(f"{head}: not run — {err.problem}")
                continue
            out = args.out / f"{cname.split()[0]}_{nname}"
            run.write(out)
            s = run.summary
            lines.append(
                f"{head}: {s['match']['n_genes']} genes, {s['match']['n_edges']} edges left after matching "
                f"({s['match']['n_expression_genes_lost']} expression genes lost); edges |r|>0.5 "
                f"good/poor {s['edges_above_threshold']['good']}/{s['edges_above_threshold']['poor']}; "
                f"paths good/poor {s['n_paths']['good']}/{s['n_paths']['poor']}; "
                f"{s['n_biomarkers']} biomarkers, {s['n_modules']} modules"
            )
            ev = run.evaluation["summary"]
            lines.append("")
            lines.append("  | genes | n | accuracy | AUC |")
            lines.append("  |---|---|---|---|")
            for key in (k for k in ("g2vec", "top_t", "cox", "network", "random", "all_genes") if k in ev):
                e = ev[key]
                lines.append(
                    f"  | {key} | {e['n_genes_mean']:.0f} "
                    f"| {e['accuracy_mean']:.3f} ± {e['accuracy_sd']:.3f} "
                    f"| {e['auc_mean']:.3f} ± {e['auc_sd']:.3f} |"
                )
            lines.append("")
            enr = run.enrichment.sort_values("p").groupby("module", sort=False).head(1)
            for _, row in (
                run.modules.groupby("module", sort=False).size().rename("n").reset_index().iterrows()
            ):
                top = enr[enr["module"] == row["module"]]
                term = (
                    f"{top['term'].iloc[0]} ({top['collection'].iloc[0]}, p={top['p'].iloc[0]:.2g}, "
                    f"FDR={top['fdr'].iloc[0]:.2g})"
                    if len(top)
                    else "no term tested"
                )
                genes = ", ".join(run.modules.loc[run.modules["module"] == row["module"], "gene"].head(8))
                lines.append(f"  - {row['module']} ({row['n']} genes: {genes}): {term}")
    text = "\n".join(lines)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
