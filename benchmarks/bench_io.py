"""Benchmarks of GDC input: miRNA files (real, replicated) and full-width ingest (SYNTHETIC).

Part ``mirna``: the 78 REAL GDC miRNA files of ../shared/data/tcga_lihc/gdc_mirna,
REPLICATED to the 425 files of the TCGA-LIHC manifest by copying them (file i of
the metadata gets the bytes of real file i mod 78), read with
``omicsdl.io.read_gdc_mirna``; baseline in the same run: ``pandas.read_csv`` per
file, then ``pandas.concat``.

Part ``ingest``: ``omicsdl ingest`` of a SYNTHETIC GDC project in the exact GDC
formats (``omicsdl.datasets.write_synthetic_gdc``): 366 patients × STAR - Counts
(60,660 genes) + SeSAMe level-3 betas (485,577 probes, averaged per gene with a
SYNTHETIC probe → gene map of 21,000 genes) + miRNA (1,881 real miRBase ids) +
BCR clinical XML, plus 2 normals and 1 duplicate aliquot per omic (dropped at
ingest). Baseline in the same run: a plain pandas-per-file loop (``read_csv`` of
every file, ``concat``, ``groupby`` mean per gene, one sample per patient,
clinical join, uncompressed ``.h5mu``). Each run is a separate process; its
peak RSS comes from ``wait4``. Growth: half the patients (183, the same files),
half the features (30,330 genes + 242,788 probes), and probe-level methylation
(no map). The two cohorts are checked equal (float32 against float64, 1e-6).

Run: python benchmarks/bench_io.py [--only mirna|ingest] [--data DIR]
(``--data`` keeps the generated files there for a re-run; 8 GB of disk).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import REPO, SHARED, measure, table, write_section

N_FILES = 425
ROUNDS = 3
FULL = {"n_genes": 60_660, "n_probes": 485_577}
HALF = {"n_genes": 30_330, "n_probes": 242_788}
N_PATIENTS = 366
MAP_GENES = 21_000


# -- part mirna ----------------------------------------------------------------------------------


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


def bench_mirna() -> None:
    from omicsdl.io import read_gdc_mirna

    def ours(f: Path, m: Path):
        return read_gdc_mirna(f, metadata=m, dtype="float64")

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_io_") as tmp_name:
        tmp = Path(tmp_name)
        sizes = [106, 212, N_FILES]
        folders = {n: build_folder(tmp, n) for n in sizes}
        ours(*folders[sizes[0]])  # warm imports
        results, memory = {}, {}
        for n in sizes:
            folder, meta = folders[n]
            results[n] = measure(lambda f=folder, m=meta: ours(f, m), repeats=3)
            memory[n] = measure(
                lambda f=folder, m=meta: ours(f, m), repeats=1, trace_python_memory=True
            ).peak_mib
        folder, meta = folders[N_FILES]
        base = measure(lambda: naive(folder, meta), repeats=2)
        ratios = []
        for _ in range(ROUNDS):  # alternate, so that load changes hit both sides of each ratio alike
            t_naive = measure(lambda: naive(folder, meta), repeats=1).seconds
            t_ours = measure(lambda: ours(folder, meta), repeats=1).seconds
            ratios.append(t_naive / t_ours)
        base_memory = measure(lambda: naive(folder, meta), repeats=1, trace_python_memory=True).peak_mib
        adata = results[N_FILES].result
        rpm, counts = base.result
        np.testing.assert_array_equal(rpm.loc[adata.obs_names, adata.var_names].to_numpy(), adata.X)
        np.testing.assert_array_equal(
            counts.loc[adata.obs_names, adata.var_names].to_numpy(), adata.layers["counts"]
        )
        out_mib = (adata.X.nbytes + adata.layers["counts"].nbytes) / 2**20
        speedup = base.seconds / results[N_FILES].seconds
        rows.append(
            [
                f"naive read_csv + concat, {N_FILES} files",
                f"{base.seconds:.2f}",
                "1.0×",
                f"{base_memory:.0f}",
                f"{out_mib:.1f}",
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
                ]
            )
    body = f"""
Reading GDC miRNA quantification files (1,881 miRNAs each) into one aliquots × miRNAs matrix.
**Data: the 78 real TCGA-LIHC files, replicated by copying to the 425 files of the
LIHC manifest**, in the GDC client layout. Baseline: `pandas.read_csv` per file, then
`pandas.concat`, in the same run; both outputs are checked equal (read as float64 here).
Best of 3 (ours) / 2 (baseline) runs; peak memory is tracemalloc's peak in a separate call.

