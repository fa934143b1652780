"""Manifest-driven download from the GDC (``/data/{id}``) plus file metadata (``/files``).

Guarantees
----------
- Files land in the GDC client's layout, ``<out>/<file_id>/<file_name>``.
- A file is written to ``<file_name>.part`` and renamed only after its size
  and md5 match the manifest: no partial or corrupt file ever carries the
  final name.
- Nothing outside ``out`` is ever written: no symlink inside ``out`` is
  followed (``O_NOFOLLOW``, folder descriptors; see :mod:`omicsdl.io._fetch_safe`),
  and a symlink at ``<id>``, ``<name>`` or ``<name>.part`` is refused by name.
- Every download is capped at its manifest size: a server that sends more
  (or without end) is cut off after that many bytes.
- The server's length (``Content-Length`` / ``Content-Range``) is compared
  with the manifest before anything is written; a file present under the
  final name with another size or md5 is never overwritten. Both are refused
  with a message saying what differs and what to do.
- An interrupted ``.part`` is resumed with an HTTP ``Range`` request (a
  server that ignores ranges sends the whole file again, which is fine).
- Network errors, dropped connections, 5xx answers and md5 mismatches are
  retried with exponential back-off (``backoff * 2**attempt`` seconds).
- Files already present with the right size and md5 are not downloaded again.
- Files the server does not have (HTTP 404) are listed in one clear error,
  or skipped with ``skip_missing=True``.
- Ctrl-C stops the run within about a second (downloads run in daemon
  threads that stop at their next block; their ``.part`` files are kept and
  resumed by the next run).
- A run that fails leaves no empty folder behind (folders are made when
  their first byte arrives).
- ``metadata.json`` (the ``files`` endpoint records with the aliquot barcode
  of each file) is written beside the data, so the readers can map files to
  barcodes (see :func:`omicsdl.io.read_gdc_metadata`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from omicsdl._core._atomic import write_json
from omicsdl._core._errors import InputError
from omicsdl.io._fetch_http import post_files
from omicsdl.io._fetch_manifest import ManifestEntry, read_gdc_manifest
from omicsdl.io._fetch_safe import SafeFolder, refuse_symlink

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

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
_CHUNK = 1 << 14  # small, so that a dropped connection keeps most of what arrived
_METADATA_BATCH = 500
#: seconds the main thread waits for running downloads after Ctrl-C before it returns
_STOP_GRACE = 0.5
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_RANGE_TOTAL = re.compile(r"bytes\s+\*/(\d+)")


class _NotOnServer(Exception):
    pass


class _Corrupt(Exception):
    """A failed attempt worth retrying (dropped connection, md5 mismatch, 5xx)."""


class _Refused(Exception):
    """A file that retrying cannot fix: the message says what differs and what to do."""


class _Stopped(Exception):
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
    refused
        File id → reason, for files not downloaded because something
        contradicts the manifest (the server's length, a file already under
        the final name) or a symlink is in the way; retrying cannot fix these.
    retries
        Retries used in total.
    metadata_path
        The ``metadata.json`` written, if any.
    """

    downloaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    retries: int = 0
    metadata_path: Path | None = None

    def summary(self) -> str:
        """One line for logs and the CLI."""
        return (
            f"{len(self.downloaded)} downloaded, {len(self.present)} already present, "
            f"{len(self.missing)} missing on the server, {len(self.failed)} failed, "
            f"{len(self.refused)} refused, {self.retries} retries"
        )


class _Progress:
    """A byte counter shown as a bar on a terminal only (never in a log file)."""

    def __init__(self, total: int) -> None:
        from omicsdl._core._settings import settings

        self.bar = None
        self.lock = threading.Lock()
        if settings.show_progress and sys.stderr.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="B", unit_scale=True, desc="GDC download", leave=False)

    def update(self, n: int) -> None:
        if self.bar is not None and n:
            with self.lock:
                self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _size_message(what: str, size: int, entry: ManifestEntry) -> str:
    return f"{what} {size:,} bytes, the manifest says {entry.size:,}"


