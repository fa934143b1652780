"""Inputs of a G2Vec run: expression (AnnData, a cohort modality or a table), labels, network, gene sets.

The authors' own file formats are read unchanged (github mathcom/G2Vec, manual):

* network: tab-separated ``src dest`` rows under a header (read as directed
  edges for the reference variant, as the authors' code walks them);
* clinical: ``PATIENT_BARCODE LABEL`` under a header, ``0`` = good and ``1`` =
  poor prognosis (:func:`read_labels`), matched to the expression's patients
  by barcode;
* expression: tab-separated genes × patients under a ``PATIENT <barcode> …``
  header (recognised because its columns are the labelled barcodes), or any
  patients × genes table.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator, Sequence

    import networkx as nx
    from anndata import AnnData

__all__ = ["G2VecInputs", "attach_labels", "read_expression", "read_g2vec_inputs", "read_labels"]

#: the authors' label codes
_LABEL_CODES = {"0": "good", "1": "poor"}


@dataclass(frozen=True)
class G2VecInputs:
    """What :func:`~omicsdl.g2vec.run_g2vec` needs, read from files (see :func:`read_g2vec_inputs`).

    Parameters
    ----------
    adata
        Patients × genes expression with the prognosis labels in ``obs[groupby]``.
    network
        The gene interaction network (its ``graph["read_report"]`` says how the file was read).
    groupby
        Column of ``adata.obs`` with the ``good``/``poor`` labels.
    gene_sets
        ``{collection: {set: genes}}`` for module enrichment; ``None`` means the shipped GO BP 2023.
    duration_key, event_key
        Survival columns of ``adata.obs`` (``None`` when the labels came without survival).
    """

    adata: AnnData
    network: nx.Graph
    groupby: str
    gene_sets: dict[str, dict[str, list[str]]] | None = None
    duration_key: str | None = "os_days"
    event_key: str | None = "os_event"


def read_g2vec_inputs(
    source: Literal["demo"] | None = None,
    *,
    expression: str | os.PathLike[str] | None = None,
    network: str | os.PathLike[str] | None = None,
    labels: str | os.PathLike[str] | None = None,
    variant: str = "reference",
    modality: str = "rna",
    log2: bool = False,
    network_format: str = "auto",
    id_map: str | os.PathLike[str] | None = None,
    on_corrupt: Literal["skip", "raise"] = "skip",
    groupby: str | None = None,
    horizon_days: float = 1095,
    duration_key: str = "os_days",
    event_key: str = "os_event",
    gene_sets: Sequence[str | os.PathLike[str]] | None = None,
) -> G2VecInputs:
    """Read and assemble the inputs of a G2Vec run (what ``omicsdl g2vec run`` reads).

    Parameters
    ----------
    source
        ``"demo"``: the embedded TCGA-LIHC mRNA with the shipped STRING subset
        (:func:`omicsdl.datasets.g2vec_demo`); ``None``: read ``expression`` and ``network``.
    expression
        Expression file, read with :func:`read_expression`.
    network
        Network file, read with :func:`omicsdl.io.read_network` (directed for
        the ``reference`` variant: rows walked as listed).
    labels
        The authors' clinical file (``PATIENT_BARCODE LABEL``, 0 = good, 1 =
        poor; :func:`read_labels`): the labels then come from it, matched to
        the expression's patients by barcode, and survival columns are optional.
    variant
        The G2Vec variant the inputs are for (decides how the network is read).
    modality
        Modality of a ``.h5mu`` cohort.
    log2
        Apply ``log2(x + 1)`` to the expression (counts).
    network_format
        Network layout (``"auto"``, ``"edgelist"``, ``"string"``, ``"humannet"``, ``"entrez"``).
    id_map
        Two-column ``entrez_id symbol`` file for Entrez-id networks.
    on_corrupt
        Corrupt network rows: ``"skip"`` and count them, or ``"raise"``.
    groupby
        ``obs`` column with good/poor labels; ``None`` derives ``obs["prognosis"]``
        from survival with :func:`omicsdl.survival.prognosis_labels` (or from ``labels``).
    horizon_days
        Survival horizon separating good from poor prognosis (when deriving labels).
    duration_key, event_key
        Survival time (days) and death indicator columns.
    gene_sets
        ``.gmt`` collections for module enrichment, named by their file names;
        ``None`` leaves the choice to :func:`run_g2vec` (GO BP 2023).

    Returns
    -------
    :class:`G2VecInputs`.

    Raises
    ------
    InputError
        ``demo`` together with files, or neither; unreadable files.
    """
    import omicsdl as od
    from omicsdl.g2vec._variants import variant_settings

    directed = variant_settings(variant).directed
    survival: tuple[str | None, str | None] = (duration_key, event_key)
    if source == "demo":
        if expression is not None or network is not None or labels is not None:
            msg = "`demo` takes no --expression/--network/--labels"
            raise InputError(msg, fix="drop `demo` to run on your files")
        adata, graph = od.datasets.g2vec_demo(horizon_days=horizon_days, directed=directed)
        label_key = "prognosis"
        survival = ("os_days", "os_event")
    elif source is not None:
        msg = f"unknown source {source!r}"
        raise InputError(msg, item="source", fix="give `demo`, or expression and network files")
    else:
        if expression is None or network is None:
            msg = "give `demo`, or both --expression and --network"
            raise InputError(msg, fix="see omicsdl g2vec run --help")
        label_table = read_labels(labels) if labels is not None else None
        adata = read_expression(
            expression,
            modality=modality,
            duration_key=duration_key,
            event_key=event_key,
            log2=log2,
            barcodes=None if label_table is None else label_table.index,
        )
        graph = od.io.read_network(
            network, format=network_format, id_map=id_map, on_corrupt=on_corrupt, directed=directed
        )
        label_key = groupby or "prognosis"
        if label_table is not None:
            attach_labels(adata, label_table, key=label_key, source=Path(labels))
            if not {duration_key, event_key} <= set(adata.obs.columns):
                survival = (None, None)
        elif groupby is None:
            adata.obs["prognosis"] = od.survival.prognosis_labels(
                adata.obs, horizon_days=horizon_days, duration_key=duration_key, event_key=event_key
            )
    sets = None
    if gene_sets:
        sets = {Path(p).name.split(".gmt")[0]: od.enrich.read_gmt(p) for p in gene_sets}
    return G2VecInputs(
        adata=adata,
        network=graph,
        groupby=label_key,
        gene_sets=sets,
        duration_key=survival[0],
        event_key=survival[1],
    )


def read_labels(path: str | os.PathLike[str]) -> pd.Series:
    """Read the authors' clinical file: ``PATIENT_BARCODE<TAB>LABEL`` rows under a header.

    Parameters
    ----------
    path
        The file: one header row, then one patient per row, label ``0`` (good
        prognosis) or ``1`` (poor); tabs or spaces between the two fields.

    Returns
    -------
    ``"good"``/``"poor"`` indexed by barcode.

    Raises
    ------
    InputError
        Missing file, a row without two fields, a label other than 0/1, or a
        barcode listed twice (each names its line).
    """
    path = Path(path)
    if not path.is_file():
        msg = "labels file not found"
        raise InputError(msg, source=path, fix="check the path")
    text = path.read_bytes().decode("utf-8", errors="replace")
    rows: dict[str, str] = {}
    seen_header = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not seen_header:
            seen_header = True
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) != 2:
            msg = f"expected two fields (PATIENT_BARCODE and LABEL), found {len(fields)}"
            raise InputError(msg, source=path, line=lineno, fix="one `barcode<TAB>0|1` row per patient")
        barcode, label = fields[0].strip(), fields[1].strip()
        if label not in _LABEL_CODES:
            msg = f"label {label!r} is not 0 (good prognosis) or 1 (poor)"
            raise InputError(msg, source=path, line=lineno, item=barcode, fix="use 0 or 1")
        if barcode in rows:
            msg = "patient listed twice"
            raise InputError(msg, source=path, line=lineno, item=barcode, fix="give each patient one row")
        rows[barcode] = _LABEL_CODES[label]
    if not rows:
        msg = "no labelled patient under the header"
        raise InputError(msg, source=path, fix="one `barcode<TAB>0|1` row per patient, after a header row")
    return pd.Series(rows, name="prognosis")


def _normalise_barcode(text: str) -> str:
    from omicsdl.io import patient_barcode

    try:
        return patient_barcode(str(text))
    except (InputError, ValueError):
        return str(text).strip()


def attach_labels(
    adata: AnnData, labels: pd.Series, *, key: str = "prognosis", source: Path | None = None
) -> None:
    """Write ``labels`` (from :func:`read_labels`) into ``adata.obs[key]``, matched by barcode.

    Barcodes are matched exactly; when none match, TCGA barcodes are compared
    at the patient level (12 characters, dots read as dashes). Patients without
    a label get none (G2Vec leaves them out); both counts are logged.

    Raises
    ------
    InputError
        No expression patient has a label.
    """
    import logging

    names = pd.Index(adata.obs_names.astype(str))
    matched = labels.reindex(names)
    if matched.isna().all():
        by_patient = {_normalise_barcode(b): v for b, v in labels.items()}
        matched = pd.Series([by_patient.get(_normalise_barcode(n)) for n in names], index=names, dtype=object)
    n_labelled = int(matched.notna().sum())
    if n_labelled == 0:
        msg = (
            f"no expression patient is in the labels file (expression e.g. {list(names[:3])}, "
            f"labels e.g. {list(labels.index[:3])})"
        )
        raise InputError(msg, source=source, fix="use the same patient barcodes in both files")
    logging.getLogger(__name__).info(
        "labels: %d of %d expression patients labelled (%d unlabelled, left out); %d labels unused",
        n_labelled,
        len(names),
        len(names) - n_labelled,
        len(labels) - n_labelled,
    )
    adata.obs[key] = pd.Categorical(matched.to_numpy(dtype=object), categories=["good", "poor"])


@contextlib.contextmanager
def _hdf5_errors(path: Path) -> Iterator[None]:
    """A file that is not a readable AnnData/MuData HDF5 file → one :class:`~omicsdl.InputError`."""
    try:
        yield
    except (OSError, KeyError, ValueError, TypeError) as err:
        msg = f"not a readable {path.suffix} file ({type(err).__name__}: {err})"
        raise InputError(
            msg, source=path, fix="pass a file written by anndata/mudata (or a CSV table)"
        ) from err


def read_expression(
    path: str | os.PathLike[str],
    *,
    modality: str = "rna",
    duration_key: str = "os_days",
    event_key: str = "os_event",
    log2: bool = False,
    barcodes: Sequence[str] | None = None,
) -> AnnData:
    """Read patients × genes expression with survival for G2Vec.

    Parameters
    ----------
    path
        ``.h5ad``; ``.h5mu`` (cohort: ``modality`` is taken and the cohort's
        ``.obs`` joined); or a ``.csv``/``.tsv`` table (optionally gzipped)
        with one row per patient, the patient id in the first column, the
        survival columns and one numeric column per gene, read with
        :func:`omicsdl.io.read_expression_csv`. Other non-numeric columns are
        ignored.
    modality
        Modality of a ``.h5mu`` cohort.
    duration_key, event_key
        Survival columns (copied to ``obs``; required for tables).
    log2
        Apply ``log2(x + 1)`` (for counts such as RSEM).
    barcodes
        Patients of a labels file: a table whose header holds them is read as
        genes × patients (the authors' expression layout), and the survival
        columns become optional.

    Returns
    -------
    AnnData with the expression in ``.X`` and survival in ``.obs``.
    """
    import anndata as ad

    path = Path(path)
    if not path.is_file():
        msg = "expression file not found"
        raise InputError(msg, source=path, fix="check the path")
    name = path.name.lower()
    if name.endswith(".h5ad"):
        with _hdf5_errors(path):
            adata = ad.read_h5ad(path)
    elif name.endswith(".h5mu"):
        import mudata as md

        with _hdf5_errors(path):
            mdata = md.read_h5mu(path)
        if modality not in mdata.mod:
            msg = f"cohort has no modality {modality!r}"
            raise InputError(msg, source=path, fix=f"choose one of {list(mdata.mod)}")
        from omicsdl.io import index_by_symbol

        adata = index_by_symbol(mdata[modality])  # gene symbols (ACAT1), not the cohort's rna:ACAT1
        adata.obs = adata.obs.join(mdata.obs.drop(columns=adata.obs.columns, errors="ignore"))
    elif any(name.endswith(s) for s in (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")):
        from omicsdl.io import read_expression_csv

        if barcodes is not None and _header_holds(path, barcodes):
            adata = read_expression_csv(path, orient="genes_rows")
            adata.X = np.asarray(adata.X, dtype=np.float32)
            return _log2(adata) if log2 else adata
        adata = read_expression_csv(path, obs_columns=[duration_key, event_key])
        missing = [k for k in (duration_key, event_key) if k not in adata.obs.columns]
        if missing and barcodes is None:  # labels from a labels file need no survival
            msg = f"survival column {missing[0]!r} is missing"
            raise InputError(msg, source=path, fix="name the columns with --duration-key/--event-key")
        if adata.n_vars == 0:
            msg = "no numeric gene column"
            raise InputError(msg, source=path, fix="one row per patient, one column per gene")
        present = [k for k in (duration_key, event_key) if k in adata.obs.columns]
        adata.obs = adata.obs[present].apply(pd.to_numeric, errors="coerce")
        adata.X = np.asarray(adata.X, dtype=np.float32)
    else:
        msg = "unknown expression file type"
        raise InputError(msg, source=path, fix="use .h5ad, .h5mu, .csv or .tsv")
    return _log2(adata) if log2 else adata


def _log2(adata: AnnData) -> AnnData:
    adata.X = np.log2(np.asarray(adata.X, dtype=np.float32) + 1.0)
    return adata


def _header_holds(path: Path, barcodes: Sequence[str]) -> bool:
    """Whether the table's header row names more of ``barcodes`` than its first column does."""
    import gzip

    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        header = handle.readline().rstrip("\r\n")
        first_column = [line.split("\t" if "\t" in line else ",", 1)[0].strip() for line in handle]
    wanted = {_normalise_barcode(b) for b in barcodes}
    sep = "\t" if "\t" in header else ","
    in_header = sum(_normalise_barcode(c) in wanted for c in header.split(sep)[1:])
    in_rows = sum(_normalise_barcode(c) in wanted for c in first_column)
    return in_header > in_rows
