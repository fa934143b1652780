"""``omicsdl fetch``: download GDC files from a manifest, or build the manifest from a query."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: same as omicsdl.io.DEFAULT_GDC_URL (not imported: `omicsdl --help` stays fast)
DEFAULT_GDC_URL = "https://api.gdc.cancer.gov"

_DESCRIPTION = """\
Download GDC files, verified (md5 and size), resumable and in parallel, into the
GDC client's layout <out>/<file_id>/<file_name>, plus <out>/metadata.json that maps
each file to its aliquot barcode (for `omicsdl ingest`).

Either give a manifest (--manifest, as the GDC portal writes it), or a query:
--query data_manifests/<name>.yaml (or --project/--data-type/--workflow-type)
writes a manifest first (default: beside the YAML, <name>.manifest.txt), then
downloads it when --out is given.

examples:
  omicsdl fetch --manifest data_manifests/gdc_manifest.LIHC_mirna.txt --out data/gdc_mirna
  omicsdl fetch --query data_manifests/gdc_tcga_lihc_star_counts.yaml --out data/gdc_star
  omicsdl fetch --project TCGA-LIHC --data-type "Methylation Beta Value" \\
      --workflow-type "SeSAMe Methylation Beta Estimation" --manifest-out meth.manifest.txt
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fetch`` subcommand."""
    parser = subparsers.add_parser(
        "fetch",
        help="download GDC files from a manifest or a query (verified, resumable)",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--manifest", type=Path, help="GDC manifest (id filename md5 size state) to download")
    source.add_argument("--query", type=Path, help="query definition YAML (data_manifests/*.yaml)")
    source.add_argument("--project", help="GDC project for an ad-hoc query, e.g. TCGA-LIHC")
    parser.add_argument(
        "--data-type", help="GDC data_type for --project, e.g. 'Gene Expression Quantification'"
    )
    parser.add_argument(
        "--workflow-type", help="GDC analysis.workflow_type for --project, e.g. 'STAR - Counts'"
    )
    parser.add_argument("--data-format", help="GDC data_format for --project, e.g. TSV or 'BCR XML'")
    parser.add_argument("--data-category", help="GDC data_category for --project, e.g. 'DNA Methylation'")
    parser.add_argument(
        "--platform", help="GDC platform for --project, e.g. 'Illumina Human Methylation 450'"
    )
    parser.add_argument(
        "--manifest-out", type=Path, help="where a query writes its manifest (default: beside the YAML)"
    )
    parser.add_argument("--out", type=Path, help="download folder (<out>/<file_id>/<file_name>)")
    parser.add_argument("--base-url", default=DEFAULT_GDC_URL, help="GDC API root (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=4, help="parallel downloads (default: %(default)s)")
    parser.add_argument(
        "--retries", type=int, default=5, help="retries per file, with back-off (default: %(default)s)"
    )
    parser.add_argument(
        "--backoff", type=float, default=1.0, help="seconds before the first retry (default: %(default)s)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds without data = dropped (default: %(default)s)"
    )
    parser.add_argument(
        "--skip-missing", action="store_true", help="go on when files of the manifest are not on the server"
    )
    parser.add_argument("--no-metadata", action="store_true", help="do not write <out>/metadata.json")
    parser.set_defaults(func=_run)


def _check(args: argparse.Namespace) -> None:
    from omicsdl._core._errors import InputError

    if args.project is not None and not args.data_type:
        msg = "--project needs --data-type"
        raise InputError(msg, fix="add e.g. --data-type 'Gene Expression Quantification'")
    if args.project is not None and args.manifest_out is None:
        msg = "an ad-hoc query needs --manifest-out"
        raise InputError(msg, fix="add --manifest-out data_manifests/<name>.manifest.txt")
    if args.manifest is not None and args.out is None:
        msg = "--manifest needs --out"
        raise InputError(msg, fix="add --out <download folder>")


def _run(args: argparse.Namespace) -> int:
    from omicsdl.io import fetch_gdc, fetch_gdc_query

    _check(args)
    download = {
        "base_url": args.base_url,
        "n_jobs": args.jobs,
        "retries": args.retries,
        "backoff": args.backoff,
        "timeout": args.timeout,
        "skip_missing": args.skip_missing,
        "metadata": not args.no_metadata,
    }
    if args.manifest is not None:
        fetched = fetch_gdc(args.manifest, args.out, **download)
    else:
        query = args.query or {
            "project": args.project,
            "data_type": args.data_type,
            "workflow_type": args.workflow_type,
            "data_format": args.data_format,
            "data_category": args.data_category,
            "platform": args.platform,
            "access": "open",
        }
        run = fetch_gdc_query(query, manifest=args.manifest_out, out=args.out, **download)
        print(f"wrote {run.manifest} ({run.n_files} files)", file=sys.stderr)
        fetched = run.fetched
    if fetched is not None:
        print(f"omicsdl fetch: {fetched.summary()}; files in {args.out}", file=sys.stderr)
        if fetched.missing:
            print(f"omicsdl fetch: skipped, not on the server: {', '.join(fetched.missing)}", file=sys.stderr)
    return 0
