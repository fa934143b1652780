"""A local GDC-like server for tests and benchmarks: 127.0.0.1, a random port, bounded.

It speaks the two endpoints ``omicsdl fetch`` uses:

- ``POST /files`` (and ``GET /files?filters=...``): JSON filters (``in`` and ``=``
  on any dotted field such as ``cases.project.project_id`` or
  ``analysis.workflow_type``, combined with ``and``/``or``), paged with
  ``from``/``size``, answering ``{"data": {"hits": [...], "pagination": {...}}}``;
- ``GET /data/{file_id}``: the file's bytes, with ``Range: bytes=N-`` support
  (206 and ``Content-Range``), streamed from disk.

Faults are queued per file id (``server.faults[file_id].append(...)``), each used by
one ``/data`` request:

``"drop"``          send half the body, then close the connection
``("truncate", n)`` send the first ``n`` bytes of the body, then close
``"corrupt"``       flip one byte (md5 mismatch)
``"long"``          announce and send 12 bytes more than the file (wrong size)
``"short"``         announce and send 10 bytes fewer, then close (wrong size)
``"endless"``       no ``Content-Length``; the file, then junk without end
``"500"``, ``"404"`` that status
``"slow"``          trickle the body (1 KiB every 0.1 s)
``"ignore_range"``  answer a ``Range`` request with the whole file (200)

and for the listing (``server.listing_faults``, one per ``/files`` request, or the
sticky ``server.paging`` mode): ``"500"``, ``"huge_json"`` (a JSON body without
end), and the paging modes ``"huge_total"`` (announces 10⁹ files),
``"growing"`` (later pages announce ten times more and keep sending new
records), ``"repeat"`` (every page is the first page) and ``"empty_early"``
(announces twice the files it has).

Every loop is bounded: at most ``max_requests`` requests are answered (then
503), the server shuts itself down after ``lifetime`` seconds, and an endless
body stops after :data:`ENDLESS_LIMIT` bytes or when the client hangs up.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlparse

if TYPE_CHECKING:
    from pathlib import Path

#: bytes an "endless" body sends at most before the server gives up
ENDLESS_LIMIT = 256 * 2**20
_BLOCK = 1 << 16


@dataclass
class ServedFile:
    """One file the server has: its ``files`` record and its bytes (in memory or on disk)."""

    record: dict[str, Any]
    path: Path | None = None
    data: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def read(self, start: int = 0, stop: int | None = None) -> bytes:
        if self.data is not None:
            return self.data[start:stop]
        with self.path.open("rb") as handle:
            handle.seek(start)
            return handle.read(-1 if stop is None else stop - start)

    def blocks(self, start: int = 0):
        """The bytes from ``start`` on, in blocks."""
        if self.data is not None:
            for k in range(start, len(self.data), _BLOCK):
                yield self.data[k : k + _BLOCK]
            return
        with self.path.open("rb") as handle:
            handle.seek(start)
            while block := handle.read(_BLOCK):
                yield block


def _values(record: Any, dotted: str) -> list[Any]:
    """Every value at the dotted path (lists are walked), as the GDC matches nested fields."""
    items = [record]
    for part in dotted.split("."):
        nxt: list[Any] = []
        for item in items:
            if isinstance(item, list):
                nxt += [i.get(part) for i in item if isinstance(i, dict)]
            elif isinstance(item, dict):
                nxt.append(item.get(part))
        items = [v for i in nxt for v in (i if isinstance(i, list) else [i])]
    return items


def matches(record: dict[str, Any], filters: dict[str, Any] | None) -> bool:
    """Whether ``record`` passes GDC ``filters`` (``and``/``or`` of ``in``/``=`` clauses)."""
    if not filters:
        return True
    op = filters.get("op")
    content = filters.get("content")
    if op in ("and", "or"):
        results = (matches(record, f) for f in content)
        return all(results) if op == "and" else any(results)
    if op in ("in", "="):
        wanted = content["value"]
        wanted = set(wanted) if isinstance(wanted, list) else {wanted}
        return bool(wanted & {str(v) for v in _values(record, content["field"]) if v is not None})
    msg = f"unsupported filter op {op!r}"
    raise ValueError(msg)


@dataclass
class GdcServer:
    """The server's state: files, queued faults, request log. Start with :func:`serve`."""

    files: dict[str, ServedFile]
    max_requests: int = 20_000
    lifetime: float = 600.0
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    listing_faults: deque = field(default_factory=deque)
    paging: str | None = None
    log: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None

    # -- helpers for tests --------------------------------------------------------------------
    def manifest_text(self, ids: list[str] | None = None) -> str:
        """A GDC manifest of ``ids`` (default: every file), as the portal writes it."""
        lines = ["id\tfilename\tmd5\tsize\tstate"]
        for file_id in ids or list(self.files):
            f = self.files[file_id]
            lines.append(f"{file_id}\t{f.record['file_name']}\t{f.record['md5sum']}\t{f.size}\treleased")
        return "\n".join(lines) + "\n"

    def data_requests(self, file_id: str) -> list[str]:
        """The ``Range`` header of every ``/data`` request for ``file_id`` ("" for none)."""
        return [rng for method, path, rng in list(self.log) if path == f"/data/{file_id}"]

    def listing_requests(self) -> int:
        """How many ``/files`` requests were answered."""
        return sum(1 for _, path, _ in list(self.log) if path.rstrip("/") == "/files")

    def stop(self) -> None:
        """Shut the server down (idempotent)."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> GdcServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- listing --------------------------------------------------------------------------------
    def listing(self, params: dict[str, Any]) -> bytes | None:
        """The JSON answer of a ``/files`` request (``None``: answer with an error status)."""
        filters = params.get("filters")
        if isinstance(filters, str):
            filters = json.loads(filters)
        start, size = int(params.get("from", 0)), int(params.get("size", 10))
        hits = [f.record for f in self.files.values() if matches(f.record, filters)]
        total = len(hits)
        page = hits[start : start + size]
        mode = self.paging
        if mode == "huge_total":
            total, page = 10**9, _fake_records(size)
        elif mode == "growing" and start > 0:
            total, page = total * 10, _fake_records(size)
        elif mode == "repeat":
            total, page = max(total, 10 * size), hits[:size]
        elif mode == "empty_early":
            total = 2 * total
        body = {"data": {"hits": page, "pagination": {"total": total, "from": start, "size": size}}}
        return json.dumps(body).encode()


def _fake_records(n: int) -> list[dict[str, Any]]:
    return [
        {
            "file_id": str(uuid.uuid4()),
            "file_name": f"fake{k}.txt",
            "md5sum": "0" * 32,
            "file_size": 1,
            "state": "released",
        }
        for k in range(n)
    ]


def _handler(gdc: GdcServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _count(self, method: str, path: str) -> bool:
            with gdc._lock:
                gdc.log.append((method, path, self.headers.get("Range", "")))
                over = len(gdc.log) > gdc.max_requests
            if over:
                self.send_error(503, "request limit of the test server reached")
            return not over

        def _send_json(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _files(self, params: dict[str, Any]) -> None:
            fault = gdc.listing_faults.popleft() if gdc.listing_faults else None
            if fault == "500":
                self.send_error(500)
                return
            if fault == "huge_json":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                self._endless(b'{"data": {"hits": [' + b'{"file_id": "x"},' * 1000)
                self.close_connection = True
                return
            self._send_json(gdc.listing(params))

        def _endless(self, head: bytes) -> None:
            sent = 0
            deadline = time.monotonic() + gdc.lifetime
            junk = b"x" * _BLOCK
            try:
                self.wfile.write(head)
                while sent < ENDLESS_LIMIT and time.monotonic() < deadline:
                    self.wfile.write(junk)
                    sent += len(junk)
            except OSError:  # the client hung up, as it should
                return

        def do_POST(self) -> None:
            path = urlparse(self.path).path
            if not self._count("POST", path):
                return
            length = int(self.headers.get("Content-Length", 0))
            params = json.loads(self.rfile.read(length) or b"{}")
            if path.rstrip("/") == "/files":
                self._files(params)
            else:
                self.send_error(404)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            path = unquote(url.path)
            if not self._count("GET", path):
                return
            if path.rstrip("/") == "/files":
                self._files({k: v[0] for k, v in parse_qs(url.query).items()})
                return
            match = re.fullmatch(r"/data/([^/]+)", path)
            if not match or url.query or match.group(1) not in gdc.files:
                self.send_error(404)
                return
            self._data(match.group(1))

        def _data(self, file_id: str) -> None:
            served = gdc.files[file_id]
            with gdc._lock:
                queued = gdc.faults[file_id].popleft() if gdc.faults[file_id] else "ok"
            fault, arg = (queued, None) if isinstance(queued, str) else queued
            if fault in ("404", "500"):
                self.send_error(int(fault))
                return
            size = served.size
            start = 0
            range_header = self.headers.get("Range")
            if range_header and fault != "ignore_range":
                found = re.fullmatch(r"bytes=(\d+)-", range_header)
                start = int(found.group(1)) if found else 0
                if start >= size:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            length = size - start
            if fault == "long":
                length += 12
            elif fault == "short":
                length -= 10
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            if fault == "endless":
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(length))
            name = served.record["file_name"]
            self.send_header("Content-Disposition", f"attachment; filename={name}")
            self.end_headers()
            try:
                self._body(served, start, fault, arg, length)
            except OSError:  # the client went away
                self.close_connection = True

        def _body(self, served: ServedFile, start: int, fault: str, arg: Any, length: int) -> None:
            if fault == "endless":
                for block in served.blocks(start):
                    self.wfile.write(block)
                self._endless(b"")
                self.close_connection = True
                return
            if fault in ("drop", "truncate", "short"):
                stop = {"drop": start + (served.size - start) // 2, "truncate": arg, "short": start + length}
                body = served.read(start, max(start, stop[fault]))
                self.wfile.write(body)
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if fault == "corrupt":
                body = bytearray(served.read(start))
                body[min(100, len(body) - 1)] ^= 0x01
                self.wfile.write(bytes(body))
                return
            deadline = time.monotonic() + gdc.lifetime
            for block in served.blocks(start):
                if fault == "slow":
                    for k in range(0, len(block), 1024):
                        if time.monotonic() > deadline:
                            return
                        self.wfile.write(block[k : k + 1024])
                        self.wfile.flush()
                        time.sleep(0.1)
                else:
                    self.wfile.write(block)
            if fault == "long":
                self.wfile.write(b"extra bytes\n")

    return Handler


def serve(files: list[ServedFile], *, max_requests: int = 20_000, lifetime: float = 600.0) -> GdcServer:
    """Start a GDC-like server on 127.0.0.1 (random port) for ``files``; stop it with ``.stop()``."""
    gdc = GdcServer({f.record["file_id"]: f for f in files}, max_requests=max_requests, lifetime=lifetime)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gdc))
    httpd.daemon_threads = True
    gdc._httpd = httpd
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    timer = threading.Timer(lifetime, gdc.stop)
    timer.daemon = True
    timer.start()
    gdc.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return gdc


# -- what the server serves -------------------------------------------------------------------------


def real_files(
    folder: Path, records: list[dict[str, Any]], *, project: str = "TCGA-LIHC"
) -> list[ServedFile]:
    """The real GDC files of ``folder`` (``<id>/<name>``) that ``records`` describe, with query fields."""
    out = []
    for record in records:
        path = folder / record["file_id"] / record["file_name"]
        if not path.is_file():
            continue
        full = dict(record)
        full.setdefault("cases", [{"project": {"project_id": project}}])
        full["file_size"] = path.stat().st_size
        full["md5sum"] = hashlib.md5(path.read_bytes()).hexdigest()
        out.append(ServedFile(full, path=path))
    return out


def clinical_files(folder: Path, *, project: str = "TCGA-LIHC") -> list[ServedFile]:
    """The real BCR clinical XML files under ``folder`` (GDC layout) with made-up ``files`` records."""
    out = []
    for path in sorted(folder.glob("*/*.xml")):
        data = path.read_bytes()
        patient = path.name.split(".")[-2]
        record = {
            "file_id": path.parent.name,
            "file_name": path.name,
            "md5sum": hashlib.md5(data).hexdigest(),
            "file_size": len(data),
            "state": "released",
            "access": "open",
            "data_category": "Clinical",
            "data_type": "Clinical Supplement",
            "data_format": "BCR XML",
            "cases": [{"submitter_id": patient, "project": {"project_id": project}}],
            "associated_entities": [{"entity_submitter_id": patient, "entity_type": "case"}],
        }
        out.append(ServedFile(record, path=path))
    return out


def synthetic_files(synthetic: Any) -> list[ServedFile]:
    """The files of a :class:`omicsdl.datasets.SyntheticGdc` project (SYNTHETIC)."""
    return [ServedFile(dict(r), path=synthetic.path(r)) for r in synthetic.records]


def mirna_ids(path: Path) -> list[str]:
    """The miRNA ids of a real GDC miRNA quantification file, in file order."""
    lines = path.read_text().splitlines()[1:]
    return [line.split("\t", 1)[0] for line in lines if line]
