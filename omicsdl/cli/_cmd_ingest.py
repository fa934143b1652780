"""``omicsdl ingest``: build a cohort (.h5mu) from GDC files, mirror matrices and clinical data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from omicsdl.cli._outputs import HDF5_MAGIC, Output, add_output

_DESCRIPTION = """\
Read omics (GDC download folders, or samples x features / features x samples
matrices) and clinical data (BCR XML folders, DeepProg/Xena survival or clinical
tables), keep primary tumours (sample type 01) and one sample per patient, join
them by patient and write the cohort as .h5mu. Every sample or patient left out
is listed with the step and the reason in <out>.dropped.tsv.

examples:
  omicsdl ingest --mirna gdc_mirna/ --mirna-metadata metadata.LIHC.json \\
      --clinical gdc_clinical_xml/ --clinical xena_LIHC_clinicalMatrix.tsv.gz --out lihc.h5mu
  omicsdl ingest --mirna mir.tsv.gz --rna rna.csv.gz --methylation meth.csv.gz \\
      --clinical survival.tsv --out lihc.h5mu
  omicsdl ingest --mirna gdc_mirna/ --manifest mirna=data_manifests/gdc_manifest.LIHC_mirna.txt \\
      --skip-missing --clinical survival.tsv --out lihc.h5mu
"""


_OMICS = ("rna", "mirna", "methylation")
_DROPPED_HEADER = b"step\tid\tpatient\treason"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``ingest`` subcommand."""
    parser = subparsers.add_parser(
        "ingest",
        help="build a cohort .h5mu from GDC files, matrices and clinical data",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for name, what in (
        ("rna", "STAR - Counts"),
        ("mirna", "miRNA quantification"),
        ("methylation", "SeSAMe"),
    ):
        parser.add_argument(f"--{name}", type=Path, help=f"{name}: GDC {what} folder, or a matrix file")
        parser.add_argument(
            f"--{name}-metadata",
            type=Path,
            help=f"GDC metadata JSON or sample sheet for the {name} folder (default: <folder>/metadata.json)",
        )
    parser.add_argument("--probe-map", type=Path, help="probe -> gene table for gene-level GDC methylation")
    parser.add_argument(
        "--clinical",
        type=Path,
        action="append",
        required=True,
        help="BCR XML folder/file or survival/clinical table; repeat to merge (first known value wins)",
    )
    parser.add_argument(
        "--manifest",
        action="append",
        default=[],
        metavar="MODALITY=PATH",
        help="read exactly this GDC manifest's files from the modality's folder (absent ones: error)",
    )
    parser.add_argument(
        "--skip-missing",
        action="store_true",
        help="go on without manifest files that are absent from the folder",
    )
    parser.add_argument(
        "--sample-types",
        nargs="+",
        default=["01"],
        metavar="CODE",
        help="TCGA sample types to keep (default: 01 = primary tumour; 02 recurrent, 06 metastatic, 11 normal)",
    )
    parser.add_argument(
        "--duplicates",
        choices=["choose", "error"],
        default="choose",
        help="several samples of one patient: choose one by the documented rule, or stop with an error "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--keep-without-survival", action="store_true", help="keep patients that lack overall survival"
    )
    parser.add_argument("--project", help="expected project of BCR XML files, e.g. TCGA-LIHC")
    parser.add_argument(
        "--name", default="cohort", help="cohort name stored in the file (default: %(default)s)"
    )
    add_output(
        parser,
        "--out",
        output=Output("file", "a cohort file", header=HDF5_MAGIC),
        type=Path,
        required=True,
        help="output cohort (.h5mu)",
    )
    add_output(
        parser,
        "--report",
        output=Output("file", "a dropped-samples table", header=_DROPPED_HEADER),
        type=Path,
        help="dropped-patients table (default: <out>.dropped.tsv)",
    )
    add_output(
        parser,
        "--summary",
        output=Output("file", "an ingest summary", header=b"{"),
        type=Path,
        help="also write what was kept and dropped as JSON (for `omicsdl report --run-info`)",
    )
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from omicsdl._core._atomic import atomic_write, write_json
    from omicsdl._core._errors import InputError
    from omicsdl.io import dropped_table, ingest_summary, read_cohort, write_h5mu

    modalities = {name: getattr(args, name) for name in _OMICS if getattr(args, name) is not None}
    metadata = {
        name: getattr(args, f"{name}_metadata") for name in _OMICS if getattr(args, f"{name}_metadata")
    }
    if not modalities:
        msg = "no omics given"
        raise InputError(msg, fix="pass at least one of --rna, --mirna, --methylation")
    manifests = {}
    for spec in args.manifest:
        name, sep, path = spec.partition("=")
        if not sep or name not in modalities:
            msg = f"--manifest {spec!r}: expected MODALITY=PATH for a modality given above"
            raise InputError(msg, fix="e.g. --manifest mirna=data_manifests/gdc_manifest.LIHC_mirna.txt")
        manifests[name] = Path(path)
    mdata = read_cohort(
        modalities,
        args.clinical,
        metadata=metadata,
        probe_map=args.probe_map,
        sample_types=args.sample_types,
        duplicates=args.duplicates,
        require_survival=not args.keep_without_survival,
        project=args.project,
        name=args.name,
        manifests=manifests,
        skip_missing=args.skip_missing,
    )
    write_h5mu(mdata, args.out)
    report = args.report or args.out.with_name(args.out.name + ".dropped.tsv")
    with atomic_write(report) as handle:
        dropped_table(mdata).to_csv(handle, sep="\t", index=False)
    if args.summary is not None:
        write_json(args.summary, ingest_summary(mdata, manifests=manifests))
    sizes = ", ".join(f"{k} {v.n_obs}" for k, v in mdata.mod.items())
    print(
        f"omicsdl ingest: {mdata.n_obs} patients ({sizes}) -> {args.out}; dropped: {report}", file=sys.stderr
    )
    return 0