class _Downloader:
    def __init__(
        self,
        base_url: str,
        out: Path,
        *,
        retries: int,
        backoff: float,
        timeout: float,
        progress: _Progress,
        stop: threading.Event,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.out = out
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.progress = progress
        self.stop = stop
        self.local = threading.local()
        self.lock = threading.Lock()
        self.n_retries = 0

    def session(self) -> Any:
        import requests

        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def fetch(self, entry: ManifestEntry) -> str:
        """Return ``"downloaded"`` or ``"present"``; raise on final failure."""
        with SafeFolder(self.out, entry.id) as folder:
            try:
                return self._fetch(entry, folder)
            finally:
                folder.remove_if_empty()

    def _fetch(self, entry: ManifestEntry, folder: SafeFolder) -> str:
        import requests

        name, part = entry.filename, entry.filename + ".part"
        size = folder.size(name)
        if size is not None:
            if size != entry.size:
                raise _Refused(
                    f"{folder.path / name} is already there with {size:,} bytes, the manifest says "
                    f"{entry.size:,}: it was not written by omicsdl fetch (which only renames verified "
                    "files into place) or the manifest is of another data release; move the file away "
                    "to download it again"
                )
            digest = _md5_fd(folder.open(name, "rb"))
            if digest == entry.md5:
                self.progress.update(entry.size)
                return "present"
            raise _Refused(
                f"{folder.path / name} is already there with the right size but md5 {digest} (the "
                f"manifest says {entry.md5}): move the file away to download it again"
            )
        last_error = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                with self.lock:
                    self.n_retries += 1
                if self.stop.wait(self.backoff * 2 ** (attempt - 1)):
                    raise _Stopped
            try:
                self._download(entry, folder, part)
            except (_NotOnServer, _Refused, _Stopped):
                raise
            except _Corrupt as err:
                last_error = str(err)
            except (requests.RequestException, OSError) as err:
                last_error = f"{type(err).__name__}: {err}"
            else:
                folder.rename(part, name)
                return "downloaded"
            logger.info("%s: %s; retrying (%d/%d)", entry.id, last_error, attempt + 1, self.retries)
        raise RuntimeError(last_error)

    def _download(self, entry: ManifestEntry, folder: SafeFolder, part: str) -> None:
        """One attempt: resume or start ``part``; on return it holds the verified file."""
        offset = folder.size(part) or 0
        if offset > entry.size:
            logger.info("%s: the partial download is larger than the manifest size; starting again", entry.id)
            folder.unlink(part)
            offset = 0
        digest = hashlib.md5(usedforsecurity=False)
        if offset:
            digest = _md5_fd(folder.open(part, "rb"), digest=digest, hex_digest=False)
        if offset == entry.size:  # complete .part from an earlier run: verify only
            self.progress.update(offset)
            self._check_md5(entry, folder, part, digest)
            return
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        url = f"{self.base_url}/data/{quote(entry.id, safe='')}"
        with self.session().get(
            url, headers=headers, stream=True, timeout=(self.timeout, self.timeout)
        ) as response:
            if response.status_code == 404:
                raise _NotOnServer(entry.id)
            if response.status_code == 416:
                self._range_refused(entry, folder, part, response)
            if response.status_code >= 500:
                msg = f"HTTP {response.status_code} from the server"
                raise _Corrupt(msg)
            response.raise_for_status()
            if response.status_code == 206 and offset:
                self._check_content_range(entry, response, offset)
                self.progress.update(offset)
                mode = "ab"
            else:  # a fresh start, or a server that ignored the range: the whole file comes
                self._check_length(entry, response)
                digest = hashlib.md5(usedforsecurity=False)
                offset, mode = 0, "wb"
            overflow = self._stream(entry, folder, part, response, offset=offset, mode=mode, digest=digest)
        self._check_md5(entry, folder, part, digest, overflow=overflow)

    def _range_refused(self, entry: ManifestEntry, folder: SafeFolder, part: str, response: Any) -> None:
        match = _RANGE_TOTAL.fullmatch(response.headers.get("Content-Range", "").strip())
        if match and int(match.group(1)) != entry.size:
            raise _Refused(
                _size_message("the server says the file has", int(match.group(1)), entry)
                + ": the manifest is of another data release (query it again) or --base-url is not the GDC"
            )
        folder.unlink(part)  # the range is past the server's end: start over
        msg = "the server refused the resume range; starting again"
        raise _Corrupt(msg)

    def _check_content_range(self, entry: ManifestEntry, response: Any, offset: int) -> None:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is None or int(match.group(1)) != offset:
            msg = "the server answered the resume request with another range"
            raise _Corrupt(msg)
        if match.group(3) != "*" and int(match.group(3)) != entry.size:
            raise _Refused(
                _size_message("the server says the file has", int(match.group(3)), entry)
                + ": the manifest is of another data release (query it again) or --base-url is not the GDC"
            )

    def _check_length(self, entry: ManifestEntry, response: Any) -> None:
        length = response.headers.get("Content-Length")
        if length is not None and length.strip().isdigit() and int(length) != entry.size:
            raise _Refused(
                _size_message("the server announces", int(length), entry)
                + ": the manifest is of another data release (query it again) or --base-url is not the GDC"
            )

    def _stream(
        self,
        entry: ManifestEntry,
        folder: SafeFolder,
        part: str,
        response: Any,
        *,
        offset: int,
        mode: str,
        digest: Any,
    ) -> bool:
        """Append the body to ``part`` (at most the manifest size); ``True`` when the server sent more."""
        wanted = entry.size - offset
        received = 0
        overflow = False
        # keep every byte of a connection that ends early (checked below), instead of
        # urllib3 dropping the last partial block with an IncompleteRead
        response.raw.enforce_content_length = False
        with os.fdopen(folder.open(part, mode), "wb") as handle:
            for block in response.iter_content(_CHUNK):
                if self.stop.is_set():
                    raise _Stopped
                if received + len(block) > wanted:  # more than the manifest size: cut off here
                    block = block[: wanted - received]
                    overflow = True
                handle.write(block)
                digest.update(block)
                received += len(block)
                self.progress.update(len(block))
                if received >= wanted:
                    break  # never read (or wait for) more than the manifest size
        if received < wanted:
            msg = f"connection ended after {offset + received:,} of {entry.size:,} bytes"
            raise _Corrupt(msg)
        return overflow

    def _check_md5(
        self, entry: ManifestEntry, folder: SafeFolder, part: str, digest: Any, *, overflow: bool = False
    ) -> None:
        got = digest.hexdigest()
        if got == entry.md5:
            if overflow:
                logger.warning(
                    "%s: the server sent more than the manifest size (%d bytes); the first %d bytes "
                    "match the manifest's md5 and were kept",
                    entry.id,
                    entry.size,
                    entry.size,
                )
            return
        folder.unlink(part)
        self.progress.update(-entry.size)
        if overflow:
            raise _Refused(
                f"the server sent more than the manifest size ({entry.size:,} bytes) and the first "
                f"{entry.size:,} do not match the md5: the manifest is of another data release (query "
                "it again) or --base-url is not the GDC"
            )
        msg = f"md5 mismatch: got {got}, the manifest says {entry.md5}"
        raise _Corrupt(msg)


def _md5_fd(fd: int, *, digest: Any = None, hex_digest: bool = True) -> Any:
    digest = digest if digest is not None else hashlib.md5(usedforsecurity=False)
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() if hex_digest else digest


def _run_threads(
    entries: Sequence[ManifestEntry],
    work: Callable[[ManifestEntry], tuple[ManifestEntry, str, str]],
    *,
    n_jobs: int,
    stop: threading.Event,
) -> Iterator[tuple[ManifestEntry, str, str]]:
    """Run ``work`` on every entry in ``n_jobs`` daemon threads; yield results as they finish.

    On Ctrl-C (or any exception in the caller) ``stop`` is set and the main thread
    returns after at most :data:`_STOP_GRACE` seconds: the workers stop at their next
    block and, being daemon threads, never keep the process alive.
    """
    todo: queue.SimpleQueue[ManifestEntry] = queue.SimpleQueue()
    for entry in entries:
        todo.put(entry)
    done: queue.SimpleQueue[tuple[ManifestEntry, str, str]] = queue.SimpleQueue()

    def worker() -> None:
        while not stop.is_set():
            try:
                entry = todo.get_nowait()
            except queue.Empty:
                return
            done.put(work(entry))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, min(n_jobs, len(entries))))]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(entries)):
            while True:
                try:
                    yield done.get(timeout=0.1)
                    break
                except queue.Empty:
                    continue
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=_STOP_GRACE / len(threads))


