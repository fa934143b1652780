"""G2Vec runs and learning curves, and their folders: the only place that knows their file names and keys.

Files of a run folder (``G2VecRun.write`` / ``G2VecRun.read``):

``summary.json``
    The main file, written last: format header, variant, network match,
    gene-path counts, L-groups, counts of biomarkers, modules and enriched
    terms (with how many were tested and the module null), the embedder's
    epochs, how the network file was read, the labels, the limits of the
    input (e.g. a truncated gene list) and modules made of one gene family.
``diagnostics.json``
    :class:`~omicsdl.g2vec.G2VecDiagnostics`: ``variant``, ``n_paths`` and
    ``n_distinct_paths`` per group, ``epochs_run``, ``best_epoch``,
    ``mean_pairwise_cosine``, vector norms and sizes of the L-groups, warnings.
``biomarkers.tsv``
    ``gene, l_group, score``.
``modules.tsv``
    ``module, gene, l_group, score, degree``.
``enrichment.tsv``
    ``module, collection, term, overlap, set_size, n_query, n_background, p, fdr, genes``
    (FDR over all modules × sets together; significant rows first).
``enrichment_null.tsv``
    Per module and null: ``null, module, n_genes, best_term, best_p,
    null_median_best_p, empirical_p`` (:func:`omicsdl.enrich.module_enrichment_null`).
``evaluation.json``
    ``protocol``, ``summary`` (per gene set) and ``folds``; ``{"skipped": true}``
    when the run was not evaluated.
``vectors.txt`` + ``vectors.json``
    Gene vectors in word2vec text format (a ``n_genes dim`` header, then one
    ``gene v1 … vdim`` row per gene that occurred in a gene-path: the others'
    vectors are untrained, zero or initial random weights) and its format
    version and sha256. This is what omicsdl reads.
``vectors.kv``
    The same vectors as gensim ``KeyedVectors`` for gensim users
    (``KeyedVectors.load``). gensim writes it with pickle, so omicsdl writes it
    but **never reads it**: loading a pickle runs code. Written without gensim's
    "lifecycle" log (file name, date), so the same seed gives the same bytes.
``module_edges.tsv`` (optional)
    Edges between module genes, drawn by the report when present.

Files of a learning-curve folder (``G2VecLearningCurve.write`` / ``.read``):
``learning_curve.json`` (main: protocol, log-rank survival check, seed
stability), ``learning_curve.tsv`` (per training size and method: means, 95 %
intervals, paired differences from the reference G2Vec), ``learning_curve.png``,
``learning_curve_folds.tsv`` (every repeat), ``learning_curve_selections.tsv``
(genes chosen), ``learning_curve_stability.tsv``.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from omicsdl._core._base import jsonable
from omicsdl._core._errors import InputError, ModelFormatError
from omicsdl._core._results import Results, results_header
from omicsdl.g2vec._diagnostics import G2VecDiagnostics

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping
    from pathlib import Path

    import networkx as nx
    from gensim.models import KeyedVectors
    from matplotlib.figure import Figure

    from omicsdl.enrich import ModuleEnrichment, ModuleNull
    from omicsdl.g2vec._model import G2Vec

__all__ = [
    "CURVE_SUBFOLDER",
    "ENRICHMENT_COLUMNS",
    "FEATURE_SETS",
    "VECTORS_FORMAT_VERSION",
    "G2VecLearningCurve",
    "G2VecRun",
    "evaluation_document",
    "fold_record",
    "keyed_vectors",
]

SUMMARY_FILE = "summary.json"
DIAGNOSTICS_FILE = "diagnostics.json"
BIOMARKERS_FILE = "biomarkers.tsv"
MODULES_FILE = "modules.tsv"
ENRICHMENT_FILE = "enrichment.tsv"
ENRICHMENT_NULL_FILE = "enrichment_null.tsv"
CURVE_MAIN = "learning_curve.json"
CURVE_TABLE = "learning_curve.tsv"
CURVE_FIGURE = "learning_curve.png"
CURVE_FOLDS = "learning_curve_folds.tsv"
CURVE_SELECTIONS = "learning_curve_selections.tsv"
CURVE_STABILITY = "learning_curve_stability.tsv"
#: where a run folder keeps the learning curve of the same inputs, when one was computed
CURVE_SUBFOLDER = "learning_curve"
EVALUATION_FILE = "evaluation.json"
MODULE_EDGES_FILE = "module_edges.tsv"
VECTORS_TXT = "vectors.txt"
VECTORS_META = "vectors.json"
VECTORS_KV = "vectors.kv"

#: format version of ``vectors.json`` / ``vectors.txt``
VECTORS_FORMAT_VERSION = 1
_VECTORS_FORMAT = "omicsdl.gene_vectors"

#: the gene sets compared in the evaluation, in report order
FEATURE_SETS = ("g2vec", "top_t", "cox", "network", "random", "all_genes")

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
    *, repeat: int, fold: int, n_genes: int, scores: Mapping[str, tuple[float, float, float]]
) -> dict[str, Any]:
    """One cross-validation fold of ``evaluation.json``.

    Parameters
    ----------
    repeat, fold
        Repeat and fold numbers (from 0).
    n_genes
        Biomarkers G2Vec selected in the fold (the size of every gene set but ``all_genes``).
    scores
        Gene set → (held-out accuracy, AUC, C-index; the C-index NaN without survival).
    """
    row: dict[str, Any] = {"repeat": repeat, "fold": fold, "n_genes": n_genes}
    for name, (acc, auc, c_index) in scores.items():
        row[f"{name}_accuracy"] = acc
        row[f"{name}_auc"] = auc
        row[f"{name}_c_index"] = None if c_index != c_index else c_index  # NaN is not JSON
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
        if f"{name}_auc" not in table:
            continue
        entry = {
            "n_genes_mean": float(table["n_genes"].mean()) if name != "all_genes" else float(n_all_genes)
        }
        for metric in ("accuracy", "auc", "c_index"):
            values = pd.to_numeric(table[f"{name}_{metric}"], errors="coerce").dropna()
            entry[f"{metric}_mean"] = float(values.mean()) if len(values) else None
            entry[f"{metric}_sd"] = float(values.std(ddof=1)) if len(values) > 1 else None
        summary[name] = entry
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
    kv.lifecycle_events = None  # gensim would log the (staging) file name and the time into the pickle
    buffer = io.BytesIO()
    kv.save(buffer, separately=[])  # one file: nothing stored beside it
    (out / VECTORS_KV).write_bytes(buffer.getvalue())
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
    diagnostics
        :class:`~omicsdl.g2vec.G2VecDiagnostics` of the fit; ``None`` when absent (older folders).
    enrichment_null
        The module null per module (``null, module, n_genes, best_term, best_p,
        null_median_best_p, empirical_p``); ``None`` when absent.
    vectors
        ``genes × dim`` vectors of the genes in a gene-path; ``None`` when absent.
    module_edges
        Edges between module genes (two columns); ``None`` when absent.
    learning_curve
        The :class:`G2VecLearningCurve` found in the folder's ``learning_curve/``; ``None`` when absent.
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
    diagnostics: G2VecDiagnostics | None = None
    enrichment_null: pd.DataFrame | None = None
    vectors: pd.DataFrame | None = None
    module_edges: pd.DataFrame | None = None
    learning_curve: G2VecLearningCurve | None = field(default=None, repr=False, compare=False)
    model: G2Vec | None = field(default=None, repr=False, compare=False)
    sources: dict[str, Path] = field(default_factory=dict, repr=False, compare=False)

    # -- building -------------------------------------------------------------------
    @classmethod
    def from_fit(
        cls,
        model: G2Vec,
        *,
        modules: pd.DataFrame,
        enrichment: ModuleEnrichment,
        nulls: list[ModuleNull],
        evaluation: dict[str, Any] | None,
        network: nx.Graph,
        labels: pd.Series,
        input_limits: list[str],
        gene_families: dict[str, list[str]],
    ) -> G2VecRun:
        """Assemble a run from its fitted model and results, with its summary.

        Parameters
        ----------
        model
            The fitted G2Vec.
        modules
            Modules of the biomarkers.
        enrichment
            Their enrichment (all modules × collections adjusted together).
        nulls
            Module nulls (:func:`omicsdl.enrich.module_enrichment_null`), one per kind.
        evaluation
            The evaluation document, or ``None``.
        network
            The network as read (its ``read_report`` goes into the summary).
        labels
            The prognosis label of every patient (counted in the summary).
        input_limits
            Plain-words limits of the input (truncated gene list, …).
        gene_families
            Modules whose genes are mostly one family: module → the family's genes.
        """
        paths = model.paths_
        if paths is None:
            msg = "a run needs a freshly fitted G2Vec (a loaded model has no gene-paths)"
            raise ValueError(msg)
        table = enrichment.table
        summary: dict[str, Any] = {
            "variant": model.variant,
            "match": model.match_.to_dict(),
            "edges_above_threshold": paths.n_edges,
            "n_paths": paths.n_per_group(),
            "n_distinct_paths": dict(paths.n_distinct),
            "n_paths_dropped_common": 2 * paths.n_common,
            "n_genes_in_paths": int((paths.counts().sum(axis=1) > 0).sum()),
            "l_groups": model.scores_["l_group"].value_counts().sort_index().to_dict(),
            "n_biomarkers": len(model.biomarkers_),
            "n_modules": int(modules["module"].nunique()) if len(modules) else 0,
            "n_enriched_fdr_0.05": enrichment.n_significant(0.05),
            "enrichment": {
                "n_tests": enrichment.n_tests,
                "n_sets_per_module": enrichment.n_sets,
                "n_significant_fdr_0.05": enrichment.n_significant(0.05),
                "adjustment": "Benjamini-Hochberg over all modules x sets x collections together",
                "null": {
                    null.kind: {
                        "n_draws": null.n_draws,
                        "n_significant_observed": null.n_significant,
                        "n_significant_null_mean": float(np.mean(null.null_n_significant)),
                        "n_significant_null_95th": float(np.percentile(null.null_n_significant, 95)),
                        "empirical_p": null.empirical_p,
                    }
                    for null in nulls
                },
            },
            "input_limits": list(input_limits),
            "gene_family_modules": gene_families,
        }
        history = getattr(model.embedder_, "history_", None)
        if history:
            summary["embedder"] = {
                "epochs": len(history),
                "best_epoch": model.embedder_.best_epoch_,
                "stop_reason": getattr(model.embedder_, "stop_reason_", ""),
                "last": history[-1],
            }
        summary["network_read"] = network.graph.get("read_report", {})
        summary["labels"] = labels.astype(str).value_counts().to_dict()
        null_table = (
            pd.concat([n.per_module.assign(null=n.kind) for n in nulls], ignore_index=True) if nulls else None
        )
        if null_table is not None:
            null_table = null_table[["null", *[c for c in null_table.columns if c != "null"]]]
        return cls(
            biomarkers=model.biomarkers_,
            modules=modules,
            enrichment=table[ENRICHMENT_COLUMNS],
            evaluation=evaluation,
            summary=summary,
            diagnostics=model.diagnostics_,
            enrichment_null=null_table,
            vectors=_nonzero(model.vectors_[paths.counts().sum(axis=1) > 0]),
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
        """Held-out scores per gene set (mean and sd over the folds of accuracy, AUC and C-index).

        Columns ``feature_set, n_genes, accuracy, accuracy_sd, auc, auc_sd,
        c_index, c_index_sd``; empty when the run was not evaluated.
        """
        summary = (self.evaluation or {}).get("summary", {})
        columns = [
            "feature_set",
            "n_genes",
            "accuracy",
            "accuracy_sd",
            "auc",
            "auc_sd",
            "c_index",
            "c_index_sd",
        ]
        rows = [
            {
                "feature_set": name,
                "n_genes": v.get("n_genes_mean"),
                **{
                    f"{m}{suffix}": v.get(f"{m}_{key}")
                    for m in ("accuracy", "auc", "c_index")
                    for suffix, key in (("", "mean"), ("_sd", "sd"))
                },
            }
            for name, v in (summary.items() if isinstance(summary, dict) else [])
            if isinstance(v, dict)
        ]
        return pd.DataFrame(rows, columns=columns)

    @property
    def input_limits(self) -> list[str]:
        """Plain-words limits of the run's input (e.g. a truncated gene list); empty when none are known."""
        limits = self.summary.get("input_limits")
        return [str(x) for x in limits] if isinstance(limits, list) else []

    @property
    def gene_family_modules(self) -> dict[str, list[str]]:
        """Modules whose genes are mostly one family (shared symbol root): module → those genes."""
        found = self.summary.get("gene_family_modules")
        return {str(k): [str(g) for g in v] for k, v in found.items()} if isinstance(found, dict) else {}

    @property
    def enrichment_summary(self) -> dict[str, Any]:
        """How many (module, set) tests were adjusted together, how many are significant, and the nulls."""
        found = self.summary.get("enrichment")
        return found if isinstance(found, dict) else {}

    @property
    def variant(self) -> str | None:
        """The G2Vec variant of the run (``None`` for folders written before variants existed)."""
        found = self.summary.get("variant")
        return str(found) if found is not None else None

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
        if self.diagnostics is not None:
            _write_json(
                directory / DIAGNOSTICS_FILE,
                results_header("omicsdl.G2VecDiagnostics", 1) | jsonable(self.diagnostics.to_dict()),
            )
        if self.modules is not None:
            _write_tsv(directory / MODULES_FILE, self.modules)
        if self.enrichment is not None:
            _write_tsv(directory / ENRICHMENT_FILE, self.enrichment, float_format="%.6g")
        if self.enrichment_null is not None:
            _write_tsv(directory / ENRICHMENT_NULL_FILE, self.enrichment_null, float_format="%.6g")
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
        diagnostics = None
        if (path := folder / DIAGNOSTICS_FILE).is_file():
            sources[DIAGNOSTICS_FILE] = path
            doc = _read_json(path)
            try:
                diagnostics = G2VecDiagnostics.from_dict(doc)
            except TypeError as err:
                msg = f"unreadable G2Vec diagnostics ({err})"
                raise InputError(msg, source=path, fix="re-run omicsdl g2vec run") from err
        tables: dict[str, pd.DataFrame | None] = {}
        for name in (MODULES_FILE, ENRICHMENT_FILE, ENRICHMENT_NULL_FILE, MODULE_EDGES_FILE):
            found = _find(folder, name)
            tables[name] = None
            if found is not None:
                sources[name] = found
                tables[name] = _read_tsv(found)
        vectors = None
        if (folder / VECTORS_TXT).is_file():
            sources[VECTORS_TXT] = folder / VECTORS_TXT
            vectors = _read_vectors(folder)
        curve = None
        if (folder / CURVE_SUBFOLDER / CURVE_MAIN).is_file():
            curve = G2VecLearningCurve.read(folder / CURVE_SUBFOLDER)
            sources[f"{CURVE_SUBFOLDER}/{CURVE_MAIN}"] = folder / CURVE_SUBFOLDER / CURVE_MAIN
        return cls(
            biomarkers=biomarkers,
            modules=tables[MODULES_FILE],
            enrichment=tables[ENRICHMENT_FILE],
            evaluation=evaluation,
            summary=summary,
            diagnostics=diagnostics,
            enrichment_null=tables[ENRICHMENT_NULL_FILE],
            vectors=vectors,
            module_edges=tables[MODULE_EDGES_FILE],
            learning_curve=curve,
            sources=sources,
        )


