"""The fault corpus: bad inputs, model files and output paths, built from small valid files.

Every :class:`Fault` builds its files in a fresh folder and calls one public
reader, loader or CLI command. :func:`classify` runs it and names the outcome:

``clear_error``   :class:`~omicsdl.InputError` / :class:`~omicsdl.ModelFormatError`
                  (CLI: exit 2 with one message and no traceback)
``correct``       a result that passes the fault's check (or an expected exit status)
``silent_wrong``  a result where an error was due, or one that fails its check
``raw_error``     any other exception (a traceback for the user)
``hang``          more than :data:`TIME_LIMIT` seconds
``unbounded``     a :class:`MemoryError`

The corpus is built by code (``python -m tests._faults.run_corpus`` counts it);
only the small valid fixtures under ``tests/_data`` are committed.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

DATA = Path(__file__).resolve().parents[1] / "_data"
TIME_LIMIT = int(os.environ.get("OMICSDL_FAULT_TIME_LIMIT", "60"))
OUTCOMES = ("clear_error", "correct", "silent_wrong", "raw_error", "hang", "unbounded")


@dataclass(frozen=True)
class Fault:
    """One bad input: ``run(folder)`` builds it and calls the code under test."""

    target: str
    kind: str
    run: Callable[[Path], Any]
    expect: str = "error"  # "error": only a clear error is right; "either": a clear error or a checked result
    check: Callable[[Any], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.target}:{self.kind}"


class _Timeout(BaseException):
    pass


def classify(fault: Fault, folder: Path) -> tuple[str, str]:
    """Run ``fault`` in ``folder``; return ``(outcome, detail)``."""
    from omicsdl import InputError

    def alarm(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(TIME_LIMIT)
    try:
        result = fault.run(folder)
    except _Timeout:
        return "hang", f"more than {TIME_LIMIT} s"
    except MemoryError as err:
        return "unbounded", repr(err)[:200]
    except InputError as err:
        text = str(err)
        return ("clear_error", text[:200]) if text.strip() else ("raw_error", "empty message")
    except Exception as err:
        return "raw_error", f"{type(err).__name__}: {err}"[:300]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if isinstance(result, CliRun):
        return result.outcome(fault)
    if fault.expect == "error":
        return "silent_wrong", f"returned {type(result).__name__} where an error was due"
    if fault.check is not None:
        try:
            fault.check(result)
        except AssertionError as err:
            return "silent_wrong", f"check failed: {err}"[:300]
    return "correct", ""


# -- file mutations ------------------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _corrupt_gzip(data: bytes) -> bytes:
    raw = bytearray(_gz(data))
    middle = len(raw) // 2
    raw[middle : middle + 8] = b"\x00\xff" * 4
    return bytes(raw)


@dataclass(frozen=True)
class TextTarget:
    """A text reader and one valid file for it; :func:`text_faults` mutates the file."""

    name: str
    filename: str
    content: bytes
    call: Callable[[Path], Any]
    check: Callable[[Any], None]
    sep: str = "\t"
    value: tuple[int, int] = (1, 1)  # (line, field) of a numeric cell
    header_lines: int = 1
    gzip: bool = False
    expect: dict[str, str] = field(default_factory=dict)  # kind -> "error" / "either" overrides
    extra: dict[str, Callable[[bytes], bytes]] = field(default_factory=dict)  # more kinds


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _set_cell(data: bytes, line: int, column: int, value: bytes, sep: str) -> bytes:
    lines = _lines(data)
    cells = lines[line].split(sep.encode())
    cells[column] = value
    lines[line] = sep.encode().join(cells)
    return b"\n".join(lines)


def _mutations(t: TextTarget) -> dict[str, Callable[[bytes], bytes | None]]:
    s = t.sep.encode()
    line, col = t.value
    h = t.header_lines

    def cell(value: bytes) -> Callable[[bytes], bytes]:
        return lambda d: _set_cell(d, line, col, value, t.sep)

    def dup(d: bytes) -> bytes:
        lines = _lines(d)
        return b"\n".join([*lines[: h + 1], lines[h], *lines[h + 1 :]])

    def ragged(d: bytes) -> bytes:
        lines = _lines(d)
        lines[h] += s + b"1" + s + b"2"
        return b"\n".join(lines)

    def short(d: bytes) -> bytes:
        lines = _lines(d)
        lines[h] = s.join(lines[h].split(s)[:-1])
        return b"\n".join(lines)

    def non_utf8(d: bytes) -> bytes:
        lines = _lines(d)
        lines[h] = b"\xff\xfe" + lines[h]
        return b"\n".join(lines)

    return {
        "empty": lambda d: b"",
        "header_only": lambda d: b"\n".join(_lines(d)[:h]) + b"\n",
        "whitespace_only": lambda d: b"  \n\n \t\n",
        "wrong_delimiter": lambda d: d.replace(s, b";"),
        "non_utf8": non_utf8,
        "latin1_text": lambda d: d.replace(b"\n", "\n# caf\xe9\n".encode("latin-1"), 1) if h else non_utf8(d),
        "nul_byte": lambda d: d[: len(d) // 2] + b"\x00" + d[len(d) // 2 :],
        "long_line": lambda d: d + b"\n" + b"x" * (2**20 + 10) + b"\n",
        "binary_png": lambda d: PNG * 20,
        "crlf": lambda d: d.replace(b"\n", b"\r\n"),
        "bom": lambda d: b"\xef\xbb\xbf" + d,
        "nan_value": cell(b"nan"),
        "inf_value": cell(b"inf"),
        "negative_value": cell(b"-5"),
        "huge_value": cell(b"1e400"),
        "text_value": cell(b"n.d."),
        "duplicate_row": dup,
        "ragged_row": ragged,
        "short_row": short,
        "garbage_line": lambda d: d.rstrip(b"\n") + b"\ngarbage\n",
        "truncated_mid_line": lambda d: d.rstrip(b"\n")[:-3],
    }


def text_faults(t: TextTarget) -> list[Fault]:
    """The generic text faults of one reader (plus its own), each with its expected outcome."""
    valid_kinds = {"crlf", "bom", "gzip_ok", "truncated_mid_line"}
    faults = []

    def make(kind: str, build: Callable[[Path], Path], expect: str) -> Fault:
        def run(folder: Path) -> Any:
            return t.call(build(folder))

        return Fault(t.name, kind, run, expect, t.check)

    def writer(mutate: Callable[[bytes], bytes | None], *, compress: bool | None = None):
        def build(folder: Path) -> Path:
            path = folder / t.filename
            data = mutate(t.content)
            path.write_bytes(_gz(data) if (t.gzip if compress is None else compress) else data)
            return path

        return build

    for kind, mutate in {**_mutations(t), **t.extra}.items():
        expect = t.expect.get(kind, "either" if kind in valid_kinds else "error")
        faults.append(make(kind, writer(mutate), expect))
    faults.append(make("valid", writer(lambda d: d), "either"))
    faults.append(make("gzip_ok", writer(lambda d: d, compress=True), "either"))

    def raw(data_of: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
        def build(folder: Path) -> Path:
            path = folder / t.filename
            path.write_bytes(data_of(t.content))
            return path

        return build

    faults.append(make("truncated_gzip", raw(lambda d: _gz(d)[: max(12, len(_gz(d)) // 2)]), "error"))
    faults.append(make("corrupt_gzip", raw(_corrupt_gzip), "error"))
    faults.append(make("gzip_empty_member", raw(lambda d: _gz(b"")), "error"))
    faults.append(make("missing", lambda folder: folder / t.filename, "error"))

    def directory(folder: Path) -> Path:
        (folder / t.filename).mkdir()
        return folder / t.filename

    faults.append(make("directory", directory, "error"))
    return faults


# -- checks --------------------------------------------------------------------------------------


def _finite_x(adata: Any, *, allow_nan: bool = True, non_negative: bool = False) -> None:
    x = np.asarray(adata.X, dtype=float)
    assert x.size, "empty matrix"
    assert not np.isinf(x).any(), "infinite values passed"
    if not allow_nan:
        assert np.isfinite(x).all(), "NaN values passed"
    if non_negative:
        assert not (x[np.isfinite(x)] < 0).any(), "negative values passed"
    assert adata.obs_names.is_unique, "duplicated sample ids"
    assert adata.var_names.is_unique, "duplicated feature ids"


def _check_survival(frame: Any) -> None:
    assert len(frame), "no rows"
    days = frame["os_days"].to_numpy(dtype=float)
    assert not np.isinf(days).any(), "infinite durations"
    assert not (days[np.isfinite(days)] < 0).any(), "negative durations"
    assert frame.index.is_unique
    assert all(len(str(p)) == 12 for p in frame.index if str(p).startswith("TCGA")), "sample ids kept"
    tcga = [p for p in frame.index if str(p).startswith("TCGA")]
    assert len(tcga) >= len(frame) - 1, "TCGA patients switched to sample ids"


def _check_network(graph: Any) -> None:
    assert graph.number_of_edges() > 0
    weights = np.array([w for *_, w in graph.edges(data="weight")], dtype=float)
    assert np.isfinite(weights).all(), "non-finite edge weights"


def _check_gmt(sets: Any) -> None:
    assert sets, "no sets"
    for name, genes in sets.items():
        assert name and genes, "empty set"
        assert all("\ufffd" not in g for g in [name, *genes]), "replacement characters in names"


def _check_platform(series: Any) -> None:
    assert len(series) and series.index.is_unique
    assert all("\ufffd" not in str(i) for i in series.index)


def _check_geo(adata: Any) -> None:
    _finite_x(adata)
    assert all("\ufffd" not in str(s) for s in adata.obs_names), "U+FFFD in sample ids"


def _check_mrs(data: Any) -> None:
    fid = np.asarray(data.fid)
    assert fid.size and np.isfinite(fid).all(), "non-finite FID"
    assert (
        np.isfinite(data.dwell_s) and data.dwell_s > 0 and np.isfinite(data.field_mhz) and data.field_mhz > 0
    )


def _check_spins(spins: Any) -> None:
    assert spins
    for system in spins.values():
        for value in np.ravel([getattr(system, "shifts", [0]), getattr(system, "couplings", [0])]):
            assert np.isfinite(float(value)), "non-finite shift or coupling"


def _check_basis(basis: Any) -> None:
    assert basis.names and np.isfinite(np.asarray(basis.fids)).all()


# -- the text targets ----------------------------------------------------------------------------


def _survival_tsv() -> bytes:
    rng = np.random.default_rng(0)
    rows = ["sample\tos_days\tos_event"]
    for i in range(12):
        rows.append(f"TCGA-AB-{1000 + i}-01A\t{int(rng.integers(250, 3000))}\t{i % 2}")
    return ("\n".join(rows) + "\n").encode()


def _matrix_tsv(methylation: bool = False) -> bytes:
    rng = np.random.default_rng(1)
    genes = [f"G{j}" for j in range(6)]
    rows = ["sample\t" + "\t".join(genes)]
    for i in range(8):
        values = rng.uniform(0.05, 0.95, 6) if methylation else rng.uniform(0, 500, 6)
        rows.append(f"TCGA-AB-{2000 + i}-01\t" + "\t".join(f"{v:.4f}" for v in values))
    return ("\n".join(rows) + "\n").encode()


def _edges() -> bytes:
    genes = [f"G{j}" for j in range(8)]
    rows = ["gene1\tgene2\tweight"] + [f"{genes[j]}\t{genes[(j + 1) % 8]}\t0.{5 + j % 4}" for j in range(8)]
    return ("\n".join(rows) + "\n").encode()


def _string_csv() -> bytes:
    rows = ["protein1,protein2,combined_score"] + [f"G{j},G{(j + 1) % 8},{500 + j}" for j in range(8)]
    return ("\n".join(rows) + "\n").encode()


def _id_map() -> bytes:
    return ("entrez\tsymbol\n" + "".join(f"{100 + j}\tG{j}\n" for j in range(6))).encode()


def _raw_text() -> bytes:
    from omicsdl.mrs import MRSData, write_lcmodel_raw

    t = np.arange(64) * 5e-4
    fid = np.exp(2j * np.pi * 50 * t - t / 0.05)[None]
    buf = Path("/dev/null")
    del buf
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.RAW"
        write_lcmodel_raw(path, MRSData(fid=fid, dwell_s=5e-4, field_mhz=123.2))
        return path.read_bytes()


def _basis_text() -> bytes:
    n = 64
    t = np.arange(n) * 1e-3
    fid = np.exp(2j * np.pi * (3.0 - 4.68) * 123.2 * t - t / 0.05)
    spec = np.fft.fft(np.conj(fid))
    body = "\n".join(f" {v.real:14.6e} {v.imag:14.6e}" for v in spec)
    return (
        " $SEQPAR\n HZPPPM = 123.2,\n ECHOT = 30.0,\n SEQ = 'PRESS'\n $END\n"
        f" $BASIS1\n IDBASI = 'toy',\n BADELT = 0.001,\n NDATAB = {n}\n $END\n"
        f" $BASIS\n ID = 'X',\n METABO = 'X',\n CONC = 1.\n $END\n{body}\n"
    ).encode()


def text_targets() -> list[TextTarget]:
    """Every text reader of the area, each with one small valid file."""
    import omicsdl as od
    from omicsdl.blood import read_blood_expression
    from omicsdl.mrs import read_lcmodel_basis, read_lcmodel_raw, read_vespa_spin_systems

    geo = gzip.decompress((DATA / "blood" / "SYNTHETIC_GSE000000_series_matrix.txt.gz").read_bytes())
    geo_line = next(i for i, ln in enumerate(_lines(geo)) if ln.startswith(b'"SYN_0001_at"'))
    platform = (DATA / "blood" / "SYNTHETIC_GPL000000_platform.txt").read_bytes()
    qpcr = (DATA / "blood" / "SYNTHETIC_gexp_ct_long.tsv").read_bytes()
    wide = (DATA / "blood" / "SYNTHETIC_panel_wide.csv").read_bytes()
    gmt = b"\n".join(_lines((DATA / "g2vec" / "hallmark_excerpt.gmt").read_bytes())[:4]) + b"\n"
    vespa = (DATA / "mrs" / "VeSPA_metabolites.json").read_bytes()
    basis_line = _lines(_basis_text()).index(b" $END", 12) + 1
    either = "either"
    # read_network skips and counts damaged rows (on_corrupt="skip"): a graph of the good rows is right
    skipped = ("nan_value", "inf_value", "negative_value", "huge_value", "text_value", "duplicate_row",
               "ragged_row", "short_row", "garbage_line", "non_utf8", "latin1_text", "nul_byte", "long_line")  # fmt: skip
    network_rows = dict.fromkeys(skipped, either)

    def non_tcga(d: bytes) -> bytes:
        return d.rstrip(b"\n") + b"\nPATIENT-X\t400\t1\n"

    def bad_event(d: bytes) -> bytes:
        return _set_cell(d, 2, 2, b"2", "\t")

    def beta_above_one(d: bytes) -> bytes:
        return _set_cell(d, 1, 1, b"1.5", "\t")

    def absurd_duration(d: bytes) -> bytes:
        return _set_cell(d, 1, 1, b"9e15", "\t")

    def geo_bad_sample(d: bytes) -> bytes:
        return d.replace(b'"GSM900001"', b'"GSM90\xff0001"')

    def geo_no_table(d: bytes) -> bytes:
        return b"\n".join(ln for ln in _lines(d) if not ln.startswith(b"!series_matrix_table"))

    def json_nan(d: bytes) -> bytes:
        doc = json.loads(d)
        entry = next(e for e in doc.values() if isinstance(e, dict) and e.get("spins"))
        entry["spins"][0][1] = float("nan")
        return json.dumps(doc).encode()

    return [
        TextTarget(
            "io.read_survival",
            "survival.tsv",
            _survival_tsv(),
            od.io.read_survival,
            _check_survival,
            value=(1, 1),
            expect={"nan_value": either, "duplicate_row": either, "garbage_line": either},
            extra={
                "non_tcga_row": non_tcga,
                "bad_event": bad_event,
                "absurd_duration": absurd_duration,
            },
        ),
        TextTarget(
            "io.read_matrix",
            "rna.tsv",
            _matrix_tsv(),
            lambda p: od.io.read_matrix(p, modality="rna"),
            lambda a: _finite_x(a, non_negative=True),
            expect={"nan_value": either, "duplicate_row": "error"},
        ),
        TextTarget(
            "io.read_matrix[methylation]",
            "meth.tsv",
            _matrix_tsv(methylation=True),
            lambda p: od.io.read_matrix(p, modality="methylation"),
            _finite_x,
            expect={"nan_value": either},
            extra={"beta_above_one": beta_above_one},
        ),
        TextTarget(
            "io.read_network",
            "edges.tsv",
            _edges(),
            od.io.read_network,
            _check_network,
            value=(1, 2),
            expect=network_rows,
        ),
        TextTarget(
            "io.read_network[string]",
            "string.csv",
            _string_csv(),
            lambda p: od.io.read_network(p, format="string"),
            _check_network,
            sep=",",
            value=(1, 2),
            expect=network_rows,
        ),
        TextTarget(
            "io.read_id_map",
            "ids.tsv",
            _id_map(),
            od.io.read_id_map,
            lambda m: (
                None
                if m and all("\ufffd" not in v for v in m.values())
                else (_ for _ in ()).throw(AssertionError("bad map"))
            ),
            value=(1, 0),
            expect={
                k: either
                for k in (
                    "nan_value",
                    "inf_value",
                    "negative_value",
                    "huge_value",
                    "text_value",
                    "ragged_row",
                    "wrong_delimiter",
                    "duplicate_row",
                )
            },
        ),
        TextTarget(
            "io.read_geo_series_matrix",
            "GSE0_series_matrix.txt.gz",
            geo,
            od.io.read_geo_series_matrix,
            _check_geo,
            value=(geo_line, 1),
            header_lines=geo_line,
            gzip=True,
            expect={"nan_value": either, "negative_value": either},
            extra={"bad_sample_bytes": geo_bad_sample, "no_table": geo_no_table},
        ),
        TextTarget(
            "io.read_geo_platform",
            "GPL0.txt",
            platform,
            od.io.read_geo_platform,
            _check_platform,
            value=(5, 3),
            header_lines=4,
            expect={
                k: either
                for k in (
                    "nan_value",
                    "inf_value",
                    "negative_value",
                    "huge_value",
                    "text_value",
                    "ragged_row",
                    "short_row",
                    "garbage_line",
                )
            },
        ),
        TextTarget(
            "io.read_qpcr_table",
            "ct_long.tsv",
            qpcr,
            lambda p: od.io.read_qpcr_table(p, value_col="ct", reference_genes=["ACTB", "GAPDH"]),
            _finite_x,
            value=(2, 2),
            header_lines=2,
            expect={"nan_value": either, "text_value": "error"},
        ),
        TextTarget(
            "io.read_expression_csv",
            "wide.csv",
            wide,
            od.io.read_expression_csv,
            lambda a: (
                _finite_x(a),
                None if a.n_vars == 9 else (_ for _ in ()).throw(AssertionError(f"{a.n_vars} genes")),
            ),
            sep=",",
            value=(1, 1),
            expect={"nan_value": either, "negative_value": either},
        ),
        TextTarget(
            "blood.read_blood_expression",
            "panel.csv",
            wide,
            read_blood_expression,
            _finite_x,
            sep=",",
            value=(1, 2),
            expect={"nan_value": either, "negative_value": either},
        ),
        TextTarget(
            "enrich.read_gmt",
            "sets.gmt",
            gmt,
            od.enrich.read_gmt,
            _check_gmt,
            value=(0, 2),
            header_lines=0,
            expect={
                k: either
                for k in (
                    "nan_value",
                    "inf_value",
                    "negative_value",
                    "huge_value",
                    "text_value",
                    "duplicate_row",
                    "ragged_row",
                    "short_row",
                    "header_only",
                    "wrong_delimiter",
                )
            },
        ),
        TextTarget(
            "mrs.read_lcmodel_raw",
            "x.RAW",
            _raw_text(),
            lambda p: read_lcmodel_raw(p, dwell_s=5e-4, field_mhz=123.2),
            _check_mrs,
            sep=" ",
            value=(_lines(_raw_text()).index(b" $END") + 1, 1),
            header_lines=_lines(_raw_text()).index(b" $END") + 1,
            expect={
                "negative_value": either,
                "duplicate_row": either,
                "wrong_delimiter": either,
                "ragged_row": either,
            },
        ),
        TextTarget(
            "mrs.read_lcmodel_basis",
            "toy.BASIS",
            _basis_text(),
            read_lcmodel_basis,
            _check_basis,
            sep=" ",
            value=(basis_line, 1),
            header_lines=basis_line,
            expect={"negative_value": either, "wrong_delimiter": either},
        ),
        TextTarget(
            "mrs.read_vespa_spin_systems",
            "spins.json",
            vespa,
            read_vespa_spin_systems,
            _check_spins,
            sep=",",
            value=(0, 0),
            header_lines=0,
            expect={k: either for k in ("negative_value", "crlf", "duplicate_row", "header_only")},
            extra={"json_nan": json_nan},
        ),
    ]


# -- clinical XML --------------------------------------------------------------------------------


def xml_faults() -> list[Fault]:
    """BCR clinical XML: malformed, hostile and impossible-survival files."""
    import omicsdl as od

    src = next((DATA / "io" / "gdc_clinical_xml").rglob("*TCGA-EP-A2KA.xml"))
    good = src.read_bytes()
    name = src.name
    dead = good.replace(b">Alive</clin_shared:vital_status>", b">Dead</clin_shared:vital_status>", 1)

    def death(days: bytes) -> bytes:
        return dead.replace(
            b'cde_ver="1.000"/>', b'cde_ver="1.000">' + days + b"</clin_shared:days_to_death>", 1
        )

    def followup(days: bytes) -> bytes:
        return good.replace(
            b">111</clin_shared:days_to_last_followup>",
            b">" + days + b"</clin_shared:days_to_last_followup>",
            1,
        )

    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;">' + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(3, 10)
        ) + b']>\n<lolz>&lol9;</lolz>\n'
    )  # fmt: skip
    external = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<x>&e;</x>\n'
    variants: dict[str, tuple[bytes, str]] = {
        "valid": (good, "either"),
        "empty": (b"", "error"),
        "truncated": (good[: len(good) // 2], "error"),
        "not_xml": (b"patient,days\nA,1\n", "error"),
        "other_xml": (b'<?xml version="1.0"?><root><a>1</a></root>', "error"),
        "binary_png": (PNG * 10, "error"),
        "non_utf8": (good.replace(b"TCGA-EP-A2KA", b"TCGA-EP-\xff2KA", 1), "error"),
        "nul_byte": (good[:200] + b"\x00" + good[200:], "error"),
        "billion_laughs": (laughs, "error"),
        "external_entity": (external, "error"),
        "death_nan": (death(b"NaN"), "error"),
        "death_inf": (death(b"inf"), "error"),
        "death_negative": (death(b"-30"), "error"),
        "death_absurd": (death(b"99999999"), "error"),
        "death_text": (death(b"soon"), "error"),
        "followup_nan": (followup(b"nan"), "error"),
        "followup_negative": (followup(b"-4"), "error"),
        "followup_huge": (followup(b"1e300"), "error"),
        "gzip_ok": (_gz(good), "either"),
        "corrupt_gzip": (_corrupt_gzip(good), "error"),
        "truncated_gzip": (_gz(good)[:300], "error"),
        "crlf": (good.replace(b"\n", b"\r\n"), "either"),
    }

    def check(frame: Any) -> None:
        _check_survival(frame)
        assert set(frame.index) == {"TCGA-EP-A2KA"}

    faults = []
    for kind, (data, expect) in variants.items():

        def run(folder: Path, data: bytes = data) -> Any:
            (folder / name).write_bytes(data)
            return od.io.read_tcga_clinical_xml(folder / name)

        faults.append(Fault("io.read_tcga_clinical_xml", kind, run, expect, check))

    def empty_folder(folder: Path) -> Any:
        (folder / "d").mkdir()
        return od.io.read_tcga_clinical_xml(folder / "d")

    def missing(folder: Path) -> Any:
        return od.io.read_tcga_clinical_xml(folder / name)

    def twice(folder: Path) -> Any:
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        (folder / "a" / name).write_bytes(good)
        (folder / "b" / name).write_bytes(good)
        return od.io.read_tcga_clinical_xml(folder)

    faults += [
        Fault("io.read_tcga_clinical_xml", "empty_folder", empty_folder),
        Fault("io.read_tcga_clinical_xml", "missing", missing),
        Fault("io.read_tcga_clinical_xml", "duplicate_patient", twice),
    ]
    return faults


# -- binary MRS readers --------------------------------------------------------------------------


def _fid(n: int = 64) -> np.ndarray:
    t = np.arange(n) * 5e-4
    return np.exp(2j * np.pi * 50 * t - t / 0.05)


def _npz_bytes(fid: np.ndarray | None = None, **extra: Any) -> bytes:
    fid = _fid()[None] if fid is None else fid
    buf = io.BytesIO()
    arrays = {"fid": fid, "dwell_s": np.float64(5e-4), "field_mhz": np.float64(123.2), **extra}
    np.savez(buf, **arrays)
    return buf.getvalue()


def _valid_npz() -> bytes:
    import tempfile

    from omicsdl.mrs import MRSData, write_mrs_npz

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.npz"
        write_mrs_npz(path, MRSData(fid=_fid()[None], dwell_s=5e-4, field_mhz=123.2))
        return path.read_bytes()


def _rda(vector: int = 64, data: bytes | None = None, extra: str = "") -> bytes:
    fid = _fid(64)
    header = (
        ">>> Begin of header <<<\r\nPatientName: SYNTHETIC\r\nTE: 30.000000\r\nMRFrequency: 123.251000\r\n"
        f"DwellTime: 500\r\nVectorSize: {vector}\r\n{extra}"
        "CSIMatrixSize[0]: 1\r\nCSIMatrixSize[1]: 1\r\nCSIMatrixSize[2]: 1\r\n"
        ">>> End of header <<<\r\n"
    ).encode("latin-1")
    body = np.stack([fid.real, fid.imag], 1).astype("<f8").tobytes() if data is None else data
    return header + body


def _nifti(fid: np.ndarray, dwell: float, meta: dict[str, Any], dims: tuple[int, ...] | None = None) -> bytes:
    import struct

    n = fid.size
    ext = json.dumps(meta).encode()
    ext += b"\x00" * (-(len(ext) + 8) % 16)
    esize = len(ext) + 8
    hdr = bytearray(540)
    struct.pack_into("<i", hdr, 0, 540)
    hdr[4:12] = b"n+2\x00\r\n\x1a\n"
    struct.pack_into("<h", hdr, 12, 32)
    struct.pack_into("<h", hdr, 14, 64)
    struct.pack_into("<8q", hdr, 16, *(dims or (4, 1, 1, 1, n, 1, 1, 1)))
    struct.pack_into("<8d", hdr, 104, 1, 1, 1, 1, dwell, 1, 1, 1)
    struct.pack_into("<q", hdr, 168, 540 + 4 + esize)
    body = bytes(hdr) + b"\x01\x00\x00\x00" + struct.pack("<ii", esize, 44) + ext
    return body + fid.astype(np.complex64).tobytes()


def mrs_binary_faults() -> list[Fault]:
    """``.npz``, Siemens ``.rda`` and NIfTI-MRS spectra through :func:`omicsdl.mrs.read_mrs`."""
    from omicsdl.mrs import read_mrs

    meta = {"SpectrometerFrequency": [123.2], "EchoTime": 0.03}
    nan_fid = _fid()
    nan_fid[3] = np.nan
    npz = _valid_npz()
    variants: dict[str, tuple[str, bytes, str]] = {
        "npz_valid": ("s.npz", npz, "either"),
        "npz_empty": ("s.npz", b"", "error"),
        "npz_truncated": ("s.npz", npz[: len(npz) // 2], "error"),
        "npz_garbage": ("s.npz", b"PK\x03\x04" + b"\x00" * 200, "error"),
        "npz_png": ("s.npz", PNG * 5, "error"),
        "npz_pickle_object": ("s.npz", _npz_bytes(extra={"names": np.array([{"a": 1}], dtype=object)}), "error"),
        "npz_nan_fid": ("s.npz", _npz_bytes(nan_fid[None]), "error"),
        "npz_no_fid": ("s.npz", _npz_bytes(extra={}).replace(b"fid.npy", b"xyz.npy"), "error"),
        "npz_negative_dwell": ("s.npz", _npz_bytes(extra={"dwell_s": np.float64(-1.0)}), "error"),
        "npz_text_fid": ("s.npz", _npz_bytes(np.array(["a", "b"])), "error"),
        "rda_valid": ("x.rda", _rda(), "either"),
        "rda_empty": ("x.rda", b"", "error"),
        "rda_header_only": ("x.rda", _rda(data=b""), "error"),
        "rda_short": ("x.rda", _rda()[:-100], "error"),
        "rda_huge_vector": ("x.rda", _rda(vector=10**12), "error"),
        "rda_negative_vector": ("x.rda", _rda(vector=-5), "error"),
        "rda_nan_data": ("x.rda", _rda(data=np.full(128, np.nan).tobytes()), "error"),
        "rda_text_field": ("x.rda", _rda(extra="MRFrequency: fast\r\n"), "error"),
        "rda_no_header_end": ("x.rda", _rda().replace(b">>> End of header <<<", b""), "error"),
        "rda_png": ("x.rda", PNG * 5, "error"),
        "nifti_valid": ("x.nii", _nifti(_fid(), 5e-4, meta), "either"),
        "nifti_short": ("x.nii", b"\x00" * 10, "error"),
        "nifti_truncated_data": ("x.nii", _nifti(_fid(), 5e-4, meta)[:-64], "error"),
        "nifti_huge_dims": ("x.nii", _nifti(_fid(), 5e-4, meta, dims=(4, 1, 1, 1, 2**40, 1, 1, 1)), "error"),
        "nifti_negative_dims": ("x.nii", _nifti(_fid(), 5e-4, meta, dims=(4, 1, 1, 1, -64, 1, 1, 1)), "error"),
        "nifti_zero_dwell": ("x.nii", _nifti(_fid(), 0.0, meta), "error"),
        "nifti_nan_dwell": ("x.nii", _nifti(_fid(), float("nan"), meta), "error"),
        "nifti_nan_fid": ("x.nii", _nifti(nan_fid, 5e-4, meta), "error"),
        "nifti_bad_json": ("x.nii", _nifti(_fid(), 5e-4, meta).replace(b"EchoTime", b"EchoTime\xff", 1), "error"),
        "nifti_gz_corrupt": ("x.nii.gz", _corrupt_gzip(_nifti(_fid(), 5e-4, meta)), "error"),
        "nifti_gz_ok": ("x.nii.gz", _gz(_nifti(_fid(), 5e-4, meta)), "either"),
        "unknown_suffix": ("x.dat", npz, "error"),
        "npz_named_rda": ("x.rda", npz, "error"),
    }  # fmt: skip
    faults = []
    for kind, (filename, data, expect) in variants.items():

        def run(folder: Path, filename: str = filename, data: bytes = data) -> Any:
            (folder / filename).write_bytes(data)
            return read_mrs(folder / filename)

        faults.append(Fault("mrs.read_mrs", kind, run, expect, _check_mrs))
    for kind in ("missing", "directory"):

        def run(folder: Path, kind: str = kind) -> Any:
            path = folder / "s.npz"
            if kind == "directory":
                path.mkdir()
            return read_mrs(path)

        faults.append(Fault("mrs.read_mrs", kind, run))
    return faults


# -- model loaders -------------------------------------------------------------------------------


def _resum(folder: Path) -> None:
    """Recompute every checksum in ``folder/model.json`` (a consistent but hostile model)."""
    from omicsdl._core._base import _meta_digest, file_sha256

    meta = json.loads((folder / "model.json").read_text())
    meta["files"] = {name: file_sha256(folder / name) for name in meta["files"]}
    meta["sha256"] = _meta_digest(meta)
    (folder / "model.json").write_text(json.dumps(meta))


def _edit_weights(folder: Path, edit: Callable[[dict[str, np.ndarray]], None]) -> None:
    from safetensors.numpy import load_file, save_file

    arrays = dict(load_file(str(folder / "model.safetensors")))
    edit(arrays)
    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(folder / "model.safetensors"))
    _resum(folder)


def _first_float(arrays: dict[str, np.ndarray]) -> str:
    return next(k for k, v in sorted(arrays.items()) if v.dtype.kind == "f" and v.size)


def _set_nan(arrays: dict[str, np.ndarray]) -> None:
    key = _first_float(arrays)
    value = arrays[key].astype(arrays[key].dtype, copy=True)
    value.flat[0] = np.nan
    arrays[key] = value


def _reshape(arrays: dict[str, np.ndarray]) -> None:
    key = next(k for k, v in sorted(arrays.items()) if v.size > 1)
    arrays[key] = np.concatenate([arrays[key].ravel(), arrays[key].ravel()[:1]])


def _drop(arrays: dict[str, np.ndarray]) -> None:
    del arrays[sorted(arrays)[0]]


def _edit_meta(folder: Path, edit: Callable[[dict[str, Any]], None], *, resum: bool) -> None:
    meta = json.loads((folder / "model.json").read_text())
    edit(meta)
    (folder / "model.json").write_text(json.dumps(meta))
    if resum:
        _resum(folder)


def _huge_param(meta: dict[str, Any]) -> None:
    params = meta["params"]
    for key in ("hidden_sizes", "dim", "latent_dim", "n_filters", "n_neighbors"):
        if key in params and params[key] is not None:
            value = params[key]
            params[key] = [10**7] * len(value) if isinstance(value, list) else 10**7
            return
    params[next(iter(params))] = 10**7


def _bad_state(meta: dict[str, Any]) -> None:
    state = meta["state"]
    for key, value in state.items():
        if isinstance(value, float | int) and not isinstance(value, bool):
            state[key] = "abc"
            return
        if isinstance(value, list) and value:
            state[key] = value[::-1][:-1] if len(value) > 1 else []
            return
    meta["state"] = {"unexpected": 1}


def loader_faults(
    models: dict[str, Callable[[Path], Path]], same_output: dict[str, Callable[[Any], None]]
) -> list[Fault]:
    """Faults of every model folder.

    ``models[name](folder)`` saves a valid model and returns its path;
    ``same_output[name](model)`` asserts that a loaded model computes what the
    saved one did (a hyperparameter edit that changes nothing is not a wrong result).
    """

    def cls_of(name: str) -> type:
        import omicsdl.blood
        import omicsdl.g2vec
        import omicsdl.mrs
        import omicsdl.pp
        import omicsdl.subtypes

        for mod in (omicsdl.blood, omicsdl.g2vec, omicsdl.mrs, omicsdl.pp, omicsdl.subtypes):
            if hasattr(mod, name):
                return getattr(mod, name)
        raise KeyError(name)

    def weights_exist(p: Path) -> bool:
        return (p / "model.safetensors").is_file()

    edits: dict[str, tuple[Callable[[Path], None], str]] = {
        "valid": (lambda p: None, "either"),
        "missing_folder": (lambda p: __import__("shutil").rmtree(p), "error"),
        "folder_is_file": (lambda p: (__import__("shutil").rmtree(p), p.write_text("x")), "error"),
        "no_model_json": (lambda p: (p / "model.json").unlink(), "error"),
        "model_json_empty": (lambda p: (p / "model.json").write_text(""), "error"),
        "model_json_not_json": (lambda p: (p / "model.json").write_text("{not json"), "error"),
        "model_json_list": (lambda p: (p / "model.json").write_text("[1, 2]"), "error"),
        "model_json_non_utf8": (lambda p: (p / "model.json").write_bytes(b'{"a": "\xff"}'), "error"),
        "model_json_nan": (lambda p: _edit_meta(p, lambda m: m["params"].update(x=float("nan")), resum=False), "error"),
        "edited_without_checksum": (lambda p: _edit_meta(p, _bad_state, resum=False), "error"),
        "wrong_format": (lambda p: _edit_meta(p, lambda m: m.update(format="omicsdl.Other"), resum=True), "error"),
        "newer_version": (lambda p: _edit_meta(p, lambda m: m.update(format_version=99), resum=True), "error"),
        "unknown_param": (lambda p: _edit_meta(p, lambda m: m["params"].update(bogus=1), resum=True), "error"),
        "huge_dimension": (lambda p: _edit_meta(p, _huge_param, resum=True), "either"),
        "bad_state_resummed": (lambda p: _edit_meta(p, _bad_state, resum=True), "error"),
        "weights_missing": (lambda p: (p / "model.safetensors").unlink() if weights_exist(p) else (p / "model.json").unlink(), "error"),
        "weights_truncated": (lambda p: (p / "model.safetensors").write_bytes((p / "model.safetensors").read_bytes()[:40]) if weights_exist(p) else (p / "model.json").write_text("{}"), "error"),
        "weights_garbage_resummed": (lambda p: ((p / "model.safetensors").write_bytes(b"\xff" * 64), _resum(p)) if weights_exist(p) else _edit_meta(p, _bad_state, resum=True), "error"),
        "weights_huge_header_resummed": (lambda p: ((p / "model.safetensors").write_bytes((2**62).to_bytes(8, "little") + b"{}"), _resum(p)) if weights_exist(p) else _edit_meta(p, _huge_param, resum=True), "error"),
        "weights_nan_resummed": (lambda p: _edit_weights(p, _set_nan) if weights_exist(p) else _edit_meta(p, _bad_state, resum=True), "error"),
        "weights_reshaped_resummed": (lambda p: _edit_weights(p, _reshape) if weights_exist(p) else _edit_meta(p, _huge_param, resum=True), "error"),
        "weights_array_dropped_resummed": (lambda p: _edit_weights(p, _drop) if weights_exist(p) else _edit_meta(p, _bad_state, resum=True), "error"),
        "weights_symlink": (lambda p: _symlink_weights(p), "error"),
    }  # fmt: skip
    faults = []
    for name, save in models.items():
        for kind, (edit, expect) in edits.items():

            def run(folder: Path, save: Callable[[Path], Path] = save, edit=edit, name: str = name) -> Any:
                path = save(folder)
                edit(path)
                return cls_of(name).load(path)

            faults.append(Fault(f"load:{name}", kind, run, expect, same_output[name]))
    return faults


def _symlink_weights(p: Path) -> None:
    target = p.parent / "outside.bin"
    if (p / "model.safetensors").is_file():
        (p / "model.safetensors").replace(target)
        (p / "model.safetensors").symlink_to(target)
    else:
        (p / "model.json").replace(target)
        (p / "model.json").symlink_to(target)


# -- CLI -----------------------------------------------------------------------------------------


@dataclass
class CliRun:
    """What one ``omicsdl`` command did: exit status, stderr and the expected outcome."""

    status: int
    stderr: str
    want: str  # "error" (exit 2, one message), "ok" (exit 0), "interrupt" (exit 130)
    verify: Callable[[], None] | None = None

    def outcome(self, fault: Fault) -> tuple[str, str]:
        if "Traceback" in self.stderr:
            return "raw_error", self.stderr[-300:]
        if self.status == 2:
            lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
            one = len(lines) <= 3 and lines and "error:" in lines[0]
            if not one:
                return "raw_error", f"exit 2 without one clear message: {self.stderr[-200:]!r}"
            if self.want != "error":
                return "silent_wrong" if self.want == "ok" else "clear_error", self.stderr[:200]
            return "clear_error", self.stderr[:200]
        if self.want == "error":
            return "silent_wrong", f"exit {self.status} where a refusal was due: {self.stderr[-200:]!r}"
        wanted = {"ok": 0, "interrupt": 130}[self.want]
        if self.status != wanted:
            return "raw_error", f"exit {self.status}, expected {wanted}: {self.stderr[-200:]!r}"
        if self.verify is not None:
            try:
                self.verify()
            except AssertionError as err:
                return "silent_wrong", f"check failed: {err}"[:300]
        return "correct", ""


def run_cli(argv: list[str], want: str, verify: Callable[[], None] | None = None) -> CliRun:
    """Run ``omicsdl argv`` in this process and capture its status and stderr."""
    from omicsdl.cli import main

    err = io.StringIO()
    out = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            status = main(argv)
        except SystemExit as exc:
            status = int(exc.code or 0)
    return CliRun(int(status), err.getvalue(), want, verify)
