"""Gene vectors on disk: gensim-native ``.kv`` plus a pickle-free text copy.

``vectors.kv`` is what ``gensim.models.KeyedVectors.load`` reads; gensim
writes it with pickle, so omicsdl itself never loads it. omicsdl's loader reads
``vectors.txt`` (word2vec text format: a ``n_genes dim`` header, then one
``gene v1 … vdim`` row per gene), checked against ``vectors.json`` (format
version, sha256, dimensions).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from omicsdl._core._atomic import atomic_path, write_json, write_text
from omicsdl._core._errors import InputError, ModelFormatError

if TYPE_CHECKING:
    import os

    import pandas as pd
    from gensim.models import KeyedVectors

__all__ = ["FORMAT_VERSION", "load_gene_vectors", "save_gene_vectors"]

FORMAT_VERSION = 1


def save_gene_vectors(vectors: pd.DataFrame, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write gene vectors as ``vectors.kv`` (gensim), ``vectors.txt`` and ``vectors.json``.

    Parameters
    ----------
    vectors
        Genes × dim (e.g. ``G2Vec.vectors_``). All-zero rows (genes that
        occurred in no gene-path) are left out: they have no direction.
    out_dir
        Output folder (created if missing). Each file is written atomically.

    Returns
    -------
    The paths written, by kind (``kv``, ``txt``, ``json``).
    """
    from gensim.models import KeyedVectors

    from omicsdl._version import __version__

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vectors = vectors[(vectors.to_numpy() != 0).any(axis=1)]
    if vectors.shape[0] == 0:
        msg = "every gene vector is zero; nothing to save"
        raise InputError(msg, fix="check that the fit produced gene-paths")
    genes = [str(g) for g in vectors.index]
    bad = [g for g in genes if not g or any(c.isspace() for c in g)]
    if bad:
        msg = "gene names must not contain whitespace"
        raise InputError(msg, item=bad[0], fix="rename the genes")
    values = vectors.to_numpy(dtype=np.float32)
    kv = KeyedVectors(vector_size=values.shape[1])
    kv.add_vectors(genes, values)
    with atomic_path(out / "vectors.kv") as tmp:
        kv.save(str(tmp), separately=[])  # one file: nothing stored beside it
    lines = [f"{len(genes)} {values.shape[1]}"]
    lines += [g + " " + " ".join(f"{v:.8g}" for v in row) for g, row in zip(genes, values, strict=True)]
    text = "\n".join(lines) + "\n"
    txt = write_text(out / "vectors.txt", text)
    meta = {
        "format": "omicsdl.gene_vectors",
        "format_version": FORMAT_VERSION,
        "omicsdl_version": __version__,
        "n_genes": len(genes),
        "dim": int(values.shape[1]),
        "vectors_txt_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "files": {"vectors.kv": "gensim KeyedVectors (pickle-based)", "vectors.txt": "word2vec text format"},
    }
    js = write_json(out / "vectors.json", meta)
    return {"kv": out / "vectors.kv", "txt": txt, "json": js}


def load_gene_vectors(path: str | os.PathLike[str]) -> KeyedVectors:
    """Load gene vectors written by :func:`save_gene_vectors`, without pickle.

    Parameters
    ----------
    path
        The output folder, or its ``vectors.txt``.

    Returns
    -------
    gensim :class:`~gensim.models.KeyedVectors` (``most_similar``, ``similarity``, …).

    Raises
    ------
    ModelFormatError
        Unknown or newer ``format_version``, or a ``vectors.txt`` that does not
        match the checksum in ``vectors.json``.
    """
    from gensim.models import KeyedVectors

    path = Path(path)
    folder = path if path.is_dir() else path.parent
    txt = folder / "vectors.txt"
    meta_path = folder / "vectors.json"
    if not txt.is_file():
        msg = "no vectors.txt here"
        raise InputError(msg, source=folder, fix="point to a folder written by omicsdl g2vec")
    if meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        version = meta.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            msg = f"gene vectors have format_version {version!r}; this omicsdl reads up to {FORMAT_VERSION}"
            raise ModelFormatError(
                msg,
                source=meta_path,
                fix="upgrade omicsdl",
            )
        if hashlib.sha256(txt.read_bytes()).hexdigest() != meta.get("vectors_txt_sha256"):
            msg = "vectors.txt does not match its checksum in vectors.json"
            raise ModelFormatError(msg, source=txt)
    return KeyedVectors.load_word2vec_format(str(txt), binary=False)
