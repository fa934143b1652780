"""Manifest-driven download from the GDC (``/data/{id}``) plus file metadata (``/files``).

Guarantees
----------
- Files land in the GDC client's layout, ``<out>/<file_id>/<file_name>``.
- A file is written to ``<file_name>.part`` and renamed only after its size
  and md5 match the manifest: no partial or corrupt file ever carries the
  final name.
- An interrupted ``.part`` is resumed with an HTTP ``Range`` request (a
  server that ignores ranges sends the whole file again, which is fine).
- Network errors, dropped connections, size and md5 mismatches are retried
  with exponential back-off (``backoff * 2**attempt`` seconds).
- Files already present with the right size and md5 are not downloaded again.
- Files the server does not have (HTTP 404) are listed in one clear error,
  or skipped with ``skip_missing=True``.
- ``metadata.json`` (the ``files`` endpoint records with the aliquot barcode
  of each file) is written beside the data, so the readers can map files to
  barcodes (see :func:`omicsdl.io.read_gdc_metadata`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._core._atomic import write_json
from omicsdl._core._errors import InputError
from omicsdl.io._fetch_manifest import ManifestEntry, read_gdc_manifest

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["DEFAULT_GDC_URL", "FetchResult", "fetch_gdc", "fetch_gdc_metadata"]

logger = logging.getLogger(__name__)

DEFAULT_GDC_URL = "https://api.gdc.cancer.gov"
#: fields of the ``files`` endpoint written to metadata.json
METADATA_FIELDS = (
    "file_id",
    "file_name",
    "md5sum",
    "file_size",
    "state",
    "data_type",
    "data_format",
    "experimental_strategy",
    "analysis.workflow_type",
    "associated_entities.entity_submitter_id",
    "associated_entities.entity_type",
    "associated_entities.case_id",
    "cases.submitter_id",
    "cases.project.project_id",
)
_CHUNK = 1 << 14  # small enough that a dropped connection keeps most of what arrived
_METADATA_BATCH = 500


class _NotOnServer(Exception):
    pass


class _Corrupt(Exception):
    pass


@dataclass
class FetchResult:
    """What :func:`fetch_gdc` did, file by file.

    Attributes
    ----------
    downloaded
        File ids downloaded in this run.
    present
        File ids already present and verified (not downloaded again).
    missing
        File ids the server does not have.
    failed
        File id → error, for downloads that failed after every retry.
    retries
        Retries used in total.
    metadata_path
        The ``metadata.json`` written, if any.
    """

    downloaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    retries: int = 0
    metadata_path: Path | None = None

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"{len(self.downloaded)} downloaded, {len(self.present)} already present, "
            f"{len(self.missing)} missing on the server, {len(self.failed)} failed, {self.retries} retries"
        )


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Downloader:
    def __init__(
        self, base_url: str, out: Path, *, retries: int, backoff: float, timeout: float, bar: Any
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.out = out.resolve()
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.bar = bar
        self.local = threading.local()
        self.lock = threading.Lock()
        self.n_retries = 0

    def session(self) -> Any:
        import requests

        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def target(self, entry: ManifestEntry) -> Path:
        path = (self.out / entry.relative_path).resolve()
        if not path.is_relative_to(self.out):  # checked on read too; never trust a caller's list
            msg = "manifest entry would write outside the output folder"
            raise InputError(msg, item=entry.id, fix="fix the manifest")
        return path

    def _advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def fetch(self, entry: ManifestEntry) -> str:
        """Return ``"downloaded"`` or ``"present"``; raise on final failure."""
        import requests

        final = self.target(entry)
        if final.is_file() and final.stat().st_size == entry.size and _md5(final) == entry.md5:
            self._advance(entry.size)
            return "present"
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(final.name + ".part")
        last_error = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                with self.lock:
                    self.n_retries += 1
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self._download(entry, part)
                self._verify(entry, part)
            except _NotOnServer:
                raise
            except _Corrupt as err:
                last_error = str(err)
                logger.info("%s: %s; retrying (%d/%d)", entry.id, err, attempt + 1, self.retries)
                continue
            except (requests.RequestException, OSError) as err:
                last_error = f"{type(err).__name__}: {err}"
                logger.info("%s: %s; retrying (%d/%d)", entry.id, last_error, attempt + 1, self.retries)
                continue
            part.replace(final)
            return "downloaded"
        raise RuntimeError(last_error)

    def _download(self, entry: ManifestEntry, part: Path) -> None:
        offset = part.stat().st_size if part.exists() else 0
        if offset > entry.size:
            part.unlink()
            offset = 0
        if offset == entry.size:
            return  # complete .part from an earlier run: verify only
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        url = f"{self.base_url}/data/{entry.id}"
        with self.session().get(url, headers=headers, stream=True, timeout=self.timeout) as response:
            if response.status_code == 404:
                raise _NotOnServer(entry.id)
            if response.status_code == 416:  # range past the end: start over
                part.unlink(missing_ok=True)
                msg = "server refused the resume range"
                raise _Corrupt(msg)
            response.raise_for_status()
            if response.status_code == 206 and offset:
                mode = "ab"
                self._advance(0)
            else:
                mode = "wb"
                if offset:
                    self._advance(-offset)
            with part.open(mode) as fh:
                for block in response.iter_content(_CHUNK):
                    fh.write(block)
                    self._advance(len(block))

    def _verify(self, entry: ManifestEntry, part: Path) -> None:
        size = part.stat().st_size
        if size < entry.size:
            msg = f"connection ended after {size} of {entry.size} bytes"
            raise _Corrupt(msg)
        if size > entry.size:
            part.unlink()
            self._advance(-size)
            msg = f"wrong size: received {size} bytes, the manifest says {entry.size}"
            raise _Corrupt(msg)
        digest = _md5(part)
        if digest != entry.md5:
            part.unlink()
            self._advance(-size)
            msg = f"md5 mismatch: got {digest}, the manifest says {entry.md5}"
            raise _Corrupt(msg)


def fetch_gdc(
    manifest: str | os.PathLike[str] | Sequence[ManifestEntry],
    out: str | os.PathLike[str],
    *,
    base_url: str = DEFAULT_GDC_URL,
    n_jobs: int = 4,
    retries: int = 5,
    backoff: float = 1.0,
    timeout: float = 60.0,
    skip_missing: bool = False,
    metadata: bool = True,
) -> FetchResult:
    """Download the files of a GDC manifest, verified, resumable, in parallel.

    Parameters
    ----------
    manifest
        GDC manifest path (``id filename md5 size state``) or its entries.
    out
        Output folder; files go to ``<out>/<id>/<filename>``.
    base_url
        GDC API root (``https://api.gdc.cancer.gov``); any server speaking
        ``/data/{id}`` and ``/files`` works (a mirror, a test server).
    n_jobs
        Parallel downloads.
    retries
        Further attempts per file after a network error, a dropped connection,
        or a size/md5 mismatch.
    backoff
        Seconds before the first retry; doubled at each further one.
    timeout
        Seconds without data before a connection counts as dropped.
    skip_missing
        Files the server does not have (404) are listed in an error by
        default; with ``True`` they are skipped (and listed in the result).
    metadata
        Also write ``<out>/metadata.json`` from the ``files`` endpoint (file →
        aliquot barcode, project), as the GDC portal's cart metadata.

    Returns
    -------
    What happened to each file; :meth:`FetchResult.summary` gives one line.

    Raises
    ------
    InputError
        A manifest entry escaping ``out``, files missing on the server (unless
        ``skip_missing``), or files that still fail after all retries (the
        completed ones are kept; run again to resume the rest).
    """
    from omicsdl._core._settings import settings

    entries = list(manifest) if not isinstance(manifest, str | os.PathLike) else read_gdc_manifest(manifest)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result = FetchResult()
    bar = None
    if settings.show_progress:
        from tqdm.auto import tqdm

        bar = tqdm(
            total=sum(e.size for e in entries), unit="B", unit_scale=True, desc="GDC download", leave=False
        )
    loader = _Downloader(base_url, out, retries=retries, backoff=backoff, timeout=timeout, bar=bar)
    for entry in entries:
        loader.target(entry)  # refuse escaping paths before any download

    def work(entry: ManifestEntry) -> tuple[ManifestEntry, str, str]:
        try:
            return entry, loader.fetch(entry), ""
        except _NotOnServer:
            return entry, "missing", "not found on the server (HTTP 404)"
        except Exception as err:
            return entry, "failed", str(err)

    try:
        with ThreadPoolExecutor(max_workers=max(1, n_jobs)) as pool:
            for entry, status, reason in pool.map(work, entries):
                if status == "downloaded":
                    result.downloaded.append(entry.id)
                elif status == "present":
                    result.present.append(entry.id)
                elif status == "missing":
                    result.missing.append(entry.id)
                else:
                    result.failed[entry.id] = reason
    finally:
        if bar is not None:
            bar.close()
    result.retries = loader.n_retries
    logger.info("GDC fetch: %s", result.summary())
    if result.missing and not skip_missing:
        listed = "\n    ".join(f"{i}" for i in result.missing[:20])
        msg = f"{len(result.missing)} file(s) of the manifest are not on the server:\n    {listed}"
        raise InputError(
            msg,
            source=str(manifest) if isinstance(manifest, str | os.PathLike) else base_url,
            fix="remove them from the manifest, or go on without them (--skip-missing)",
        )
    if result.failed:
        listed = "\n    ".join(f"{i}: {r}" for i, r in list(result.failed.items())[:20])
        msg = f"{len(result.failed)} file(s) failed after {retries} retries:\n    {listed}"
        raise InputError(
            msg,
            source=base_url,
            fix="run the same command again: verified files are kept and partial ones are resumed",
        )
    if metadata:
        wanted = [e.id for e in entries if e.id not in set(result.missing)]
        result.metadata_path = fetch_gdc_metadata(
            wanted, out / "metadata.json", base_url=base_url, timeout=timeout
        )
    return result


def _post_files(
    base_url: str, payload: dict[str, Any], *, timeout: float, retries: int = 3
) -> dict[str, Any]:
    import requests

    url = f"{base_url.rstrip('/')}/files"
    last: Exception | None = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(0.5 * 2 ** (attempt - 1))
        try:
            response = requests.post(url, json=payload, timeout=timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as err:
            last = err
    msg = f"the GDC files endpoint did not answer ({type(last).__name__}: {last})"
    raise InputError(
        msg,
        source=url,
        fix="check the network and --base-url, then run again",
    )


def fetch_gdc_metadata(
    file_ids: Sequence[str],
    path: str | os.PathLike[str],
    *,
    base_url: str = DEFAULT_GDC_URL,
    timeout: float = 60.0,
) -> Path:
    """Write the ``files`` endpoint records of ``file_ids`` to a JSON file.

    The records carry ``associated_entities[].entity_submitter_id`` (the
    aliquot barcode) and ``cases[].project.project_id``: what
    :func:`omicsdl.io.read_gdc_metadata` needs to map files to barcodes.

    Parameters
    ----------
    file_ids
        GDC file UUIDs.
    path
        The JSON file to write (atomically).
    base_url
        GDC API root.
    timeout
        Seconds without data before a request is given up.

    Returns
    -------
    ``path``.
    """
    hits: list[dict[str, Any]] = []
    ids = list(file_ids)
    for start in range(0, len(ids), _METADATA_BATCH):
        batch = ids[start : start + _METADATA_BATCH]
        payload = {
            "filters": {"op": "in", "content": {"field": "file_id", "value": batch}},
            "fields": ",".join(METADATA_FIELDS),
            "format": "JSON",
            "size": len(batch),
        }
        answer = _post_files(base_url, payload, timeout=timeout)
        hits.extend(answer.get("data", {}).get("hits", []))
    found = {h.get("file_id") for h in hits}
    lost = [i for i in ids if i not in found]
    if lost:
        logger.warning("the files endpoint returned no record for %d file(s), e.g. %s", len(lost), lost[0])
    return write_json(path, hits)
