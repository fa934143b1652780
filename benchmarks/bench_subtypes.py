"""Benchmark: survival models at full width (SYNTHETIC) and the default benchmark on the real demo.

Run: ``PYTHONPATH=$PWD python benchmarks/bench_subtypes.py [--quick] [--skip-demo] [--skip-evaluate]``;
writes the ``subtypes`` section of reports/benchmarks.md. Every figure has its
peak memory (resident-set growth sampled every 5 ms) and the 1-minute load
average at its start and end (this machine is shared; ratios are the robust figures).

* **Fused vs un-fused Adam** — the same autoencoder (500-100-500) fitted on a
  SYNTHETIC 360 × 20,000 matrix with torch's fused Adam step and with the
  per-parameter loop, in the same run: the speed-up is the ratio.
* **One autoencoder fit at full width** — a SYNTHETIC cohort of 360 patients ×
  (58,000 STAR genes, 20,000 of them protein-coding + 1,881 miRNAs + 21,000
  gene-level methylation values), labelled SYNTHETIC, through the default
  preprocessing (protein-coding genes, the 5,000 most variable features per
  omic, fitted on the training patients) and the published pipeline's
  autoencoder (target < 2 min, < 3 GB); the same without feature selection as the baseline.
* **`subtypes evaluate` at full width** — 5 folds × 1 repeat, default models,
  on the same SYNTHETIC cohort (target < 15 min).
* **The default benchmark on the real embedded TCGA-LIHC cohort** — 5 × 5
  folds, every model, 20 permutations, 2 workers (target < 15 min); its model
  table is printed too.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import measure, table, write_section


def _num(x: float | None, spec: str = ".3f") -> str:
    """A number for the table, or "n/a" when it was not computed."""
    return "n/a" if x is None or x != x else format(x, spec)


def _load() -> float:
    return os.getloadavg()[0]


def synthetic_full_width(n: int = 360, seed: int = 0) -> Any:
    """SYNTHETIC cohort at GDC width: STAR counts (58,000 genes), miRNA (1,881), methylation (21,000)."""
    import anndata as ad
    import pandas as pd

    import omicsdl as od

    rng = np.random.default_rng(seed)
    risk = rng.normal(size=n)
    patients = [f"SYNTHETIC-{i:04d}" for i in range(n)]

    def counts(p: int, signal: int) -> np.ndarray:
        mu = rng.lognormal(3, 1.5, size=p).astype(np.float32)
        x = rng.poisson(mu[None, :] * rng.lognormal(0, 0.3, size=(n, 1)).astype(np.float32)).astype(
            np.float32
        )
        x[:, :signal] *= np.exp(0.5 * risk)[:, None].astype(np.float32)
        return x

    rna = ad.AnnData(counts(58_000, 50))
    rna.var_names = [f"SYNGENE{j:05d}" for j in range(58_000)]
    rna.var["gene_type"] = np.where(np.arange(58_000) < 20_000, "protein_coding", "lncRNA")
    mirna = ad.AnnData(counts(1_881, 10))
    mirna.var_names = [f"syn-mir-{j}" for j in range(1_881)]
    beta = rng.beta(2, 5, size=(n, 21_000)).astype(np.float32)
    beta[:, :50] = np.clip(beta[:, :50] + 0.05 * risk[:, None], 0, 1)
    meth = ad.AnnData(beta)
    meth.var_names = [f"SYNMETH{j:05d}" for j in range(21_000)]
    for a in (rna, mirna, meth):
        a.obs_names = patients
    mdata = od.io.new_mudata({"rna": rna, "mirna": mirna, "methylation": meth})
    t = rng.exponential(1500 * np.exp(-0.7 * risk))
    c = rng.uniform(200, 3000, size=n)
    mdata.obs["os_days"] = np.minimum(t, c)
    mdata.obs["os_event"] = t <= c
    mdata.obs["stage"] = pd.Categorical(
        rng.choice(["I", "II", "III", "IV"], size=n, p=[0.45, 0.25, 0.25, 0.05])
    )
    mdata.uns["omicsdl"] = {
        "name": "SYNTHETIC full-width cohort (benchmarks/bench_subtypes.py)",
        "synthetic": True,
    }
    return mdata


def fused_ratio(n_epochs: int) -> tuple[float, float, float, float]:
    """Seconds and peak MiB of one autoencoder fit with fused Adam and with the per-parameter loop."""
    from omicsdl.subtypes import Autoencoder

    X = np.random.default_rng(1).standard_normal((360, 20_000), dtype=np.float32)  # SYNTHETIC
    out = []
    for fused in (True, False):
        ae = Autoencoder(max_epochs=n_epochs, fused_optimizer=fused, n_threads=1, rng=0)
        m = measure(lambda ae=ae: ae.fit(X), repeats=1)
        out += [m.seconds, m.peak_mib]
    return out[0], out[1], out[2], out[3]


def full_width_fit(mdata: Any, *, select: bool) -> tuple[float, float, int]:
    """Preprocessing + the pipeline's autoencoder on 288 training patients; (seconds, MiB, input width)."""
    from omicsdl.subtypes import DEFAULT_AUTOENCODER, Autoencoder
    from omicsdl.subtypes._omics_input import OmicsInput

    train = mdata[mdata.obs_names[:288]]
    preprocess = None if select else {"max_features": None, "gene_types": None}

    def run() -> int:
        blocks = OmicsInput(list(train.mod), preprocess).fit(train)
        Autoencoder(**DEFAULT_AUTOENCODER, n_threads=1, rng=0).fit(blocks)
        return sum(b.shape[1] for b in blocks.values())

    m = measure(run, repeats=1)
    return m.seconds, m.peak_mib, int(m.result)


