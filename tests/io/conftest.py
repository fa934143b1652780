"""A real HTTP server on 127.0.0.1 speaking the GDC endpoints omicsdl uses.

``GET /data/{id}`` (with ``Range`` support), ``POST /files`` and
``GET /files?filters=...`` (JSON filters: ``in`` on ``file_id``, or an ``and``
of ``in`` clauses on other fields, paged with ``from``/``size``). It serves
real GDC files and their real metadata records. Faults are queued per file id:
``"drop"`` (close the connection half-way), ``"corrupt"`` (flip one byte),
``"long"`` (send extra bytes: wrong size), ``"404"``.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

import pytest

if TYPE_CHECKING:
    from pathlib import Path

_FIELD_OF = {
    "cases.project.project_id": lambda r: r["cases"][0]["project"]["project_id"],
    "data_type": lambda r: r.get("data_type"),
    "analysis.workflow_type": lambda r: (r.get("analysis") or {}).get("workflow_type"),
    "data_format": lambda r: r.get("data_format"),
    "access": lambda r: r.get("access"),
    "experimental_strategy": lambda r: r.get("experimental_strategy"),
    "data_category": lambda r: r.get("data_category"),
}


class FakeGDC:
    """State of the fake GDC: files, metadata records, queued faults, request log."""

    def __init__(self, files: dict[str, bytes], records: list[dict]) -> None:
        self.files = files
        self.records = {r["file_id"]: r for r in records}
        self.faults: dict[str, deque[str]] = defaultdict(deque)
        self.log: list[tuple[str, str, str]] = []  # (method, path, range header)
        self.lock = threading.Lock()
        self.url = ""

    def manifest_lines(self, ids: list[str] | None = None) -> str:
        lines = ["id\tfilename\tmd5\tsize\tstate"]
        for file_id in ids or list(self.files):
            record = self.records[file_id]
            data = self.files[file_id]
            lines.append(
                f"{file_id}\t{record['file_name']}\t{hashlib.md5(data).hexdigest()}\t{len(data)}\treleased"
            )
        return "\n".join(lines) + "\n"

    def data_requests(self, file_id: str) -> list[str]:
        return [rng for method, path, rng in self.log if path == f"/data/{file_id}"]

    def matches(self, record: dict, filters: dict) -> bool:
        op = filters["op"]
        if op == "and":
            return all(self.matches(record, f) for f in filters["content"])
        if op == "in":
            field = filters["content"]["field"]
            value = record["file_id"] if field == "file_id" else _FIELD_OF[field](record)
            return value in filters["content"]["value"]
        raise ValueError(op)


def _handler(gdc: FakeGDC) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _json(self, obj: object) -> None:
            body = json.dumps(obj).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _files(self, params: dict) -> None:
            filters = params.get("filters") or {"op": "and", "content": []}
            if isinstance(filters, str):
                filters = json.loads(filters)
            hits = [r for r in gdc.records.values() if gdc.matches(r, filters)]
            start, size = int(params.get("from", 0)), int(params.get("size", 10))
            page = hits[start : start + size]
            self._json(
                {
                    "data": {"hits": page, "pagination": {"total": len(hits), "from": start, "size": size}},
                    "warnings": {},
                }
            )

        def do_POST(self) -> None:
            gdc.log.append(("POST", self.path, ""))
            length = int(self.headers.get("Content-Length", 0))
            params = json.loads(self.rfile.read(length) or b"{}")
            if urlparse(self.path).path.rstrip("/") == "/files":
                self._files(params)
            else:
                self.send_error(404)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            gdc.log.append(("GET", url.path, self.headers.get("Range", "")))
            if url.path.rstrip("/") == "/files":
                self._files({k: v[0] for k, v in parse_qs(url.query).items()})
                return
            match = re.fullmatch(r"/data/([\w-]+)", url.path)
            if not match or match.group(1) not in gdc.files:
                self.send_error(404)
                return
            file_id = match.group(1)
            with gdc.lock:
                fault = gdc.faults[file_id].popleft() if gdc.faults[file_id] else "ok"
            if fault == "404":
                self.send_error(404)
                return
            data = gdc.files[file_id]
            if fault == "corrupt":
                data = data[:100] + bytes([data[100] ^ 0x01]) + data[101:]
            elif fault == "long":
                data = data + b"extra bytes\n"
            start = 0
            range_header = self.headers.get("Range")
            if range_header:
                start = int(re.fullmatch(r"bytes=(\d+)-", range_header).group(1))
            body = data[start:]
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(body)))
            self.send_header(
                "Content-Disposition", f"attachment; filename={gdc.records[file_id]['file_name']}"
            )
            self.end_headers()
            if fault == "drop":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


def _records(meta_path: Path) -> list[dict]:
    records = json.loads(meta_path.read_text())
    for record in records:
        record.setdefault("cases", [{"project": {"project_id": "TCGA-LIHC"}}])
    return records


def start_fake_gdc(folder: Path, meta_path: Path):
    """Serve the GDC-layout ``folder`` (``<id>/<name>``) with records from ``meta_path``."""
    records = [r for r in _records(meta_path) if (folder / r["file_id"] / r["file_name"]).is_file()]
    files = {r["file_id"]: (folder / r["file_id"] / r["file_name"]).read_bytes() for r in records}
    gdc = FakeGDC(files, records)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gdc))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gdc.url = f"http://127.0.0.1:{server.server_address[1]}"
    return gdc, server


@pytest.fixture
def fake_gdc(test_data):
    """The fake GDC serving the three committed real miRNA files."""
    gdc, server = start_fake_gdc(
        test_data / "io" / "gdc_mirna", test_data / "io" / "metadata.LIHC.trimmed.json"
    )
    yield gdc
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_gdc_78(shared_data):
    """The fake GDC serving the 78 real miRNA files of ../shared/data."""
    lihc = shared_data / "tcga_lihc"
    gdc, server = start_fake_gdc(lihc / "gdc_mirna", lihc / "metadata.LIHC.json")
    yield gdc
    server.shutdown()
    server.server_close()


# --- SYNTHETIC GDC files (no STAR-Counts or SeSAMe file is in ../shared/data) -------------
# They follow the GDC formats exactly; values are random, barcodes are real LIHC patients.

STAR_GENES = [
    ("ENSG00000000003.15", "TSPAN6", "protein_coding"),
    ("ENSG00000000005.6", "TNMD", "protein_coding"),
    ("ENSG00000002586.20", "CD99", "protein_coding"),
    ("ENSG00000002586.20_PAR_Y", "CD99", "protein_coding"),
    ("ENSG00000091831.24", "ESR1", "protein_coding"),
    ("ENSG00000147257.14", "GPC3", "protein_coding"),
    ("ENSG00000019991.18", "HGF", "protein_coding"),
    ("ENSG00000228253.1", "MT-ATP8", "Mt_protein_coding"),
    ("ENSG00000285053.1", "TBCE", "protein_coding"),
    ("ENSG00000284770.2", "TBCE", "protein_coding"),
]
SYNTHETIC_BARCODES = [
    "TCGA-BC-A10Q-01A-11R-A131-07",
    "TCGA-EP-A2KA-01A-11R-A180-07",
    "TCGA-BC-A10Q-11A-11R-A131-07",
]


def _write_metadata(folder: Path, entries: list[tuple[str, str, str]]) -> Path:
    records = [
        {
            "file_id": file_id,
            "file_name": name,
            "associated_entities": [{"entity_submitter_id": barcode, "entity_type": "aliquot"}],
        }
        for file_id, name, barcode in entries
    ]
    path = folder / "metadata.json"
    path.write_text(json.dumps(records))
    return path


@pytest.fixture
def synthetic_star(tmp_path):
    """SYNTHETIC: three STAR - Counts files in GDC layout + metadata; returns (folder, metadata, counts)."""
    import numpy as np

    rng = np.random.default_rng(7)
    folder = tmp_path / "star"
    entries = []
    all_counts = []
    for k, barcode in enumerate(SYNTHETIC_BARCODES):
        counts = rng.integers(0, 5000, size=len(STAR_GENES)).astype(float)
        counts[3] = 0  # PAR_Y copies are 0 in GDC files
        lengths = rng.uniform(0.5, 5.0, size=len(STAR_GENES))
        rate = counts / lengths
        tpm = rate / rate.sum() * 1e6
        fpkm = counts / lengths / counts.sum() * 1e9
        lines = ["# gene-model: GENCODE v36", "\t".join(
            ["gene_id", "gene_name", "gene_type", "unstranded", "stranded_first", "stranded_second",
             "tpm_unstranded", "fpkm_unstranded", "fpkm_uq_unstranded"])]  # fmt: skip
        for name in ("N_unmapped", "N_multimapping", "N_noFeature", "N_ambiguous"):
            lines.append(
                f"{name}\t\t\t" + "\t".join(str(v) for v in rng.integers(1000, 9000, size=3)) + "\t\t\t"
            )
        for (gene_id, symbol, gtype), c, t, f in zip(STAR_GENES, counts, tpm, fpkm, strict=True):
            lines.append(
                f"{gene_id}\t{symbol}\t{gtype}\t{int(c)}\t{int(c) // 2}\t{int(c) - int(c) // 2}\t"
                f"{t:.4f}\t{f:.4f}\t{f * 1.3:.4f}"
            )
        file_id = f"00000000-0000-4000-8000-00000000000{k}"
        name = f"synthetic{k}.rna_seq.augmented_star_gene_counts.tsv"
        (folder / file_id).mkdir(parents=True)
        (folder / file_id / name).write_text("\n".join(lines) + "\n")
        entries.append((file_id, name, barcode))
        all_counts.append(counts)
    return folder, _write_metadata(tmp_path, entries), np.array(all_counts)


SESAME_PROBES = [
    "cg00000029",
    "cg00000108",
    "cg00000109",
    "cg00000165",
    "cg00000236",
    "cg00000289",
    "ch.1.1234R",
    "rs10796216",
]


@pytest.fixture
def synthetic_sesame(tmp_path):
    """SYNTHETIC: three SeSAMe beta files in GDC layout + metadata; returns (folder, metadata, betas)."""
    import numpy as np

    rng = np.random.default_rng(11)
    folder = tmp_path / "sesame"
    entries = []
    betas = rng.uniform(0, 1, size=(3, len(SESAME_PROBES)))
    betas[0, 2] = np.nan
    for k, barcode in enumerate(SYNTHETIC_BARCODES):
        barcode = barcode.replace("R-A131-07", "D-A13A-05")
        lines = [
            f"{p}\t{'NA' if np.isnan(b) else repr(float(b))}"
            for p, b in zip(SESAME_PROBES, betas[k], strict=True)
        ]
        file_id = f"10000000-0000-4000-8000-00000000000{k}"
        name = f"synthetic{k}.methylation_array.sesame.level3betas.txt"
        (folder / file_id).mkdir(parents=True)
        (folder / file_id / name).write_text("\n".join(lines) + "\n")
        entries.append((file_id, name, barcode))
    return folder, _write_metadata(tmp_path, entries), betas


# --- blood-panel reader fixtures (GEO series matrix, GPL table, qPCR/GeXP, wide CSV) ---------


@pytest.fixture(scope="session")
def blood_data(test_data) -> Path:
    """Folder with the GEO/qPCR/CSV reader fixtures (SYNTHETIC files and a real TCGA excerpt)."""
    return test_data / "blood"
