"""One entry point for blood-panel inputs: GEO series matrix, qPCR/GeXP long table, wide CSV, h5ad.

Plus :func:`attach_labels` for labels kept in a separate file, with a strict
check that expression and label sample ids match, and
:func:`load_blood_cohorts`, which gives the training and validation cohorts of
a comparison from files or from the simulator.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.blood._panel import NINE_GENE_PANEL

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    from anndata import AnnData

    from omicsdl._core._random import RNGLike

__all__ = ["BLOOD_INPUT_FORMATS", "attach_labels", "load_blood_cohorts", "read_blood_expression"]

logger = logging.getLogger(__name__)

BLOOD_INPUT_FORMATS = ("auto", "geo", "qpcr", "csv", "h5ad")


def _sniff(path: Path, sample_col: str, gene_col: str, value_col: str) -> str:
    from omicsdl.io._qpcr import _header_line
    from omicsdl.io._text import read_text

    name = path.name.lower()
    if name.endswith(".h5ad"):
        return "h5ad"
    if "series_matrix" in name:
        return "geo"
    text = read_text(path, what="expression file", max_line_chars=2**24)
    if text.startswith(("!Series_", "!Sample_", "^SERIES")):
        return "geo"
    first, _ = _header_line(text)
    sep = "," if first.count(",") > first.count("\t") else "\t"
    header = [c.strip().strip('"') for c in first.split(sep)]
    if {sample_col, gene_col, value_col} <= set(header):
        return "qpcr"
    return "csv"


def read_blood_expression(
    path: str | os.PathLike[str],
    *,
    format: Literal["auto", "geo", "qpcr", "csv", "h5ad"] = "auto",
    platform: str | os.PathLike[str] | None = None,
    sample_col: str = "sample",
    gene_col: str = "gene",
    value_col: str = "value",
    value_kind: Literal["ct", "log2", "ratio"] = "ct",
    reference_genes: Sequence[str] | None = None,
    replicates: Literal["error", "mean"] = "error",
    multi_gene: Literal["fallback", "drop"] = "fallback",
    symbol_column: str | None = None,
    obs_columns: Sequence[str] = (),
    **kwargs: Any,
) -> AnnData:
    """Read blood expression data in any of the supported formats.

    ``format="auto"`` picks: ``.h5ad`` → AnnData; ``*series_matrix*`` or a first
    line starting ``!Series_`` → :func:`~omicsdl.io.read_geo_series_matrix`; a
    header with ``sample_col``, ``gene_col`` and ``value_col`` →
    :func:`~omicsdl.io.read_qpcr_table`; otherwise a wide table →
    :func:`~omicsdl.io.read_expression_csv`. Options that do not apply to the
    chosen reader are ignored (``platform``, ``multi_gene`` and ``symbol_column``
    are GEO options; ``sample_col`` … ``replicates`` qPCR options; ``obs_columns``
    names wide-table columns to keep as annotation, e.g. a 0/1 label).

    Parameters
    ----------
    path
        The data file.
    format
        Which reader to use; ``"auto"`` guesses as described above.
    platform
        GEO platform table (e.g. ``GPL570-55999.txt``) for the probe → gene mapping.
    sample_col, gene_col, value_col
        Columns of a qPCR/GeXP long table.
    value_kind
        qPCR values: raw ``"ct"`` (→ −ΔCt with ``reference_genes``), ``"log2"``
        relative expression, or a positive ``"ratio"`` (→ log2).
    reference_genes
        Reference genes of a Ct table.
    replicates
        Repeated (sample, gene) rows of a qPCR table: ``"error"`` or ``"mean"``.
    multi_gene
        GEO probes naming several genes: ``"fallback"`` (used only for a gene
        without a unique probe) or ``"drop"``.
    symbol_column
        Gene-symbol column of the platform table (guessed when ``None``).
    obs_columns
        Wide-table columns to keep as sample annotation.
    **kwargs
        Passed to the chosen reader.

    Returns
    -------
    AnnData samples × genes; ``uns["input_format"]`` says which reader was used.

    Raises
    ------
    InputError
        The file does not exist, an unknown ``format``, duplicated sample ids,
        or anything the chosen reader refuses.
    """
    import anndata as ad

    from omicsdl.io._geo import read_geo_series_matrix
    from omicsdl.io._qpcr import read_expression_csv, read_qpcr_table

    path = Path(path)
    if not path.is_file():
        msg = "file not found"
        raise InputError(msg, source=path)
    if format not in BLOOD_INPUT_FORMATS:
        msg = f"unknown format {format!r}"
        raise InputError(msg, fix=f"choose from {', '.join(BLOOD_INPUT_FORMATS)}")
    kind = _sniff(path, sample_col, gene_col, value_col) if format == "auto" else format
    logger.info("reading %s as %s", path.name, kind)
    if kind == "h5ad":
        try:
            adata = ad.read_h5ad(path)
        except (OSError, KeyError, ValueError, TypeError) as err:
            msg = f"not a readable .h5ad file ({type(err).__name__}: {err})"
            raise InputError(msg, source=path, fix="pass an AnnData .h5ad file (or a CSV/TSV table)") from err
    elif kind == "geo":
        adata = read_geo_series_matrix(
            path, platform=platform, multi_gene=multi_gene, symbol_column=symbol_column, **kwargs
        )
        if platform is None:
            logger.warning(
                "%s: no platform table given; var_names are probe ids, so panel genes will not be found "
                "(pass the GPL table, e.g. --platform GPL570-55999.txt)",
                path.name,
            )
    elif kind == "qpcr":
        adata = read_qpcr_table(
            path,
            sample_col=sample_col,
            gene_col=gene_col,
            value_col=value_col,
            value_kind=value_kind,
            reference_genes=reference_genes,
            replicates=replicates,
            **kwargs,
        )
    else:
        adata = read_expression_csv(path, obs_columns=obs_columns, **kwargs)
    if not adata.obs_names.is_unique:
        dup = adata.obs_names[adata.obs_names.duplicated()][0]
        msg = "duplicated sample id"
        raise InputError(msg, source=path, item=str(dup), fix="give every sample a unique id")
    adata.uns["input_format"] = kind
    adata.uns["source_file"] = path.name
    return adata


def attach_labels(
    adata: AnnData,
    labels: str | os.PathLike[str] | pd.DataFrame,
    *,
    label_col: str,
    sample_col: str | None = None,
) -> AnnData:
    """Copy a label column from a separate table into ``adata.obs`` (returns a new AnnData).

    Every expression sample must have a label and every labelled sample must have
    expression; otherwise an :class:`~omicsdl.InputError` lists the ids on each
    side (ids are compared after stripping whitespace; a hint is given when
    they would match case-insensitively).

    Parameters
    ----------
    adata
        Expression data.
    labels
        CSV/TSV file or DataFrame with a sample-id column and ``label_col``.
    label_col
        Column with the class; copied to ``adata.obs[label_col]``.
    sample_col
        Sample-id column of ``labels`` (the first column by default).

    Returns
    -------
    A copy of ``adata`` with ``obs[label_col]`` (sample ids stripped of whitespace).

    Raises
    ------
    InputError
        A missing column, a sample listed twice, or sample ids that do not match.
    """
    source = None
    if not isinstance(labels, pd.DataFrame):
        from omicsdl.io._qpcr import _read_table

        source = Path(labels)
        labels = _read_table(source, None)
    key = sample_col or labels.columns[0]
    for column in (key, label_col):
        if column not in labels.columns:
            msg = f"label table has no column {column!r} (columns: {', '.join(map(str, labels.columns))})"
            raise InputError(
                msg,
                source=source,
                line=1,
            )
    ids = labels[key].astype(str).str.strip()
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        msg = "sample listed twice in the label table"
        raise InputError(msg, source=source, item=dup)
    expr_ids = pd.Index(adata.obs_names.astype(str).str.strip())
    only_expr = expr_ids.difference(pd.Index(ids))
    only_labels = pd.Index(ids).difference(expr_ids)
    if len(only_expr) or len(only_labels):
        hint = ""
        if {s.lower() for s in only_expr} & {s.lower() for s in only_labels}:
            hint = " Some ids differ only in upper/lower case."
        msg = (
            f"sample ids of expression and labels do not match: {len(only_expr)} expression sample(s) "
            f"without a label (e.g. {', '.join(only_expr[:3])}) and {len(only_labels)} labelled sample(s) "
            f"without expression (e.g. {', '.join(only_labels[:3])}).{hint}"
        )
        raise InputError(
            msg,
            source=source,
            item=str((only_expr.tolist() or only_labels.tolist())[0]),
            fix="use the same sample ids in both files (for GEO: the GSM accession), or drop the extras",
        )
    out = adata.copy()
    out.obs_names = expr_ids
    out.obs[label_col] = pd.Series(labels[label_col].to_numpy(), index=ids).reindex(expr_ids).to_numpy()
    return out


def load_blood_cohorts(
    train: str | os.PathLike[str] | None = None,
    validation: str | os.PathLike[str] | None = None,
    *,
    simulate: bool = False,
    genes: Sequence[str] = NINE_GENE_PANEL,
    label_key: str = "condition",
    labels: str | os.PathLike[str] | None = None,
    labels_sample_col: str | None = None,
    rng: RNGLike = None,
    **read_options: Any,
) -> tuple[AnnData, AnnData | None]:
    """The training and (optional) validation cohorts of a blood comparison, from files or simulated.

    With ``simulate=True`` a SYNTHETIC cohort with the published group sizes is
    drawn (:func:`~omicsdl.blood.simulate_blood_cohort`) and split into its
    training and validation parts (:func:`~omicsdl.blood.split_blood_cohort`).
    Otherwise ``train`` (and ``validation``) are read with
    :func:`read_blood_expression`, keeping ``label_key`` as annotation, and
    labels from a separate table are attached with :func:`attach_labels`
    (to both cohorts).

    Parameters
    ----------
    train
        Training data file; required unless ``simulate``.
    validation
        External validation data file (same format and labels); optional
        (ignored, with a logged warning, when ``simulate``).
    simulate
        Use a SYNTHETIC cohort instead of ``train``.
    genes
        Gene panel of the simulated cohort.
    label_key
        Column with the class (kept from the files, or filled from ``labels``).
    labels
        Separate label table (CSV/TSV) with sample ids and ``label_key``.
    labels_sample_col
        Sample-id column of ``labels`` (its first column by default).
    rng
        Seed or generator of the simulated cohort (``None``: ``settings.seed``).
    **read_options
        Options of :func:`read_blood_expression` (``format``, ``platform``,
        ``value_kind`` …).

    Returns
    -------
    ``(train, validation)``; ``validation`` is ``None`` when none was given.

    Raises
    ------
    InputError
        Both or neither of ``simulate`` and ``train``, or anything the readers refuse.

    Examples
    --------
    >>> import omicsdl as od
    >>> train, valid = od.blood.load_blood_cohorts(simulate=True, rng=0)  # SYNTHETIC
    >>> train.n_obs, valid.n_obs
    (157, 86)
    """
    if simulate:
        from omicsdl.blood._simulate import simulate_blood_cohort, split_blood_cohort

        if train is not None:
            msg = "give either --simulate or --train, not both"
            raise InputError(msg)
        if validation is not None:
            logger.warning("%s: ignored, the simulated cohort brings its own validation part", validation)
        return split_blood_cohort(simulate_blood_cohort(genes=genes, rng=rng))
    if train is None:
        msg = "no training data"
        raise InputError(msg, fix="pass --train FILE (or --simulate for a SYNTHETIC demo)")

    def _read(path: str | os.PathLike[str]) -> AnnData:
        adata = read_blood_expression(path, obs_columns=[label_key], **read_options)
        if labels is not None:
            adata = attach_labels(adata, labels, label_col=label_key, sample_col=labels_sample_col)
        return adata

    return _read(train), (None if validation is None else _read(validation))
