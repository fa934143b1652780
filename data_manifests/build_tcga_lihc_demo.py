"""Rebuild the embedded TCGA-LIHC demo cohort from the real source files.

Sources (see ``data_manifests/tcga_lihc_matched.yaml`` and
``data_manifests/xena_lihc_clinical.yaml``): the 360-patient matched
TCGA-LIHC set of Chaudhary et al. 2018 (``shared/data/tcga_lihc/matched``) and
the UCSC Xena TCGA-LIHC clinical matrix.

Usage::

    python data_manifests/build_tcga_lihc_demo.py [--shared ../shared/data] [--out DIR] [--check]

Writes four gzip-compressed TSV files (fixed gzip mtime, so the bytes are
reproducible) and ``SHA256SUMS``. With ``--check`` it rebuilds into a temporary
folder and compares the sha256 of every file with the committed ``SHA256SUMS``;
exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "omicsdl" / "datasets" / "_data" / "tcga_lihc_demo"
DEFAULT_SHARED = REPO.parent / "shared" / "data"
FILES = ("rna.tsv.gz", "mirna.tsv.gz", "methylation.tsv.gz", "clinical.tsv.gz")


def patient_of(sample_id: str) -> str:
    """``TCGA.2V.A95S.01`` → ``TCGA-2V-A95S``."""
    return "-".join(sample_id.replace(".", "-").split("-")[:3])


def sample_of(sample_id: str) -> str:
    """``TCGA.2V.A95S.01`` → ``TCGA-2V-A95S-01``."""
    return sample_id.replace(".", "-")


def fold_stage(value: object) -> object:
    """``Stage IIIA`` → ``III``; ``[Discrepancy]`` and blanks → missing."""
    if not isinstance(value, str) or not value.startswith("Stage "):
        return np.nan
    roman = value.removeprefix("Stage ").rstrip("ABC")
    return roman if roman in {"I", "II", "III", "IV"} else np.nan


def read_omic(path: Path, sep: str) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=sep, index_col=0)
    frame.index = frame.index.str.strip()
    frame.columns = frame.columns.str.strip()
    return frame


def build(shared: Path) -> dict[str, pd.DataFrame]:
    matched = shared / "tcga_lihc" / "matched"
    mirna = read_omic(matched / "mir.tsv.gz", "\t")
    rna = read_omic(matched / "rna_first365genes.csv.gz", ",")
    meth = read_omic(matched / "meth_first365genes_chr1.csv.gz", ",")
    # pandas de-duplicates the 12 unnamed '?' genes to '?', '?.1', …: give them explicit names
    unnamed = [c for c in rna.columns if c == "?" or c.startswith("?.")]
    rna = rna.rename(columns={c: f"unnamed_gene_{i + 1:02d}" for i, c in enumerate(unnamed)})
    if not (rna.index.equals(mirna.index) and meth.index.equals(mirna.index)):
        sys.exit("the three matched omics do not list the same samples in the same order")

    survival = pd.read_csv(matched / "survival.tsv", sep="\t", index_col="Samples")
    survival = survival.loc[mirna.index]

    xena = pd.read_csv(shared / "tcga_lihc" / "tables" / "xena_LIHC_clinicalMatrix.tsv.gz", sep="\t")
    xena = xena[xena["sampleID"].str.endswith("-01")].set_index("_PATIENT")

    patients = [patient_of(s) for s in mirna.index]
    clinical = pd.DataFrame(index=pd.Index(patients, name="patient"))
    clinical["sample_barcode"] = [sample_of(s) for s in mirna.index]
    clinical["os_days"] = survival["days"].to_numpy(dtype=float)
    clinical["os_event"] = survival["event"].to_numpy().astype(bool)
    x = xena.reindex(patients)
    clinical["rfs_days"] = x["_RFS"].to_numpy(dtype=float)
    clinical["rfs_event"] = pd.array(
        [None if pd.isna(v) else bool(v) for v in x["_RFS_IND"]], dtype="boolean"
    )
    clinical["stage"] = [fold_stage(v) for v in x["pathologic_stage"]]
    clinical["grade"] = (
        x["neoplasm_histologic_grade"]
        .where(x["neoplasm_histologic_grade"].isin(["G1", "G2", "G3", "G4"]))
        .to_numpy()
    )
    clinical["age"] = x["age_at_initial_pathologic_diagnosis"].to_numpy(dtype=float)
    clinical["sex"] = x["gender"].str.lower().to_numpy()

    out = {}
    for name, frame in (("rna", rna), ("mirna", mirna), ("methylation", meth)):
        frame = frame.copy()
        frame.index = pd.Index(patients, name="patient")
        out[name] = frame
    out["clinical"] = clinical
    return out


def write_gz_tsv(frame: pd.DataFrame, path: Path) -> None:
    text = frame.to_csv(sep="\t", float_format="%.7g", lineterminator="\n")
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.encode())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_all(frames: dict[str, pd.DataFrame], out: Path) -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    sums = {}
    for name in FILES:
        path = out / name
        write_gz_tsv(frames[name.removesuffix(".tsv.gz")], path)
        sums[name] = sha256(path)
    buf = io.StringIO()
    for name, digest in sums.items():
        buf.write(f"{digest}  {name}\n")
    (out / "SHA256SUMS").write_text(buf.getvalue())
    return sums


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared/data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the demo files")
    parser.add_argument("--check", action="store_true", help="rebuild in a temp folder and compare sha256")
    args = parser.parse_args()
    needed = [args.shared / "tcga_lihc" / "matched", args.shared / "tcga_lihc" / "tables"]
    missing = [str(path) for path in needed if not path.is_dir()]
    if missing:
        print(
            "error: the demo is built from the shared TCGA-LIHC data, which is not here: "
            + ", ".join(missing)
            + ". Pass --shared PATH to the folder that holds tcga_lihc/matched and tcga_lihc/tables "
            "(see its README for provenance); the committed demo files under omicsdl/datasets "
            "need no rebuild to be used.",
            file=sys.stderr,
        )
        return 2
    frames = build(args.shared)
    if not args.check:
        sums = write_all(frames, args.out)
        for name, digest in sums.items():
            print(f"{digest}  {args.out / name}")
        return 0
    committed = {
        line.split()[1]: line.split()[0]
        for line in (args.out / "SHA256SUMS").read_text().splitlines()
        if line
    }
    with tempfile.TemporaryDirectory() as tmp:
        sums = write_all(frames, Path(tmp))
    bad = [name for name in FILES if committed.get(name) != sums[name]]
    for name in FILES:
        print(f"{'OK ' if name not in bad else 'BAD'} {name} {sums[name]}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