def evaluate(
    mdata: Any, *, n_folds: int, n_repeats: int, n_permutations: int, workers: int
) -> tuple[float, float, Any]:
    import omicsdl as od

    m = measure(
        lambda: od.subtypes.evaluate_subtypes(
            mdata,
            n_folds=n_folds,
            n_repeats=n_repeats,
            n_permutations=n_permutations,
            n_threads=workers,
            rng=0,
        ),
        repeats=1,
    )
    return m.seconds, m.peak_mib, m.result


def _model_rows(ev: Any) -> str:
    t = ev.models.sort_values("harrell_c", ascending=False)
    rows = []
    for r in t.itertuples():
        sd = "" if r.harrell_c_sd != r.harrell_c_sd else f" ± {r.harrell_c_sd:.3f}"
        diff = "reference" if r.model == ev.recommendation.reference else (
            "" if r.diff_vs_reference != r.diff_vs_reference
            else f"{r.diff_vs_reference:+.3f} ({r.diff_ci_low:+.3f} to {r.diff_ci_high:+.3f})"
        )  # fmt: skip
        rows.append(
            [r.model, f"{r.harrell_c:.3f}{sd}", f"{r.uno_c:.3f}", f"{r.auc_1y:.3f}", f"{r.auc_3y:.3f}",
             f"{r.auc_5y:.3f}", f"{r.ibs:.3f}", diff, f"{r.seconds_per_fold:.1f}", r.n_failed_folds]
        )  # fmt: skip
    header = ["model", "Harrell C (sd over repeats)", "Uno C", "AUC 1 y", "AUC 3 y", "AUC 5 y", "IBS",
              "diff. vs best baseline (95% CI)", "s / fold", "folds w/o subtypes"]  # fmt: skip
    return table(header, rows)


