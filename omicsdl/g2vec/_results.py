"""One G2Vec run and its results folder: the only place that knows the run's file names and JSON keys.

Files of a run folder (``G2VecRun.write`` / ``G2VecRun.read``):

``summary.json``
    The main file, written last: format header, network match, gene-path
    counts, L-groups, counts of biomarkers, modules and enriched terms, the
    embedder's epochs, how the network file was read and the labels.
``biomarkers.tsv``
    ``gene, l_group, score``.
``modules.tsv``
    ``module, gene, l_group, score, degree``.
``enrichment.tsv``
    ``module, collection, term, overlap, set_size, n_query, n_background, p, fdr, genes``.
``evaluation.json``
    ``protocol``, ``summary`` (per feature set) and ``folds``; ``{"skipped": true}``
    when the run was not evaluated.
``vectors.txt`` + ``vectors.json``
    Gene vectors in word2vec text format (a ``n_genes dim`` header, then one
    ``gene v1 … vdim`` row per gene with a non-zero vector) and its format
    version and sha256. This is what omicsdl reads.
``vectors.kv``
    The same vectors as gensim ``KeyedVectors`` for gensim users
    (``KeyedVectors.load``). gensim writes it with pickle, so omicsdl writes it
    but **never reads it**: loading a pickle runs code.
``module_edges.tsv`` (optional)
    Edges between module genes, drawn by the report when present.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._results import Results, results_header

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

    import networkx as nx
    from gensim.models import KeyedVectors
    from matplotlib.figure import Figure

    from omicsdl.g2vec._model import G2Vec

__all__ = [
    "ENRICHMENT_COLUMNS",
    "FEATURE_SETS",
    "VECTORS_FORMAT_VERSION",
    "G2VecRun",
    "evaluation_document",
    "fold_record",
    "keyed_vectors",
]

SUMMARY_FILE = "summary.json"
BIOMARKERS_FILE = "biomarkers.tsv"
MODULES_FILE = "modules.tsv"
ENRICHMENT_FILE = "enrichment.tsv"
EVALUATION_FILE = "evaluation.json"
MODULE_EDGES_FILE = "module_edges.tsv"
VECTORS_TXT = "vectors.txt"
VECTORS_META = "vectors.json"
VECTORS_KV = "vectors.kv"

#: format version of ``vectors.json`` / ``vectors.txt``
VECTORS_FORMAT_VERSION = 1
_VECTORS_FORMAT = "omicsdl.gene_vectors"

#: the gene sets compared in the evaluation, in report order
FEATURE_SETS = ("g2vec", "top_t", "random", "all_genes")

ENRICHMENT_COLUMNS = [
    "module",
    "collection",
    "term",
    "overlap",
    "set_size",
    "n_query",
    "n_background",
    "p",
    "fdr",
    "genes",
]
_HEADER_KEYS = ("format", "format_version", "omicsdl_version")


# -- the evaluation document (evaluation.json) --------------------------------------
def fold_record(
    *, repeat: int, fold: int, n_genes: int, scores: Mapping[str, tuple[float, float]]
) -> dict[str, Any]:
    """One cross-validation fold of ``evaluation.json``.

    Parameters
    ----------
    repeat, fold
        Repeat and fold numbers (from 0).
    n_genes
        Biomarkers G2Vec selected in the fold (the size of every feature set but ``all_genes``).
    scores
        Feature set → (held-out accuracy, held-out AUC).
    """
    row: dict[str, Any] = {"repeat": repeat, "fold": fold, "n_genes": n_genes}
    for name, (acc, auc) in scores.items():
        row[f"{name}_accuracy"] = acc
        row[f"{name}_auc"] = auc
    return row


def evaluation_document(
    folds: list[dict[str, Any]], *, protocol: Mapping[str, Any], n_all_genes: int
) -> dict[str, Any]:
    """The ``evaluation.json`` document: protocol, per-feature-set summary and folds.

    Parameters
    ----------
    folds
        Rows made by :func:`fold_record`.
    protocol
        How the evaluation was run (folds, repeats, classifier, ...).
    n_all_genes
        Genes of the ``all_genes`` feature set.

    Returns
    -------
    JSON-ready dict: ``protocol``, ``summary`` (per feature set: mean and
    standard deviation of accuracy and AUC, mean number of genes) and ``folds``.
    """
    table = pd.DataFrame(folds)
    summary = {}
    for name in FEATURE_SETS:
        summary[name] = {
            "accuracy_mean": float(table[f"{name}_accuracy"].mean()),
            "accuracy_sd": float(table[f"{name}_accuracy"].std(ddof=1)) if len(table) > 1 else 0.0,
            "auc_mean": float(table[f"{name}_auc"].mean()),
            "auc_sd": float(table[f"{name}_auc"].std(ddof=1)) if len(table) > 1 else 0.0,
            "n_genes_mean": float(table["n_genes"].mean()) if name != "all_genes" else float(n_all_genes),
        }
    return {"protocol": dict(protocol), "summary": summary, "folds": folds}


# -- gene vectors ---------------------------------------------------------------------
def keyed_vectors(vectors: pd.DataFrame) -> KeyedVectors:
    """Gensim :class:`~gensim.models.KeyedVectors` of a ``genes × dim`` frame, zero rows left out."""
    from gensim.models import KeyedVectors

    vec = vectors[(vectors.to_numpy() != 0).any(axis=1)]
    kv = KeyedVectors(vector_size=vec.shape[1])
    kv.add_vectors([str(g) for g in vec.index], vec.to_numpy(dtype=np.float32))
    return kv


def _nonzero(vectors: pd.DataFrame) -> pd.DataFrame:
    return vectors[(vectors.to_numpy() != 0).any(axis=1)]


def _write_vectors(vectors: pd.DataFrame, out: Path) -> None:
    """``vectors.kv`` (gensim), ``vectors.txt`` and ``vectors.json``; all-zero rows are left out."""
    from omicsdl._version import __version__

    vectors = _nonzero(vectors)
    if vectors.shape[0] == 0:
        msg = "every gene vector is zero; nothing to save"
        raise InputError(msg, fix="check that the fit produced gene-paths")
    genes = [str(g) for g in vectors.index]
    bad = [g for g in genes if not g or any(c.isspace() for c in g)]
    if bad:
        msg = "gene names must not contain whitespace"
        raise InputError(msg, item=bad[0], fix="rename the genes")
    values = vectors.to_numpy(dtype=np.float32)
    kv = keyed_vectors(vectors)
    kv.save(str(out / VECTORS_KV), separately=[])  # one file: nothing stored beside it
    lines = [f"{len(genes)} {values.shape[1]}"]
    lines += [g + " " + " ".join(f"{v:.8g}" for v in row) for g, row in zip(genes, values, strict=True)]
    text = "\n".join(lines) + "\n"
    (out / VECTORS_TXT).write_text(text, encoding="utf-8", newline="")
    meta = {
        "format": _VECTORS_FORMAT,
        "format_version": VECTORS_FORMAT_VERSION,
        "omicsdl_version": __version__,
        "n_genes": len(genes),
        "dim": int(values.shape[1]),
        "vectors_txt_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "files": {VECTORS_KV: "gensim KeyedVectors (pickle-based)", VECTORS_TXT: "word2vec text format"},
    }
    _write_json(out / VECTORS_META, meta)


def _read_vectors(folder: Path) -> pd.DataFrame:
    """The gene vectors of ``vectors.txt``, checked against ``vectors.json`` when present (no pickle)."""
    txt = folder / VECTORS_TXT
    meta_path = folder / VECTORS_META
    raw = txt.read_bytes()
    if meta_path.is_file():
        meta = _read_json(meta_path)
        version = meta.get("format_version")
        if not isinstance(version, int) or version > VECTORS_FORMAT_VERSION:
            msg = f"gene vectors have format_version {version!r}; this omicsdl reads up to {VECTORS_FORMAT_VERSION}"
            raise ModelFormatError(msg, source=meta_path, fix="upgrade omicsdl")
        if hashlib.sha256(raw).hexdigest() != meta.get("vectors_txt_sha256"):
            msg = f"{VECTORS_TXT} does not match its checksum in {VECTORS_META}"
            raise ModelFormatError(msg, source=txt)
    try:
        lines = raw.decode("utf-8").splitlines()
        n, dim = (int(v) for v in lines[0].split())
        rows = [line.split(" ") for line in lines[1:] if line]
        genes = [r[0] for r in rows]
        values = np.array([r[1:] for r in rows], dtype=np.float32).reshape(len(rows), dim)
    except (UnicodeDecodeError, IndexError, ValueError) as err:
        msg = f"{VECTORS_TXT} is not in word2vec text format ({err})"
        raise ModelFormatError(msg, source=txt) from err
    if len(genes) != n or len(set(genes)) != n:
        msg = f"{VECTORS_TXT} announces {n} genes and holds {len(genes)} ({len(set(genes))} distinct)"
        raise ModelFormatError(msg, source=txt)
    return pd.DataFrame(values, index=pd.Index(genes, name="gene"))


# -- small file helpers -------------------------------------------------------------------
def _write_json(path: Path, obj: Any) -> None:
    path.write_text(
        json.dumps(obj, indent=2, allow_nan=False, sort_keys=False) + "\n", encoding="utf-8", newline=""
    )


def _write_tsv(path: Path, table: pd.DataFrame, **kwargs: Any) -> None:
    path.write_text(table.to_csv(sep="\t", index=False, **kwargs), encoding="utf-8", newline="")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        msg = f"cannot read JSON: {err}"
        raise InputError(msg, source=path, fix="re-run omicsdl g2vec run") from err
    if not isinstance(doc, dict):
        msg = "expected a JSON object"
        raise InputError(msg, source=path, fix="re-run omicsdl g2vec run")
    return doc


def _read_tsv(path: Path) -> pd.DataFrame:
    """A table written by :func:`_write_tsv`, floats read back exactly."""
    return pd.read_csv(path, sep="\t", float_precision="round_trip")


def _find(folder: Path, name: str) -> Path | None:
    """``folder/name`` or ``folder/tables/name``."""
    for base in (folder, folder / "tables"):
        if (base / name).is_file():
            return base / name
    return None


# -- the run -----------------------------------------------------------------------------
@dataclass
class G2VecRun(Results):
    """Everything one G2Vec run produced (see :func:`~omicsdl.g2vec.run_g2vec`), and its folder.

    ``run.write(folder)`` writes the files listed in the module docstring;
    ``G2VecRun.read(folder)`` reads them back (never ``vectors.kv``).

    Parameters
    ----------
    biomarkers
        ``gene, l_group, score`` of the selected genes.
    modules
        ``module, gene, l_group, score, degree``; ``None`` when absent.
    enrichment
        Module enrichment (columns in :data:`ENRICHMENT_COLUMNS`); ``None`` when absent.
    evaluation
        The ``evaluation.json`` document (:func:`evaluation_document`); ``None`` when not evaluated.
    summary
        Counts and facts of the run (the body of ``summary.json``).
    vectors
        ``genes × dim`` gene vectors of the genes that occurred in a gene-path; ``None`` when absent.
    module_edges
        Edges between module genes (two columns); ``None`` when absent.
    model
        The fitted :class:`~omicsdl.g2vec.G2Vec` (``None`` for a run read from disk).
    sources
        The files a read run came from, by name (for provenance).
    """

    _kind: ClassVar[str] = "omicsdl.G2VecRun"
    _format_version: ClassVar[int] = 1
    _main_file: ClassVar[str] = SUMMARY_FILE

    biomarkers: pd.DataFrame
    modules: pd.DataFrame | None = None
    enrichment: pd.DataFrame | None = None
    evaluation: dict[str, Any] | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    vectors: pd.DataFrame | None = None
    module_edges: pd.DataFrame | None = None
    model: G2Vec | None = field(default=None, repr=False, compare=False)
    sources: dict[str, Path] = field(default_factory=dict, repr=False, compare=False)

    # -- building -------------------------------------------------------------------
    @classmethod
    def from_fit(
        cls,
        model: G2Vec,
        *,
        modules: pd.DataFrame,
        enrichment: pd.DataFrame,
        evaluation: dict[str, Any] | None,
        network: nx.Graph,
        labels: pd.Series,
    ) -> G2VecRun:
        """Assemble a run from its fitted model and results, with its summary.

        Parameters
        ----------
        model
            The fitted G2Vec.
        modules, enrichment
            Modules of the biomarkers and their enrichment.
        evaluation
            The evaluation document, or ``None``.
        network
            The network as read (its ``read_report`` goes into the summary).
        labels
            The prognosis label of every patient (counted in the summary).
        """
        paths = model.paths_
        if paths is None:
            msg = "a run needs a freshly fitted G2Vec (a loaded model has no gene-paths)"
            raise ValueError(msg)
        summary: dict[str, Any] = {
            "match": model.match_.to_dict(),
            "edges_above_threshold": paths.n_edges,
            "n_paths": paths.n_per_group(),
            "n_paths_dropped_common": paths.n_dropped_common,
            "n_genes_in_paths": int((paths.counts().sum(axis=1) > 0).sum()),
            "l_groups": model.scores_["l_group"].value_counts().sort_index().to_dict(),
            "n_biomarkers": len(model.biomarkers_),
            "n_modules": int(modules["module"].nunique()) if len(modules) else 0,
            "n_enriched_fdr_0.05": int((enrichment["fdr"] < 0.05).sum()) if len(enrichment) else 0,
        }
        history = getattr(model.embedder_, "history_", None)
        if history:
            summary["embedder"] = {
                "epochs": len(history),
                "best_epoch": model.embedder_.best_epoch_,
                "last": history[-1],
            }
        summary["network_read"] = network.graph.get("read_report", {})
        summary["labels"] = labels.astype(str).value_counts().to_dict()
        return cls(
            biomarkers=model.biomarkers_,
            modules=modules,
            enrichment=enrichment,
            evaluation=evaluation,
            summary=summary,
            vectors=_nonzero(model.vectors_),
            model=model,
        )

    # -- what the report and users read --------------------------------------------------
    @property
    def match(self) -> dict[str, Any] | None:
        """Genes and edges matched between expression and network (``None`` if not recorded)."""
        match = self.summary.get("match")
        return match if isinstance(match, dict) else None

    @property
    def protocol(self) -> dict[str, Any]:
        """How the evaluation was run (empty when the run was not evaluated)."""
        proto = (self.evaluation or {}).get("protocol")
        return proto if isinstance(proto, dict) else {}

    @property
    def n_splits(self) -> int | None:
        """Cross-validation folds of the evaluation."""
        return self.protocol.get("n_splits")

    @property
    def n_repeats(self) -> int | None:
        """Cross-validation repeats of the evaluation."""
        return self.protocol.get("n_repeats")

    @property
    def classifier(self) -> str | None:
        """The classifier the evaluation fitted on each feature set."""
        return self.protocol.get("classifier")

    def evaluation_table(self) -> pd.DataFrame:
        """Held-out scores per feature set: ``feature_set, n_genes, accuracy, accuracy_sd, auc, auc_sd``.

        Empty when the run was not evaluated.
        """
        summary = (self.evaluation or {}).get("summary", {})
        rows = [
            {
                "feature_set": name,
                "n_genes": v.get("n_genes_mean"),
                "accuracy": v.get("accuracy_mean"),
                "accuracy_sd": v.get("accuracy_sd"),
                "auc": v.get("auc_mean"),
                "auc_sd": v.get("auc_sd"),
            }
            for name, v in (summary.items() if isinstance(summary, dict) else [])
            if isinstance(v, dict)
        ]
        return pd.DataFrame(
            rows, columns=["feature_set", "n_genes", "accuracy", "accuracy_sd", "auc", "auc_sd"]
        )

    def to_keyed_vectors(self) -> KeyedVectors:
        """The gene vectors as gensim :class:`~gensim.models.KeyedVectors` (``most_similar``, …).

        Raises
        ------
        InputError
            The run has no gene vectors.
        """
        if self.vectors is None:
            msg = "this run has no gene vectors"
            raise InputError(msg, fix=f"point to a folder with {VECTORS_TXT} written by omicsdl g2vec run")
        return keyed_vectors(self.vectors)

    def module_figures(
        self, *, network: nx.Graph | None = None, limit: int = 4
    ) -> list[tuple[str, Figure, str]]:
        """One figure per module (the ``limit`` largest): ``(module, figure, how the edges were drawn)``.

        Edges come from ``module_edges``, else from ``network``, else each gene
        is linked to its two most similar module genes by the cosine of their vectors.

        Parameters
        ----------
        network
            The interaction network the run used.
        limit
            Most modules drawn.
        """
        from omicsdl.g2vec._plot import module_graph, plot_module

        if self.modules is None or not len(self.modules):
            return []
        out = []
        for module in list(dict.fromkeys(self.modules["module"]))[:limit]:
            members = self.modules[self.modules["module"] == module]
            graph, how = module_graph(
                members["gene"].astype(str).tolist(),
                network=network,
                vectors=self.vectors,
                edges=self.module_edges,
            )
            out.append((str(module), plot_module(str(module), members, graph, how), how))
        return out

    # -- files --------------------------------------------------------------------------
    def _write_files(self, directory: Path) -> None:
        if self.vectors is not None:
            _write_vectors(self.vectors, directory)
        _write_tsv(directory / BIOMARKERS_FILE, self.biomarkers)
        if self.modules is not None:
            _write_tsv(directory / MODULES_FILE, self.modules)
        if self.enrichment is not None:
            _write_tsv(directory / ENRICHMENT_FILE, self.enrichment, float_format="%.6g")
        if self.module_edges is not None:
            _write_tsv(directory / MODULE_EDGES_FILE, self.module_edges)
        _write_json(directory / EVALUATION_FILE, self.evaluation or {"skipped": True})
        _write_json(directory / SUMMARY_FILE, results_header(self._kind, self._format_version) | self.summary)

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> G2VecRun:
        """Read a folder written by :meth:`write` (``omicsdl g2vec run``), without pickle.

        ``summary.json`` and ``biomarkers.tsv`` are required; modules,
        enrichment, evaluation, vectors and module edges are read when present.
        ``vectors.kv`` is never opened.

        Raises
        ------
        InputError
            Not a complete G2Vec results folder, or a file that cannot be read.
        ModelFormatError
            ``vectors.txt`` does not match the checksum in ``vectors.json``, or
            has a newer format.
        """
        folder, meta = cls._read_main(directory)
        sources = {SUMMARY_FILE: folder / SUMMARY_FILE}
        summary = {k: v for k, v in meta.items() if k not in _HEADER_KEYS}
        path = folder / BIOMARKERS_FILE
        if not path.is_file():
            msg = f"the G2Vec results folder has no {BIOMARKERS_FILE}"
            raise InputError(msg, source=folder, fix="point to the folder omicsdl g2vec run wrote")
        sources[BIOMARKERS_FILE] = path
        biomarkers = _read_tsv(path)
        evaluation = None
        if (path := folder / EVALUATION_FILE).is_file():
            sources[EVALUATION_FILE] = path
            doc = _read_json(path)
            evaluation = None if doc.get("skipped") is True else doc
        tables: dict[str, pd.DataFrame | None] = {}
        for name in (MODULES_FILE, ENRICHMENT_FILE, MODULE_EDGES_FILE):
            found = _find(folder, name)
            tables[name] = None
            if found is not None:
                sources[name] = found
                tables[name] = _read_tsv(found)
        vectors = None
        if (folder / VECTORS_TXT).is_file():
            sources[VECTORS_TXT] = folder / VECTORS_TXT
            vectors = _read_vectors(folder)
        return cls(
            biomarkers=biomarkers,
            modules=tables[MODULES_FILE],
            enrichment=tables[ENRICHMENT_FILE],
            evaluation=evaluation,
            summary=summary,
            vectors=vectors,
            module_edges=tables[MODULE_EDGES_FILE],
            sources=sources,
        )
