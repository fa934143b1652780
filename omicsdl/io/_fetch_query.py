"""Build a GDC manifest from a ``files`` endpoint query (project, data type, workflow).

Query definitions live in ``data_manifests/*.yaml``, for example::

    name: TCGA-LIHC STAR - Counts
    gdc_query:
      project: TCGA-LIHC
      data_type: Gene Expression Quantification
      workflow_type: STAR - Counts
      data_format: TSV
      access: open
    source: ...
    licence: ...
    citation: ...
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._core._errors import InputError
from omicsdl.io._fetch_gdc import DEFAULT_GDC_URL
from omicsdl.io._fetch_http import post_files
from omicsdl.io._fetch_manifest import _MD5, ManifestEntry, _safe_part

if TYPE_CHECKING:
    from collections.abc import Mapping

    from omicsdl.io._fetch_gdc import FetchResult

__all__ = [
    "GDC_QUERIES",
    "GdcQueryRun",
    "fetch_gdc_query",
    "gdc_query_filters",
    "query_gdc_manifest",
    "read_gdc_query",
]

logger = logging.getLogger(__name__)

#: query key → GDC ``files`` field
QUERY_FIELDS = {
    "project": "cases.project.project_id",
    "data_category": "data_category",
    "data_type": "data_type",
    "workflow_type": "analysis.workflow_type",
    "data_format": "data_format",
    "experimental_strategy": "experimental_strategy",
    "platform": "platform",
    "access": "access",
}
#: the GDC ``files`` query of each data type omicsdl reads (with ``project`` and ``access: open``);
#: the same fields as data_manifests/gdc_tcga_lihc_*.yaml
GDC_QUERIES: dict[str, dict[str, str]] = {
    "rna": {
        "data_category": "Transcriptome Profiling",
        "data_type": "Gene Expression Quantification",
        "workflow_type": "STAR - Counts",
        "data_format": "TSV",
    },
    "mirna": {
        "data_category": "Transcriptome Profiling",
        "data_type": "miRNA Expression Quantification",
        "workflow_type": "BCGSC miRNA Profiling",
    },
    "methylation": {
        "data_category": "DNA Methylation",
        "data_type": "Methylation Beta Value",
        "workflow_type": "SeSAMe Methylation Beta Estimation",
        "platform": "Illumina Human Methylation 450",
    },
    "clinical": {
        "data_category": "Clinical",
        "data_type": "Clinical Supplement",
        "data_format": "BCR XML",
    },
}
_PAGE = 1000
#: most files one query may list (TCGA's largest projects have a few 10^4 files per data type)
MAX_QUERY_FILES = 200_000


def gdc_query_filters(**query: str | list[str] | None) -> dict[str, Any]:
    """GDC filters JSON (``and`` of ``in`` clauses) for the given query keys.

    Keys: ``project``, ``data_category``, ``data_type``, ``workflow_type``,
    ``data_format``, ``experimental_strategy``, ``platform``, ``access``;
    ``None`` values are left out.
    """
    unknown = set(query) - set(QUERY_FIELDS)
    if unknown:
        msg = f"unknown GDC query key(s): {', '.join(sorted(unknown))}"
        raise InputError(msg, fix=f"use {', '.join(QUERY_FIELDS)}")
    clauses = []
    for key, value in query.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str) else list(value)
        clauses.append({"op": "in", "content": {"field": QUERY_FIELDS[key], "value": values}})
    if not clauses:
        msg = "empty GDC query"
        raise InputError(msg, fix="give at least a project and a data type")
    return {"op": "and", "content": clauses}


def read_gdc_query(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a query definition (``data_manifests/*.yaml``); return its ``gdc_query`` block.

    Raises
    ------
    InputError
        Missing file, bad YAML, no ``gdc_query`` block, or no provenance
        (``source``, ``licence``, ``citation``).
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        msg = "query definition not found"
        raise InputError(msg, source=path, fix="check the path")
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        msg = f"not valid YAML ({err})"
        raise InputError(msg, source=path) from err
    if not isinstance(doc, dict) or not isinstance(doc.get("gdc_query"), dict):
        msg = "no gdc_query block"
        raise InputError(msg, source=path, fix="see data_manifests/*.yaml for the layout")
    missing = [k for k in ("source", "licence", "citation") if not doc.get(k)]
    if missing:
        msg = f"query definition lacks {', '.join(missing)}"
        raise InputError(msg, source=path, fix="every dataset needs its source, licence and citation")
    gdc_query_filters(**doc["gdc_query"])  # validate keys now
    return dict(doc["gdc_query"])


def _entry(hit: Any, url: str, number: int) -> ManifestEntry:
    """One ``files`` record as a manifest entry; a record that cannot be one is an error."""
    try:
        file_id = _safe_part(str(hit["file_id"]), "id", url, number)
        name = _safe_part(str(hit["file_name"]), "filename", url, number)
        md5 = str(hit["md5sum"]).strip().lower()
        size = int(hit["file_size"])
    except (KeyError, TypeError, ValueError) as err:
        msg = f"record {number} lacks a usable file_id, file_name, md5sum or file_size ({err})"
        raise InputError(msg, source=url, fix="check --base-url (it must be the GDC API root)") from err
    if not _MD5.match(md5) or size < 0:
        msg = f"record {number} has md5sum {md5!r} and file_size {size}"
        raise InputError(msg, source=url, item=file_id, fix="check --base-url (it must be the GDC API root)")
    return ManifestEntry(file_id, name, md5, size, str(hit.get("state") or "released"))


def query_gdc_manifest(
    *,
    base_url: str = DEFAULT_GDC_URL,
    timeout: float = 60.0,
    **query: str | list[str] | None,
) -> list[ManifestEntry]:
    """Ask the GDC ``files`` endpoint for matching files; return manifest entries.

    Paging is bounded: the total announced by the first page (at most
    :data:`MAX_QUERY_FILES`) fixes how many pages are asked for, whatever later
    pages say; a page larger than asked for, a record listed twice or a
    listing that ends before that total is an error, never an endless loop.

    Parameters
    ----------
    base_url
        GDC API root.
    timeout
        Seconds per request.
    **query
        ``project="TCGA-LIHC"``, ``data_type=...``, ``workflow_type=...``,
        ``data_format=...``, ``access="open"`` … (see :func:`gdc_query_filters`).

    Returns
    -------
    One entry per file, sorted by file name; write them with
    :func:`omicsdl.io.write_gdc_manifest`.

    Raises
    ------
    InputError
        No file matched, the server announces more than :data:`MAX_QUERY_FILES`,
        or its pages contradict each other.
    """
    filters = gdc_query_filters(**query)
    url = f"{base_url.rstrip('/')}/files"
    fix = "check --base-url (it must be the GDC API root), then run again"
    entries: dict[str, ManifestEntry] = {}
    total: int | None = None
    max_pages = 1
    page = 0
    while total is None or len(entries) < total:
        if page >= max_pages:
            msg = f"{page} pages gave {len(entries)} of the {total} files the first page announced"
            raise InputError(msg, source=url, fix=fix)
        payload = {
            "filters": filters,
            "fields": "file_id,file_name,md5sum,file_size,state",
            "format": "JSON",
            "size": _PAGE,
            "from": len(entries),
        }
        data = post_files(base_url, payload, timeout=timeout).get("data")
        hits = data.get("hits") if isinstance(data, dict) else None
        if not isinstance(hits, list) or len(hits) > _PAGE:
            msg = f"page {page + 1} of the listing is not a list of at most {_PAGE} records"
            raise InputError(msg, source=url, fix=fix)
        if total is None:
            announced = (data.get("pagination") or {}).get("total", len(hits))
            if not isinstance(announced, int) or announced < 0:
                msg = f"the first page announces a total of {announced!r} files"
                raise InputError(msg, source=url, fix=fix)
            if announced > MAX_QUERY_FILES:
                msg = f"the query matches {announced:,} files, more than omicsdl lists ({MAX_QUERY_FILES:,})"
                raise InputError(
                    msg, source=url, item=str(query), fix="narrow the query (project, data type)"
                )
            total = announced
            max_pages = 2 * -(-total // _PAGE) + 1  # full pages, with room for a few short ones
        if not hits and len(entries) < total:
            msg = f"the listing ended after {len(entries)} of the {total} files its first page announced"
            raise InputError(
                msg, source=url, fix="the project changed while listing, or the server is wrong; run again"
            )
        for number, hit in enumerate(hits, start=len(entries) + 1):
            entry = _entry(hit, url, number)
            if entry.id in entries:
                msg = "file listed twice by the server"
                raise InputError(msg, source=url, item=entry.id, fix=fix)
            entries[entry.id] = entry
        if len(entries) > total:
            msg = f"the server listed more files than the {total} its first page announced"
            raise InputError(msg, source=url, fix=fix)
        page += 1
    if not entries:
        msg = "the GDC query matched no file"
        raise InputError(msg, source=url, item=str(query), fix="check the project and data type")
    logger.info("GDC query matched %d file(s) in %d page(s)", len(entries), page)
    return sorted(entries.values(), key=lambda e: e.filename)


@dataclass(frozen=True, slots=True)
class GdcQueryRun:
    """What :func:`fetch_gdc_query` did.

    Attributes
    ----------
    manifest
        The manifest written.
    n_files
        Files the query matched (lines of the manifest).
    fetched
        What the download did (:func:`omicsdl.io.fetch_gdc`), or ``None`` when
        only the manifest was written.
    """

    manifest: Path
    n_files: int
    fetched: FetchResult | None


def fetch_gdc_query(
    query: str | os.PathLike[str] | Mapping[str, Any],
    *,
    manifest: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    base_url: str = DEFAULT_GDC_URL,
    timeout: float = 60.0,
    **download: Any,
) -> GdcQueryRun:
    """Write the GDC manifest of a query, then (with ``out``) download its files.

    Parameters
    ----------
    query
        A query definition file (``data_manifests/<name>.yaml``, read with
        :func:`read_gdc_query`) or its ``gdc_query`` block as a mapping
        (``project``, ``data_type``, ``workflow_type``, ``data_format``,
        ``access``; ``None`` values are left out).
    manifest
        Where to write the manifest; default for a file ``<name>.yaml``:
        ``<name>.manifest.txt`` beside it (a mapping needs it).
    out
        Download folder (:func:`omicsdl.io.fetch_gdc`); ``None`` writes the
        manifest only.
    base_url, timeout
        GDC API root and seconds without data, for the query and the download.
    **download
        Further options of :func:`omicsdl.io.fetch_gdc` (``n_jobs``,
        ``retries``, ``backoff``, ``skip_missing``, ``metadata``); unused
        without ``out``.

    Returns
    -------
    The manifest, its number of files and what the download did.

    Raises
    ------
    InputError
        A bad query definition, a query that matches no file, no manifest
        path for a mapping, or a failed download.
    """
    from omicsdl.io._fetch_gdc import fetch_gdc
    from omicsdl.io._fetch_manifest import update_gdc_manifest

    if isinstance(query, str | os.PathLike):
        path = Path(query)
        spec = read_gdc_query(path)
        default = path.with_name(path.name.removesuffix(".yaml") + ".manifest.txt")
    else:
        spec = {k: v for k, v in query.items() if v is not None}
        default = None
    target = Path(manifest) if manifest is not None else default
    if target is None:
        msg = "a query given as a mapping needs a manifest path"
        raise InputError(
            msg, fix="pass manifest= (the CLI: --manifest-out data_manifests/<name>.manifest.txt)"
        )
    entries = query_gdc_manifest(base_url=base_url, timeout=timeout, **spec)
    change = update_gdc_manifest(entries, target)
    logger.info("manifest %s (%d files): %s", target, len(entries), change.summary())
    fetched = None
    if out is not None:
        fetched = fetch_gdc(target, out, base_url=base_url, timeout=timeout, **download)
    return GdcQueryRun(manifest=target, n_files=len(entries), fetched=fetched)
