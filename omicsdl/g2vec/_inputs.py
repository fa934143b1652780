"""Inputs of a G2Vec run: expression (AnnData, a cohort modality or a table), labels, network, gene sets."""

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

__all__ = ["G2VecInputs", "read_expression", "read_g2vec_inputs"]


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
    """

    adata: AnnData
    network: nx.Graph
    groupby: str
    gene_sets: dict[str, dict[str, list[str]]] | None = None


def read_g2vec_inputs(
    source: Literal["demo"] | None = None,
    *,
    expression: str | os.PathLike[str] | None = None,
    network: str | os.PathLike[str] | None = None,
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
        Network file, read with :func:`omicsdl.io.read_network`.
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
        from survival with :func:`omicsdl.survival.prognosis_labels`.
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

    if source == "demo":
        if expression is not None or network is not None:
            msg = "`demo` takes no --expression/--network"
            raise InputError(msg, fix="drop `demo` to run on your files")
        adata, graph = od.datasets.g2vec_demo(horizon_days=horizon_days)
        label_key = "prognosis"
    elif source is not None:
        msg = f"unknown source {source!r}"
        raise InputError(msg, item="source", fix="give `demo`, or expression and network files")
    else:
        if expression is None or network is None:
            msg = "give `demo`, or both --expression and --network"
            raise InputError(msg, fix="see omicsdl g2vec run --help")
        adata = read_expression(
            expression, modality=modality, duration_key=duration_key, event_key=event_key, log2=log2
        )
        graph = od.io.read_network(network, format=network_format, id_map=id_map, on_corrupt=on_corrupt)
        label_key = groupby or "prognosis"
        if groupby is None:
            adata.obs["prognosis"] = od.survival.prognosis_labels(
                adata.obs, horizon_days=horizon_days, duration_key=duration_key, event_key=event_key
            )
    sets = None
    if gene_sets:
        sets = {Path(p).name.split(".gmt")[0]: od.enrich.read_gmt(p) for p in gene_sets}
    return G2VecInputs(adata=adata, network=graph, groupby=label_key, gene_sets=sets)


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
        adata = mdata[modality].copy()
        adata.obs = adata.obs.join(mdata.obs.drop(columns=adata.obs.columns, errors="ignore"))
    elif any(name.endswith(s) for s in (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")):
        from omicsdl.io import read_expression_csv

        adata = read_expression_csv(path, obs_columns=[duration_key, event_key])
        for key in (duration_key, event_key):
            if key not in adata.obs.columns:
                msg = f"survival column {key!r} is missing"
                raise InputError(
                    msg,
                    source=path,
                    fix="name the columns with --duration-key/--event-key",
                )
        if adata.n_vars == 0:
            msg = "no numeric gene column"
            raise InputError(msg, source=path, fix="one row per patient, one column per gene")
        adata.obs = adata.obs[[duration_key, event_key]].apply(pd.to_numeric, errors="coerce")
        adata.X = np.asarray(adata.X, dtype=np.float32)
    else:
        msg = "unknown expression file type"
        raise InputError(msg, source=path, fix="use .h5ad, .h5mu, .csv or .tsv")
    if log2:
        adata.X = np.log2(np.asarray(adata.X, dtype=np.float32) + 1.0)
    return adata
