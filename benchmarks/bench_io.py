"""Benchmark: reading 425 GDC miRNA quantification files (omicsdl.io.read_gdc_mirna).

Data: the 78 REAL GDC miRNA files of ../shared/data/tcga_lihc/gdc_mirna, REPLICATED
to the 425 files of the TCGA-LIHC manifest by copying them (file i of the
metadata gets the bytes of real file i mod 78) into a temporary folder in the
GDC client layout, so the real metadata.LIHC.json maps all 425 to barcodes.
File sizes and parsing work are those of the real files; values repeat.

Baseline (measured in the same run): the naive loop a user writes first —
``pandas.read_csv`` per file, then ``pandas.concat`` of the RPM and count
columns, barcodes from the same metadata JSON.

Run: PYTHONPATH=$PWD python benchmarks/bench_io.py
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import SHARED, measure, table, write_section

N_FILES = 425
ROUNDS = 3


def build_folder(tmp: Path, n_files: int) -> tuple[Path, Path]:
    lihc = SHARED / "tcga_lihc"
    records = json.loads((lihc / "metadata.LIHC.json").read_text())[:n_files]
    real = sorted((lihc / "gdc_mirna").glob("*/*.mirnas.quantification.txt"))
    folder = tmp / f"gdc_mirna_{n_files}"
    for i, record in enumerate(records):
        target = folder / record["file_id"] / record["file_name"]
        target.parent.mkdir(parents=True)
        shutil.copyfile(real[i % len(real)], target)
    meta = tmp / f"metadata_{n_files}.json"
    meta.write_text(json.dumps(records))
    return folder, meta


def naive(folder: Path, meta: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    records = json.loads(meta.read_text())
    paths = [folder / r["file_id"] / r["file_name"] for r in records]
    barcodes = [r["associated_entities"][0]["entity_submitter_id"] for r in records]
    frames = [pd.read_csv(p, sep="\t", index_col=0) for p in paths]
    rpm = pd.concat([f["reads_per_million_miRNA_mapped"] for f in frames], axis=1, keys=barcodes).T
    counts = pd.concat([f["read_count"] for f in frames], axis=1, keys=barcodes).T
    return rpm, counts


def main() -> None:
    import numpy as np

    from omicsdl.io import read_gdc_mirna

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_io_") as tmp_name:
        tmp = Path(tmp_name)
        sizes = [106, 212, N_FILES]
        folders = {n: build_folder(tmp, n) for n in sizes}
        read_gdc_mirna(*folders[sizes[0]][:1], metadata=folders[sizes[0]][1])  # warm imports
        results, memory = {}, {}
        for n in sizes:
            folder, meta = folders[n]
            results[n] = measure(lambda f=folder, m=meta: read_gdc_mirna(f, metadata=m), repeats=3)
            # memory apart, with tracemalloc (numpy and pandas buffers are traced); it slows the run
            memory[n] = measure(
                lambda f=folder, m=meta: read_gdc_mirna(f, metadata=m), repeats=1, trace_python_memory=True
            ).peak_mib
        folder, meta = folders[N_FILES]
        base = measure(lambda: naive(folder, meta), repeats=2)
        # the machine is shared: also time the two alternately, round by round, so that
        # load changes hit both sides of each ratio alike
        ratios = []
        for _ in range(ROUNDS):
            t_naive = measure(lambda: naive(folder, meta), repeats=1).seconds
            t_ours = measure(lambda: read_gdc_mirna(folder, metadata=meta), repeats=1).seconds
            ratios.append(t_naive / t_ours)
        base_memory = measure(lambda: naive(folder, meta), repeats=1, trace_python_memory=True).peak_mib
        ours = results[N_FILES]
        adata = ours.result
        rpm, counts = base.result
        # the two agree exactly
        np.testing.assert_array_equal(rpm.loc[adata.obs_names, adata.var_names].to_numpy(), adata.X)
        np.testing.assert_array_equal(
            counts.loc[adata.obs_names, adata.var_names].to_numpy(), adata.layers["counts"]
        )
        out_mib = (adata.X.nbytes + adata.layers["counts"].nbytes) / 2**20
        speedup = base.seconds / ours.seconds
        rows.append(
            [
                f"naive read_csv + concat, {N_FILES} files",
                f"{base.seconds:.2f}",
                "1.0×",
                f"{base_memory:.0f}",
                f"{out_mib:.1f}",
                f"{base_memory - out_mib:.0f}",
            ]
        )
        for n in sizes:
            m = results[n]
            out = (m.result.X.nbytes + m.result.layers["counts"].nbytes) / 2**20
            rows.append(
                [
                    f"omicsdl.io.read_gdc_mirna, {n} files",
                    f"{m.seconds:.2f}",
                    f"{base.seconds / m.seconds:.1f}×" if n == N_FILES else "",
                    f"{memory[n]:.0f}",
                    f"{out:.1f}",
                    f"{memory[n] - out:.0f}",
                ]
            )
    body = f"""
Reading GDC miRNA quantification files (`*.mirbase21.mirnas.quantification.txt`,
1,881 miRNAs each) into one aliquots × miRNAs matrix (RPM in `X`, counts in a layer).
**Data: the 78 real TCGA-LIHC files, replicated by copying to the 425 files of the
LIHC manifest** (file *i* of `metadata.LIHC.json` holds the bytes of real file *i* mod 78),
in the GDC client layout. Baseline: `pandas.read_csv` per file, then `pandas.concat`,
measured in the same run; both outputs are checked equal. Times are the best of
3 (ours) / 2 (baseline) runs; peak memory is tracemalloc's peak during one separate call
(Python, NumPy and pandas allocations).

{table(["reader", "seconds", "speed-up", "peak MiB", "output MiB", "peak − output MiB"], rows)}

**Speed-up at {N_FILES} files: {speedup:.1f}×** from the best times (target ≥ 3×);
alternating rounds naive/ours gave {", ".join(f"{r:.1f}×" for r in ratios)} (median
{float(np.median(ratios)):.1f}×). Load average at the end of the run: {os.getloadavg()[0]:.1f}
on {os.cpu_count()} shared cores, so absolute times are noisy; the ratios are the figure. How: the bodies of ~64
files (120,000 rows) are parsed by one C-engine `read_csv` call, each file's miRNA ids are checked
against the first file's, and values go straight into preallocated arrays — no
per-file DataFrame and no index alignment. Memory: the output plus one such chunk —
"peak − output" stays constant as the number of files grows (rows 106 → 425), while
the naive loop holds every per-file DataFrame until the concat.
"""
    write_section("io", "I/O: reading GDC miRNA files (issue 3)", body)
    print(body)


if __name__ == "__main__":
    main()