# -- the learning curve -----------------------------------------------------------------
@dataclass
class G2VecLearningCurve(Results):
    """The learning-curve experiment (:func:`~omicsdl.g2vec.learning_curve`) and its folder.

    Parameters
    ----------
    curve
        Per training size and method: ``size, n_train, n_test, method, n_genes,
        n_repeats``, then for ``accuracy``, ``auc``, ``c_index`` the mean with
        ``_ci_low``/``_ci_high`` and, for every method but the reference G2Vec,
        ``g2vec_minus_<metric>`` (reference G2Vec minus the method; positive =
        G2Vec better) with its interval, and ``g2vec_wins_<metric>`` (share of
        repeats in which G2Vec scored higher).
    folds
        Every repeat × size × method: ``repeat, size, n_train_good,
        n_train_poor, n_train, n_test, method, n_genes, accuracy, auc, c_index``.
    selections
        ``repeat, size, method, gene``: the genes each method chose.
    stability
        Per size and method: ``mean_pairwise_jaccard`` of the chosen sets across
        repeats, ``n_distinct_genes``, ``n_repeats``.
    seed_stability
        Per G2Vec variant on the whole labelled cohort: ``n_seeds``,
        ``mean_pairwise_jaccard``, ``n_distinct_genes``, ``n_always_chosen``, ``mean_set_size``.
    survival_test
        Per method, the log-rank test of high vs low risk on the held-out
        patients of the first repeat at full size (``None`` without survival).
    protocol
        How the experiment ran (cohort, sizes, repeats, classifier, interval, …).
    """

    _kind: ClassVar[str] = "omicsdl.G2VecLearningCurve"
    _format_version: ClassVar[int] = 1
    _main_file: ClassVar[str] = CURVE_MAIN

    curve: pd.DataFrame
    folds: pd.DataFrame
    selections: pd.DataFrame
    stability: pd.DataFrame
    seed_stability: pd.DataFrame
    survival_test: list[dict[str, Any]] | None
    protocol: dict[str, Any]

    def figure(self) -> Figure:
        """Held-out AUC, accuracy and C-index against training size, one line per method (95 % intervals)."""
        from omicsdl.g2vec._plot import plot_learning_curve

        return plot_learning_curve(self.curve, cohort=str(self.protocol.get("cohort", "")))

    @property
    def sizes(self) -> list[str]:
        """The training sizes (patients per group, ``"all"`` last) as they appear in :attr:`curve`."""
        return [str(x) for x in dict.fromkeys(self.curve["size"].astype(str))]

    def comparisons(self, size: str | int, *, metric: str = "auc") -> pd.DataFrame:
        """The reference G2Vec against every other method at one training size.

        Returns
        -------
        ``method, g2vec, other, difference, ci_low, ci_high, wins, verdict`` where
        ``difference`` is G2Vec minus the method and ``verdict`` says
        ``"G2Vec better"`` / ``"G2Vec worse"`` when the 95 % interval excludes 0,
        else ``"no clear difference"``; ``wins`` is the share of repeats G2Vec scored higher.
        """
        part = self.curve[self.curve["size"].astype(str) == str(size)].set_index("method")
        column = f"g2vec_minus_{metric}"
        if part.empty or column not in part or "g2vec_reference" not in part.index:
            return pd.DataFrame(
                columns=["method", "g2vec", "other", "difference", "ci_low", "ci_high", "verdict"]
            )
        rows = []
        for method, row in part.drop(index="g2vec_reference").iterrows():
            low, high = float(row[f"{column}_ci_low"]), float(row[f"{column}_ci_high"])
            verdict = "G2Vec better" if low > 0 else "G2Vec worse" if high < 0 else "no clear difference"
            rows.append(
                {
                    "method": method,
                    "g2vec": float(part.at["g2vec_reference", metric]),
                    "other": float(row[metric]),
                    "difference": float(row[column]),
                    "ci_low": low,
                    "ci_high": high,
                    "wins": float(row.get(f"g2vec_wins_{metric}", float("nan"))),
                    "verdict": verdict,
                }
            )
        return pd.DataFrame(rows)

    def selection_frequency(self, *, size: str | int = "all") -> pd.DataFrame:
        """How often each gene was chosen across repeats at one training size: ``method, gene, frequency``."""
        part = self.selections[self.selections["size"].astype(str) == str(size)]
        if part.empty:
            return pd.DataFrame(columns=["method", "gene", "frequency"])
        n = part.groupby("method")["repeat"].nunique()
        freq = part.groupby(["method", "gene"]).size().rename("count").reset_index()
        freq["frequency"] = freq["count"] / freq["method"].map(n)
        return (
            freq.drop(columns="count")
            .sort_values(["method", "frequency", "gene"], ascending=[True, False, True], kind="mergesort")
            .reset_index(drop=True)
        )

    def _write_files(self, directory: Path) -> None:
        _write_tsv(directory / CURVE_TABLE, self.curve, float_format="%.6g")
        _write_tsv(directory / CURVE_FOLDS, self.folds, float_format="%.6g")
        _write_tsv(directory / CURVE_SELECTIONS, self.selections)
        _write_tsv(directory / CURVE_STABILITY, self.stability, float_format="%.6g")
        fig = self.figure()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
        (directory / CURVE_FIGURE).write_bytes(buffer.getvalue())
        doc = results_header(self._kind, self._format_version) | {
            "protocol": self.protocol,
            "survival_test": self.survival_test,
            "seed_stability": self.seed_stability.to_dict(orient="records"),
        }
        _write_json(directory / CURVE_MAIN, jsonable(doc))

    @classmethod
    def read(cls, directory: str | os.PathLike[str]) -> G2VecLearningCurve:
        """Read a folder written by :meth:`write` (``omicsdl g2vec learning-curve``).

        Raises
        ------
        InputError
            Not a complete learning-curve folder.
        """
        folder, meta = cls._read_main(directory)
        tables = {}
        for name in (CURVE_TABLE, CURVE_FOLDS, CURVE_SELECTIONS, CURVE_STABILITY):
            path = folder / name
            if not path.is_file():
                msg = f"the learning-curve folder has no {name}"
                raise InputError(msg, source=folder, fix="run omicsdl g2vec learning-curve again")
            tables[name] = _read_tsv(path)
        protocol = meta.get("protocol")
        seeds = meta.get("seed_stability")
        return cls(
            curve=tables[CURVE_TABLE],
            folds=tables[CURVE_FOLDS],
            selections=tables[CURVE_SELECTIONS],
            stability=tables[CURVE_STABILITY],
            seed_stability=pd.DataFrame(seeds if isinstance(seeds, list) else []),
            survival_test=meta.get("survival_test"),
            protocol=protocol if isinstance(protocol, dict) else {},
        )
