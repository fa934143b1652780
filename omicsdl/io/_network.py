"""Gene–gene interaction networks into :class:`networkx.Graph`.

Four layouts are read, each line by line so that a damaged row is counted and
skipped (or refused, with ``on_corrupt="raise"``) instead of crashing the read:

``edgelist``
    ``gene1 gene2 [weight]`` separated by tabs or spaces, optional header.
``string``
    STRING exports as CSV with a header naming ``protein1``, ``protein2`` and
    ``score`` (or ``combined_score``) columns; an unnamed row-index column is
    ignored.
``humannet``
    HumanNet TSV: ``gene1 gene2 weight`` without a header.
``entrez``
    Integer Entrez gene ids, ``id1 id2 [weight]``; mapped to symbols with
    ``id_map`` (a ``{id: symbol}`` mapping or a two-column ``id symbol`` file).

The graph is undirected and simple: self-loops are dropped and duplicate edges
merged (keeping the largest weight), both counted. What happened is recorded in
``graph.graph["read_report"]`` (a :class:`NetworkReadReport` as a dict).
"""

from __future__ import annotations

import csv
import logging
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from omicsdl._core._errors import InputError
from omicsdl.io._text import read_bytes, read_text

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    import networkx as nx

__all__ = ["NetworkReadReport", "read_id_map", "read_network"]

logger = logging.getLogger(__name__)

NetworkFormat = Literal["auto", "edgelist", "string", "humannet", "entrez"]

# A gene name: printable ASCII without separators. Control or non-ASCII bytes mark a corrupt row.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@/+\-]*$")
_INT = re.compile(r"^[0-9]+$")
_KEEP_LINES = 20
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass
class NetworkReadReport:
    """What :func:`read_network` read, kept and skipped.

    Attributes
    ----------
    source
        The file read.
    format
        The layout used (after ``"auto"`` detection).
    n_rows
        Data rows seen (header excluded).
    n_corrupt
        Rows skipped as corrupt (field count differing from the first row's,
        non-ASCII or control bytes, bad gene name or id, non-numeric weight).
    corrupt_lines
        The first (up to 20) 1-based line numbers of corrupt rows.
    n_self_loops
        Rows joining a gene to itself (dropped).
    n_duplicates
        Rows repeating an edge already read (merged, largest weight kept).
    n_unmapped
        Rows dropped because an Entrez id had no symbol in ``id_map``.
    n_nodes, n_edges
        Size of the resulting graph.
    """

    source: str
    format: str
    n_rows: int = 0
    n_corrupt: int = 0
    corrupt_lines: list[int] = field(default_factory=list)
    n_self_loops: int = 0
    n_duplicates: int = 0
    n_unmapped: int = 0
    n_nodes: int = 0
    n_edges: int = 0


def _open_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped by content (one clear error for a missing, damaged or huge file)."""
    return read_bytes(path, what="network file")


_HEADER_WORDS = {"gene1", "gene_a", "genea", "gene", "source", "from", "node1", "protein1", "id1", "entrez1"}


def _looks_like_header(fields: list[str]) -> bool:
    """Tell whether a first row is a header: it names columns or its weight is not a number."""
    if fields and fields[0].strip().lower() in _HEADER_WORDS:
        return True
    if len(fields) >= 3:
        try:
            float(fields[2])
        except ValueError:
            return True
    return False


def _sniff(path: Path, first_line: str) -> str:
    low = first_line.lower()
    if "protein1" in low and "protein2" in low:
        return "string"
    fields = first_line.replace(",", "\t").split()
    if len(fields) >= 2 and _INT.match(fields[0]) and _INT.match(fields[1]):
        return "entrez"
    if path.name.lower().startswith("humannet"):
        return "humannet"
    return "edgelist"


def read_id_map(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a two-column ``id<TAB>symbol`` file (header optional) into a dict.

    Parameters
    ----------
    path
        Tab- or whitespace-separated file; gzip is detected. Lines starting with
        ``#`` are comments. A header is recognised when its first field is not an
        integer.

    Returns
    -------
    Mapping from id (as text) to gene symbol.
    """
    path = Path(path)
    text = read_text(path, what="id map")
    mapping: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) < 2:
            msg = "id map rows need two fields: id and symbol"
            raise InputError(msg, source=path, line=lineno)
        if lineno == 1 and not _INT.match(fields[0]):
            continue
        if mapping.get(fields[0], fields[1]) != fields[1]:
            msg = f"id {fields[0]} maps to both {mapping[fields[0]]!r} and {fields[1]!r}"
            raise InputError(msg, source=path, line=lineno, item=fields[0], fix="keep one symbol per id")
        mapping[fields[0]] = fields[1]
    if not mapping:
        msg = "id map is empty"
        raise InputError(msg, source=path, fix="give a file of `entrez_id<TAB>symbol` rows")
    return mapping