def _read_entries(manifest: str | os.PathLike[str] | Sequence[ManifestEntry]) -> list[ManifestEntry]:
    if isinstance(manifest, str | os.PathLike):
        return read_gdc_manifest(manifest)
    return list(manifest)


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
        a 5xx answer or an md5 mismatch.
    backoff
        Seconds before the first retry; doubled at each further one.
    timeout
        Seconds to connect, and seconds without data before a connection
        counts as dropped.
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
        ``skip_missing``), files refused (a symlink in the way, a size that
        contradicts the manifest), or files that still fail after all retries
        (the completed ones are kept; run again to resume the rest).
    KeyboardInterrupt
        On Ctrl-C, within about a second; partial files are kept as ``.part``.
    """
    entries = _read_entries(manifest)  # refuses escaping names before anything is created
    out = Path(out)
    refuse_symlink(out / "metadata.json")
    created_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    result = FetchResult()
    progress = _Progress(sum(e.size for e in entries))
    stop = threading.Event()
    loader = _Downloader(
        base_url, out, retries=retries, backoff=backoff, timeout=timeout, progress=progress, stop=stop
    )

    def work(entry: ManifestEntry) -> tuple[ManifestEntry, str, str]:
        try:
            return entry, loader.fetch(entry), ""
        except _NotOnServer:
            return entry, "missing", "not found on the server (HTTP 404)"
        except _Stopped:
            return entry, "stopped", "interrupted"
        except (_Refused, InputError) as err:
            return entry, "refused", str(err)
        except Exception as err:
            return entry, "failed", str(err)

    try:
        for entry, status, reason in _run_threads(entries, work, n_jobs=n_jobs, stop=stop):
            if status in ("downloaded", "present", "missing"):
                getattr(result, status).append(entry.id)
            elif status == "refused":
                result.refused[entry.id] = reason
            elif status == "failed":
                result.failed[entry.id] = reason
    finally:
        progress.close()
        if created_out:
            _remove_if_empty(out)
    result.retries = loader.n_retries
    logger.info("GDC fetch: %s", result.summary())
    source = str(manifest) if isinstance(manifest, str | os.PathLike) else base_url
    _raise_problems(result, source=source, base_url=base_url, retries=retries, skip_missing=skip_missing)
    if metadata:
        wanted = [e.id for e in entries if e.id not in set(result.missing)]
        result.metadata_path = fetch_gdc_metadata(
            wanted, out / "metadata.json", base_url=base_url, timeout=timeout
        )
    return result


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _listed(items: dict[str, str] | list[str]) -> str:
    rows = [f"{k}: {v}" for k, v in items.items()] if isinstance(items, dict) else list(items)
    more = f"\n    ... and {len(rows) - 20} more" if len(rows) > 20 else ""
    return "\n    ".join(rows[:20]) + more


def _raise_problems(
    result: FetchResult, *, source: str, base_url: str, retries: int, skip_missing: bool
) -> None:
    if result.missing and not skip_missing:
        msg = f"{len(result.missing)} file(s) of the manifest are not on the server:\n    {_listed(result.missing)}"
        raise InputError(
            msg,
            source=source,
            fix="remove them from the manifest, or go on without them (--skip-missing)",
        )
    if result.refused:
        msg = f"{len(result.refused)} file(s) were not downloaded:\n    {_listed(result.refused)}"
        raise InputError(msg, source=source, fix="see each file's reason above; verified files are kept")
    if result.failed:
        msg = f"{len(result.failed)} file(s) failed after {retries} retries:\n    {_listed(result.failed)}"
        raise InputError(
            msg,
            source=base_url,
            fix="run the same command again: verified files are kept and partial ones are resumed",
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
        The JSON file to write (atomically; a symlink there is refused).
    base_url
        GDC API root.
    timeout
        Seconds without data before a request is given up.

    Returns
    -------
    ``path``.
    """
    refuse_symlink(path)
    hits: list[dict[str, Any]] = []
    ids = list(file_ids)
    wanted = set(ids)
    for start in range(0, len(ids), _METADATA_BATCH):
        batch = ids[start : start + _METADATA_BATCH]
        payload = {
            "filters": {"op": "in", "content": {"field": "file_id", "value": batch}},
            "fields": ",".join(METADATA_FIELDS),
            "format": "JSON",
            "size": len(batch),
        }
        answer = post_files(base_url, payload, timeout=timeout)
        data = answer.get("data")
        page = data.get("hits", []) if isinstance(data, dict) else []
        # a server that answers with other or more records than asked: keep only the asked ones
        hits.extend(h for h in page[: len(batch)] if isinstance(h, dict) and h.get("file_id") in wanted)
    found = {h.get("file_id") for h in hits}
    lost = [i for i in ids if i not in found]
    if lost:
        logger.warning("the files endpoint returned no record for %d file(s), e.g. %s", len(lost), lost[0])
    return write_json(path, hits)