def _top_feature_rows(ev: Any, n: int = 5) -> str:
    """The recommended model's top risk features per omic (fitted on all patients) and their CV stability."""
    top = ev.top_features
    if top is None or top.empty:
        return "\n\nNo top risk features (the recommended model has no omics attributions)."
    stab = ev.feature_stability
    model = str(top["model"].iloc[0])
    freq = {}
    if stab is not None and not stab.empty:
        freq = stab[stab["model"] == model].set_index(["omic", "feature"])["fraction_of_fits"].to_dict()
    rows = [
        [r.omic, int(r.rank), r.feature, r.direction, f"{r.importance:.3g}",
         f"{100 * freq.get((r.omic, r.feature), 0.0):.0f}%"]
        for r in top[top["rank"] <= n].itertuples()
    ]  # fmt: skip
    header = ["omic", "rank", "feature", "effect on risk", "importance", "among top 20 in CV fits"]
    return f"\n\nTop risk features of {model} fitted on all patients:\n\n" + table(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="1 epoch for the fused/un-fused ratio; 5 permutations"
    )
    parser.add_argument("--skip-demo", action="store_true", help="skip the 5 × 5 benchmark on the real demo")
    parser.add_argument("--skip-evaluate", action="store_true", help="skip `subtypes evaluate` at full width")
    parser.add_argument("--out", type=Path, default=None, help="write the demo evaluation folder here")
    parser.add_argument("--workers", type=int, default=2, help="models fitted side by side (default 2)")
    args = parser.parse_args()
    wall0 = time.perf_counter()
    rows: list[list[Any]] = []
    notes: list[str] = []

    skipped = [
        (args.skip_demo, "the default benchmark on the real demo (--skip-demo)"),
        (args.skip_evaluate, "`subtypes evaluate` at full width (--skip-evaluate)"),
        (args.quick, "full settings (--quick: 1 epoch for the fused ratio, 5 permutations)"),
    ]

    def flush(final: bool = False) -> None:
        """Write what is measured so far (a bounded run that is stopped keeps its figures)."""
        body = (
            table(["what", "time", "peak memory", "ratio / note", "load (1-min avg)"], rows)
            + "\n\n"
            + "\n\n".join(notes)
            + f"\n\nEvery model is fitted on one thread and {args.workers} models run side by side, so the "
            "numbers do not depend on the thread count. Load: the 1-minute load average on this 2-core machine "
            "at the start and end of each step (other engineers' jobs were running; times under load are "
            f"pessimistic). {'Total' if final else 'Partial run so far:'} wall time "
            f"{time.perf_counter() - wall0:.0f} s. SYNTHETIC = simulated matrices made in this script."
            + "".join(f" Not run: {what}." for skip, what in skipped if skip)
        )
        path = write_section("subtypes", "Survival models (issues 14 and 17)", body)
        if final:
            print(body)
            print(f"written to {path}")

    l0 = _load()
    f_s, f_mib, u_s, u_mib = fused_ratio(1 if args.quick else 3)
    rows.append(["autoencoder fit, fused Adam (SYNTHETIC 360 × 20,000)", f"{f_s:.1f} s", f"{f_mib:.0f} MiB",
                 f"{u_s / f_s:.2f}× faster than the per-parameter Adam loop ({u_s:.1f} s, {u_mib:.0f} MiB)",
                 f"{l0:.1f} → {_load():.1f}"])  # fmt: skip
    flush()

    if not args.skip_demo:
        import omicsdl as od

        l0 = _load()
        secs, mib, ev = evaluate(od.datasets.tcga_lihc_demo(), n_folds=5, n_repeats=5,
                                 n_permutations=5 if args.quick else 20, workers=args.workers)  # fmt: skip
        rows.append(["default benchmark, real TCGA-LIHC demo (360 × 1,095), 5 × 5 folds, every model",
                     f"{secs:.0f} s", f"{mib:.0f} MiB", f"target < 900 s; {args.workers} workers",
                     f"{l0:.1f} → {_load():.1f}"])  # fmt: skip
        rec = ev.recommendation
        perm = ev.permutation
        notes.append(
            "Real TCGA-LIHC demo, seed 0, every model on the same 5 × 5 folds:\n\n"
            + _model_rows(ev)
            + f"\n\nRecommended: {rec.model}. {rec.statement} Held-out separation of the published pipeline's "
            f"subtypes: permutation p = {_num(perm.p_value, '.3g')} ({perm.n_permutations} permutations; "
            f"{_num(None if perm.no_subtypes_fraction is None else 100 * perm.no_subtypes_fraction, '.0f')}% "
            "of permuted folds formed no subtypes)." + _top_feature_rows(ev)
        )
        if args.out is not None:
            ev.write(args.out)
        flush()

    l0 = _load()
    mdata = synthetic_full_width()
    s_sel, mib_sel, width_sel = full_width_fit(mdata, select=True)
    l1 = _load()
    s_all, mib_all, width_all = full_width_fit(mdata, select=False)
    rows.append([f"preprocessing + autoencoder, SYNTHETIC 288 × 80,881 → {width_sel:,} features (default selection)",
                 f"{s_sel:.0f} s", f"{mib_sel:.0f} MiB",
                 f"target < 120 s, < 3 GB; {s_all / s_sel:.1f}× faster than without selection "
                 f"({width_all:,} features: {s_all:.0f} s, {mib_all:.0f} MiB)", f"{l0:.1f} → {l1:.1f} → {_load():.1f}"])  # fmt: skip
    flush()

    if not args.skip_evaluate:
        l0 = _load()
        secs, mib, ev = evaluate(mdata, n_folds=5, n_repeats=1, n_permutations=5 if args.quick else 20,
                                 workers=args.workers)  # fmt: skip
        rows.append(["`subtypes evaluate`, SYNTHETIC full width, 5 folds × 1 repeat, every model", f"{secs:.0f} s",
                     f"{mib:.0f} MiB", f"target < 900 s; {ev.permutation.n_permutations} permutations; "
                     f"best {ev.recommendation.model} C = {_num(ev.recommendation.cindex)}", f"{l0:.1f} → {_load():.1f}"])  # fmt: skip
        flush()
    del mdata

    flush(final=True)


if __name__ == "__main__":
    main()