def read_network(
    path: str | os.PathLike[str],
    *,
    format: NetworkFormat = "auto",
    id_map: Mapping[str, str] | str | os.PathLike[str] | None = None,
    min_weight: float | None = None,
    on_corrupt: Literal["skip", "raise"] = "skip",
) -> nx.Graph:
    """Read a gene interaction network into an undirected :class:`networkx.Graph`.

    Parameters
    ----------
    path
        The network file (gzip is detected from its content).
    format
        ``"edgelist"``, ``"string"``, ``"humannet"``, ``"entrez"`` or
        ``"auto"`` (guessed from the header and the first row).
    id_map
        For ``"entrez"``: mapping or two-column file from Entrez id to gene
        symbol. Without it nodes keep their ids (as text).
    min_weight
        Keep only edges whose weight (STRING score, HumanNet weight) is at
        least this.
    on_corrupt
        ``"skip"`` (default): count damaged rows, log their first line numbers
        and go on. ``"raise"``: stop at the first damaged row with an
        :class:`~omicsdl.InputError` naming its line.

    Returns
    -------
    The graph; edge attribute ``weight`` (1.0 when the file has none) and
    ``graph.graph["read_report"]`` with the :class:`NetworkReadReport` fields.

    Raises
    ------
    InputError
        Missing file, unknown format, a damaged row with ``on_corrupt="raise"``,
        or a file without a single valid edge.

    Examples
    --------
    >>> import omicsdl as od
    >>> g = od.io.read_network(od.datasets.string_demo_network_path())
    >>> g.graph["read_report"]["n_corrupt"]
    0
    """
    import networkx as nx

    path = Path(path)
    if on_corrupt not in ("skip", "raise"):
        msg = f"on_corrupt must be 'skip' or 'raise', got {on_corrupt!r}"
        raise ValueError(msg)
    data = _open_bytes(path)
    lines = data.split(b"\n")
    first = next((ln for ln in lines if ln.strip()), b"").decode("utf-8", errors="replace")
    fmt = _sniff(path, first) if format == "auto" else format
    if fmt not in ("edgelist", "string", "humannet", "entrez"):
        msg = f"unknown network format {format!r}"
        raise InputError(msg, fix="use edgelist, string, humannet or entrez")
    mapping: Mapping[str, str] | None
    mapping = read_id_map(id_map) if isinstance(id_map, str | Path) else id_map
    report = NetworkReadReport(source=str(path), format=fmt)

    cols = (0, 1, 2)  # gene1, gene2, weight
    n_fields: tuple[int, ...] = (2, 3)
    start = 0
    if fmt == "string":
        try:
            header = next(csv.reader([first]))
        except csv.Error as err:
            msg = f"the STRING header is not a CSV row ({err})"
            raise InputError(msg, source=path, line=1, fix="pass the STRING CSV as downloaded") from err
        names = [h.strip().lower() for h in header]
        try:
            score_col = names.index("combined_score") if "combined_score" in names else names.index("score")
            cols = (names.index("protein1"), names.index("protein2"), score_col)
        except ValueError as err:
            msg = "STRING CSV header must name protein1, protein2 and score (or combined_score)"
            raise InputError(
                msg,
                source=path,
                line=1,
            ) from err
        n_fields = (len(names),)
        start = 1 + next(i for i, ln in enumerate(lines) if ln.strip())
    elif fmt == "humannet":
        n_fields = (3,)

    def corrupt(lineno: int, why: str) -> None:
        if on_corrupt == "raise":
            msg = f"corrupt network row ({why})"
            raise InputError(
                msg,
                source=path,
                line=lineno,
                fix="repair the file, or read with on_corrupt='skip' (--on-corrupt skip) to drop such rows",
            )
        report.n_corrupt += 1
        if len(report.corrupt_lines) < _KEEP_LINES:
            report.corrupt_lines.append(lineno)

    edges: dict[tuple[str, str], float] = {}
    header_checked = fmt == "string"
    for idx in range(start, len(lines)):
        raw = lines[idx].rstrip(b"\r")
        lineno = idx + 1
        if not raw.strip() or (raw.startswith(b"#") and not header_checked):
            continue  # blank lines anywhere; comments only above the first row
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            report.n_rows += 1
            corrupt(lineno, "non-ASCII bytes")
            continue
        if _CONTROL.search(text):
            report.n_rows += 1
            corrupt(lineno, "control characters")
            continue
        if fmt == "string":
            try:
                fields = next(csv.reader([text]))
            except csv.Error:
                report.n_rows += 1
                corrupt(lineno, "not a CSV row")
                continue
        else:
            fields = text.split("\t") if "\t" in text else text.split()
        if not header_checked:
            header_checked = True
            if _looks_like_header(fields):
                continue
            if fmt in ("edgelist", "entrez") and len(fields) in n_fields:
                n_fields = (len(fields),)  # every row has as many fields as the first
        report.n_rows += 1
        if len(fields) not in n_fields:
            corrupt(lineno, f"{len(fields)} fields, expected {' or '.join(map(str, n_fields))}")
            continue
        a, b = fields[cols[0]], fields[cols[1]]
        pattern = _INT if fmt == "entrez" else _NAME
        if not pattern.match(a) or not pattern.match(b):
            corrupt(lineno, f"bad gene {'id' if fmt == 'entrez' else 'name'} {a!r} / {b!r}")
            continue
        weight = 1.0
        if len(fields) > cols[2]:
            try:
                weight = float(fields[cols[2]])
            except ValueError:
                corrupt(lineno, f"weight {fields[cols[2]]!r} is not a number")
                continue
            if not math.isfinite(weight):
                corrupt(lineno, f"weight {fields[cols[2]]!r} is not a finite number")
                continue
        if min_weight is not None and weight < min_weight:
            continue
        if mapping is not None:
            sa, sb = mapping.get(a), mapping.get(b)
            if sa is None or sb is None:
                report.n_unmapped += 1
                continue
            a, b = sa, sb
        if a == b:
            report.n_self_loops += 1
            continue
        key = (a, b) if a < b else (b, a)
        if key in edges:
            report.n_duplicates += 1
            edges[key] = max(edges[key], weight)
        else:
            edges[key] = weight

    if not edges:
        msg = (
            f"no valid edge in the network ({report.n_rows} rows, {report.n_corrupt} corrupt, "
            f"{report.n_self_loops} self-loops, {report.n_unmapped} unmapped ids)"
        )
        raise InputError(
            msg,
            source=path,
            fix="check the format (--network-format) and, for Entrez ids, the id map",
        )
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in edges.items())
    report.n_nodes = graph.number_of_nodes()
    report.n_edges = graph.number_of_edges()
    if report.n_corrupt:
        logger.warning(
            "%s: skipped %d corrupt rows (first at lines %s)",
            path,
            report.n_corrupt,
            ", ".join(map(str, report.corrupt_lines[:5])),
        )
    if report.n_self_loops or report.n_duplicates:
        logger.info(
            "%s: dropped %d self-loops, merged %d duplicate edges",
            path,
            report.n_self_loops,
            report.n_duplicates,
        )
    graph.graph["read_report"] = asdict(report)
    return graph