{table(["reader", "seconds", "speed-up", "peak MiB", "output MiB"], rows)}

**Speed-up at {N_FILES} files: {speedup:.1f}×** (best times); alternating rounds gave
{", ".join(f"{r:.1f}×" for r in ratios)} (median {float(np.median(ratios)):.1f}×).
Load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} shared cores.
"""
    write_section("io", "I/O: reading GDC miRNA files (real files, replicated)", body)
    print(body)


# -- part ingest (SYNTHETIC, full width) ---------------------------------------------------------


def make_project(folder: Path, *, n_patients: int, n_genes: int, n_probes: int) -> Path:
    """Write (once) a SYNTHETIC project: files/, records.json, probe_map.tsv."""
    from omicsdl.datasets import write_probe_map, write_synthetic_gdc

    done = folder / "records.json"
    if done.is_file():
        return folder
    network = pd.read_csv(SHARED / "networks" / "string_v_unknown_score900_symbols.csv")
    genes = sorted(set(network["protein1"]) | set(network["protein2"]))
    real = next((REPO / "tests" / "_data" / "io" / "gdc_mirna").glob("*/*.mirnas.quantification.txt"))
    mirnas = [line.split("\t", 1)[0] for line in real.read_text().splitlines()[1:] if line]
    synthetic = write_synthetic_gdc(
        folder / "files",
        n_patients=n_patients,
        n_genes=n_genes,
        n_probes=n_probes,
        n_mirnas=len(mirnas),
        gene_symbols=genes,
        mirna_ids=mirnas,
        rng=0,
    )
    probes = [
        line.split("\t", 1)[0]
        for line in synthetic.path(synthetic.of_type("methylation")[0]).read_text().splitlines()
    ]
    write_probe_map(folder / "probe_map.tsv", probes, genes[:MAP_GENES], rng=0)
    done.write_text(json.dumps(synthetic.records))
    return folder


def _subset(project: Path, n_patients: int, out: Path) -> Path:
    """Records of the first ``n_patients`` patients only (their files are not copied)."""
    records = json.loads((project / "records.json").read_text())
    patients = sorted({r["cases"][0]["submitter_id"] for r in records})[:n_patients]
    keep = [r for r in records if r["cases"][0]["submitter_id"] in set(patients)]
    out.write_text(json.dumps(keep))
    return out


def _file_list(project: Path, records: Path, kind: str, out: Path) -> Path:
    rows = [r for r in json.loads(records.read_text()) if r["omicsdl_data_type"] == kind]
    lines = ["id\tfilename\tmd5\tsize\tstate"] + [
        f"{r['file_id']}\t{r['file_name']}\t{r['md5sum']}\t{r['file_size']}\treleased" for r in rows
    ]
    out.write_text("\n".join(lines) + "\n")
    return out


def _run(cmd: list[str]) -> tuple[float, float, float]:
    """Run ``cmd``; return (wall s, CPU s, peak RSS MiB) of that process alone."""
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="2")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _ours(project: Path, records: Path, out: Path, *, probe_map: bool) -> list[str]:
    files = project / "files"
    cmd = [
        sys.executable,
        "-m",
        "omicsdl",
        "-q",
        "ingest",
        "--clinical",
        str(files),
        "--project",
        "TCGA-LIHC",
    ]
    for kind in ("rna", "mirna", "methylation"):
        cmd += [f"--{kind}", str(files), f"--{kind}-metadata", str(records)]
        cmd += ["--manifest", f"{kind}={_file_list(project, records, kind, out.with_suffix(f'.{kind}.txt'))}"]
    if probe_map:
        cmd += ["--probe-map", str(project / "probe_map.tsv")]
    return [*cmd, "--out", str(out)]


def baseline(project: Path, records_path: Path, out: Path, *, probe_map: bool) -> None:
    """The plain pandas-per-file loop a user writes first (run in its own process).

    Each file is read with ``pandas.read_csv``; its column goes into a list after its row
    ids are checked against the first file's (a user would align or assert); methylation
    files are averaged per gene file by file (``join`` + ``groupby``), so memory stays near
    the output, as a careful user would do at full width.
    """
    import anndata as ad
    import mudata as md

    from omicsdl.io import read_tcga_clinical_xml

    records = json.loads(records_path.read_text())
    files = project / "files"

    def chosen(kind: str) -> tuple[list[str], list[Path]]:
        seen: dict[str, Path] = {}
        for r in records:
            barcode = r["associated_entities"][0]["entity_submitter_id"]
            if r["omicsdl_data_type"] == kind and barcode[13:15] == "01" and barcode[:12] not in seen:
                seen[barcode[:12]] = files / r["file_id"] / r["file_name"]
        names = sorted(seen)
        return names, [seen[n] for n in names]

    def stack(paths: list[Path], read, columns: list[str]) -> tuple[pd.Index, list[np.ndarray]]:
        first = None
        out: list[list[np.ndarray]] = [[] for _ in columns]
        for path in paths:
            frame = read(path)
            if first is None:
                first = frame.index
            elif not frame.index.equals(first):
                frame = frame.reindex(first)
            for k, column in enumerate(columns):
                out[k].append(frame[column].to_numpy())
        return first, [np.vstack(o) for o in out]

    clinical = read_tcga_clinical_xml(
        [files / r["file_id"] / r["file_name"] for r in records if r["omicsdl_data_type"] == "clinical"]
    )
    mods = {}
    names, paths = chosen("rna")

    def read_star(path: Path) -> pd.DataFrame:
        frame = pd.read_csv(path, sep="\t", comment="#", index_col=0)
        return frame[~frame.index.str.startswith("N_")]

    genes, (tpm, counts) = stack(paths, read_star, ["tpm_unstranded", "unstranded"])
    symbols = read_star(paths[0])["gene_name"].to_numpy()
    tpm = pd.DataFrame(tpm, index=names, columns=genes).T.groupby(symbols).sum().T
    counts = pd.DataFrame(counts, index=names, columns=genes).T.groupby(symbols).sum().T
    mods["rna"] = ad.AnnData(tpm, layers={"counts": counts.loc[:, tpm.columns].to_numpy()})
    names, paths = chosen("mirna")
    mirnas, (rpm, counts) = stack(
        paths,
        lambda p: pd.read_csv(p, sep="\t", index_col=0),
        ["reads_per_million_miRNA_mapped", "read_count"],
    )
    mods["mirna"] = ad.AnnData(pd.DataFrame(rpm, index=names, columns=mirnas), layers={"counts": counts})
    names, paths = chosen("methylation")
    mapping = pd.read_csv(project / "probe_map.tsv", sep="\t").set_index("probe_id") if probe_map else None

    def read_sesame(path: Path) -> pd.DataFrame:
        frame = pd.read_csv(path, sep="\t", header=None, index_col=0, names=["probe", "beta"])
        if mapping is not None:
            frame = frame.join(mapping, how="inner").groupby("gene")[["beta"]].mean()
        return frame

    features, (betas,) = stack(paths, read_sesame, ["beta"])
    mods["methylation"] = ad.AnnData(pd.DataFrame(betas, index=names, columns=features))
    for a in mods.values():
        a.obs_names = a.obs_names.astype(str)
        a.var_names = a.var_names.astype(str)
    mdata = md.MuData(mods)
    for column in ("os_days", "os_event"):
        mdata.obs[column] = clinical[column].reindex(mdata.obs_names).to_numpy()
    mdata.write_h5mu(out)


def _check_equal(ours: Path, base: Path) -> None:
    import mudata as md

    import omicsdl.io  # noqa: F401 - sets MuData's options (no pull on update)

    a, b = md.read_h5mu(ours), md.read_h5mu(base)
    for name in ("rna", "mirna", "methylation"):
        x, y = a[name], b[name]
        genes = x.var_names.intersection(y.var_names)[:2000]
        patients = x.obs_names
        assert len(genes) >= min(2000, y.n_vars) * 0.99, name
        np.testing.assert_allclose(
            x[patients, genes].X, y[patients, genes].X, rtol=1e-6, atol=1e-9, equal_nan=True, err_msg=name
        )


def bench_ingest(data: Path) -> None:
    load_before = os.getloadavg()
    started = time.perf_counter()
    full = make_project(data / "full", n_patients=N_PATIENTS, **FULL)
    half = make_project(data / "half", n_patients=N_PATIENTS, **HALF)
    generated = time.perf_counter() - started
    out = data / "runs"
    out.mkdir(exist_ok=True)
    rows = []
    records = {
        "full": full / "records.json",
        "half_patients": _subset(full, N_PATIENTS // 2, out / "records.half_patients.json"),
        "half": half / "records.json",
    }

    def width(w: dict[str, int]) -> str:
        return f"{w['n_genes']:,} genes, {w['n_probes']:,} probes → {MAP_GENES:,} genes"

    n = N_PATIENTS
    cases = [
        (f"{n} patients, full width ({width(FULL)})", full, records["full"], True),
        (f"{n // 2} patients, full width", full, records["half_patients"], True),
        (f"{n} patients, half width ({width(HALF)})", half, records["half"], True),
        (f"{n} patients, full width, probe-level methylation (no map)", full, records["full"], False),
    ]
    results = {}
    for label, project, recs, with_map in cases:
        target = out / f"ours.{len(results)}.h5mu"
        wall, cpu, peak = _run(_ours(project, recs, target, probe_map=with_map))
        results[label] = (wall, cpu, peak, target)
        rows.append(
            [
                f"omicsdl ingest: {label}",
                f"{wall:.1f}",
                f"{cpu:.1f}",
                f"{peak:.0f}",
                f"{target.stat().st_size / 2**20:.0f}",
            ]
        )
    base_out = out / "baseline.h5mu"
    here = Path(__file__).resolve()
    base_cmd = [sys.executable, str(here), "--_baseline", str(full), str(records["full"]), str(base_out)]
    b_wall, b_cpu, b_peak = _run(base_cmd)
    rows.insert(
        0,
        [
            f"baseline pandas-per-file loop: {cases[0][0]}",
            f"{b_wall:.1f}",
            f"{b_cpu:.1f}",
            f"{b_peak:.0f}",
            f"{base_out.stat().st_size / 2**20:.0f}",
        ],
    )
    _check_equal(results[cases[0][0]][3], base_out)
    info_wall, info_cpu, info_peak = _run(
        [sys.executable, "-m", "omicsdl", "-q", "info", str(results[cases[0][0]][3])]
    )
    rows.append(
        [
            "omicsdl info (backed) of the full-width cohort",
            f"{info_wall:.1f}",
            f"{info_cpu:.1f}",
            f"{info_peak:.0f}",
            "",
        ]
    )
    wall, cpu, peak, _ = results[cases[0][0]]
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    load_after = os.getloadavg()
    body = f"""
`omicsdl ingest` of a **SYNTHETIC** GDC project in the exact GDC formats
(`omicsdl.datasets.write_synthetic_gdc`; {N_PATIENTS} patients, each with STAR - Counts, SeSAMe
betas, miRNA quantification and BCR XML, plus 2 normal samples and 1 duplicate aliquot per
omic that ingest drops; the probe → gene map is SYNTHETIC too). Every row is a separate
process (peak RSS from `wait4`); the baseline is a plain pandas-per-file loop in the same run
(`read_csv` per file, its column kept after checking its ids, methylation averaged per gene file
by file with `join` + `groupby`, uncompressed `.h5mu`); the two cohorts are
checked equal on 2,000 features per omic (rtol 1e-6: ours stores float32).

{table(["run", "wall s", "CPU s", "peak RSS MiB", "file MiB"], rows)}

**Full width, {N_PATIENTS} patients: {wall:.0f} s wall ({cpu:.0f} CPU-s), {peak:.0f} MiB peak** (targets < 120 s,
< 2,048 MiB); **{b_wall / wall:.1f}× faster than the pandas loop** by wall time
({b_cpu / cpu:.1f}× by CPU time; target ≥ 3×), {b_peak / peak:.1f}× less memory.
Growth: patients 183 → 366 and features halved → full are the second and third rows against the
first. Load average (1, 5, 15 min) before: {", ".join(f"{x:.1f}" for x in load_before)}; after:
{", ".join(f"{x:.1f}" for x in load_after)} (`{uptime}`), on {os.cpu_count()} shared cores: wall
times under load are longer than on an idle machine; CPU seconds are the steadier figure.
Generating the files took {generated:.0f} s (not counted; skipped when `--data` already holds them).
"""
    write_section("io_ingest", "I/O: full-width ingest of a SYNTHETIC GDC project (issue 17)", body)
    print(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["mirna", "ingest"])
    parser.add_argument("--data", type=Path, help="folder for the generated files (kept)")
    parser.add_argument("--_baseline", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._baseline:
        project, records, out = args._baseline
        baseline(project, records, out, probe_map=True)
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if args.only in (None, "mirna"):
        bench_mirna()
    if args.only in (None, "ingest"):
        if args.data is not None:
            args.data.mkdir(parents=True, exist_ok=True)
            bench_ingest(args.data)
        else:
            with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
                bench_ingest(Path(tmp))


if __name__ == "__main__":
    main()
