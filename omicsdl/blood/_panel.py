"""The blood gene panel: symbols, aliases, panel extraction, labels and Ct detection.

Everything the blood classifiers need to turn an AnnData (samples × genes) into
a numeric panel matrix and a 0/1 label vector, with the checks that catch the
usual mistakes: a panel gene that is missing or spelled as an alias, raw Ct
values where log-scale relative expression is expected, one class only.

No torch here: this module is imported by readers, the simulator and the CLI.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from omicsdl._core._errors import InputError
from omicsdl.io._ct import check_not_ct
from omicsdl.io._features import feature_symbols

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from anndata import AnnData

__all__ = [
    "NINE_GENE_PANEL",
    "PANEL_ALIASES",
    "PanelData",
    "binary_labels",
    "extract_panel",
    "is_synthetic",
    "resolve_aliases",
]

logger = logging.getLogger(__name__)

#: The nine blood genes of Xie et al. 2018 (World J Gastroenterol), in the order the paper lists them.
NINE_GENE_PANEL: tuple[str, ...] = ("GPC3", "HGF", "ANXA1", "FOS", "SPAG9", "HSPA1B", "CXCR4", "PFN1", "CALR")

#: Alias / previous symbols mapped to the official HGNC symbol. Only aliases that
#: name a single gene unambiguously are listed; ambiguous ones (``SF`` for HGF,
#: ``AP-1`` for FOS, ``SSA``/``RO`` for CALR, ``HSP72`` for HSPA1A/B) are not.
#: PFN1 has no alias in common use that we are sure of, so none is mapped.
PANEL_ALIASES: dict[str, str] = {
    # GPC3: cloned as MXR7; OCI-5 is the rat orthologue's name used in older papers
    "MXR7": "GPC3",
    "OCI-5": "GPC3",
    # HGF: hepatopoietin A
    "HPTA": "HGF",
    # ANXA1: previous symbol ANX1; lipocortin 1
    "ANX1": "ANXA1",
    "LPC1": "ANXA1",
    # FOS: the c-fos proto-oncogene
    "C-FOS": "FOS",
    # SPAG9: JNK-interacting protein 4, JNK-associated leucine zipper protein
    "JIP4": "SPAG9",
    "JLP": "SPAG9",
    # HSPA1B: heat shock 70 kDa protein 1B (HSP70-1 is HSPA1A and is NOT mapped)
    "HSP70-2": "HSPA1B",
    "HSP70-1B": "HSPA1B",
    # CXCR4: CD184 and LESTR (HGNC aliases); fusin is the protein name (UniProt) used in HIV papers
    "CD184": "CXCR4",
    "LESTR": "CXCR4",
    "FUSIN": "CXCR4",
    # CALR: calreticulin
    "CRT": "CALR",
}


def resolve_aliases(
    names: Sequence[str], genes: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each panel gene to the column that holds it in ``names``.

    Matching is case-insensitive. The official symbol wins over an alias when
    both are present; a gene found under two aliases (and not under its own
    symbol) is an error, because we would have to guess.

    Parameters
    ----------
    names
        Column (gene) names of the data.
    genes
        Panel genes (official symbols).
    aliases
        Alias → official symbol; :data:`PANEL_ALIASES` by default.

    Returns
    -------
    Panel gene → column name in ``names``, for the genes that were found.
    """
    aliases = PANEL_ALIASES if aliases is None else aliases
    by_upper: dict[str, str] = {}
    for name in names:
        by_upper.setdefault(str(name).strip().upper(), str(name))
    found: dict[str, str] = {}
    for gene in genes:
        key = gene.upper()
        if key in by_upper:
            found[gene] = by_upper[key]
            continue
        hits = [
            by_upper[a.upper()]
            for a, target in aliases.items()
            if target.upper() == key and a.upper() in by_upper
        ]
        if len(hits) > 1:
            msg = f"panel gene {gene} appears under several aliases: {', '.join(hits)}"
            raise InputError(
                msg,
                item=gene,
                fix=f"keep one column (or rename it to {gene})",
            )
        if hits:
            logger.info("panel gene %s found under its alias %s", gene, hits[0])
            found[gene] = hits[0]
    return found


def binary_labels(
    obs: pd.DataFrame,
    *,
    label_key: str,
    positive: str | Sequence[str],
    negative: str | Sequence[str] | None = None,
    source: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Turn a label column into 0/1 (1 = ``positive``, e.g. HCC).

    Values are compared after stripping and lower-casing. With ``negative``
    given, samples that match neither list are dropped (logged); without it,
    every non-positive, non-missing value is a control.

    Parameters
    ----------
    obs
        Sample annotation (e.g. ``adata.obs``).
    label_key
        Column of ``obs`` holding the class.
    positive
        Label value(s) of the positive class (HCC).
    negative
        Label value(s) of the controls; ``None``: every other non-missing value.
    source
        File name used in error messages.

    Returns
    -------
    ``(y, keep)``: ``y`` 0/1 for the kept samples, ``keep`` a boolean mask over ``obs``.

    Raises
    ------
    InputError
        No ``label_key`` column, a value both positive and negative, or one class only.
    """
    if label_key not in obs.columns:
        msg = f"no label column {label_key!r}; columns are: {', '.join(map(str, obs.columns))}"
        raise InputError(
            msg,
            source=source,
            fix="name the column that holds HCC/control (CLI: --label-key)",
        )

    def _norm(values: str | Sequence[str]) -> set[str]:
        return (
            {values.strip().lower()} if isinstance(values, str) else {str(v).strip().lower() for v in values}
        )

    pos = _norm(positive)
    raw = obs[label_key]
    present = raw.notna().to_numpy()
    text = raw.astype(str).str.strip().str.lower().to_numpy()
    is_pos = present & np.isin(text, list(pos))
    if negative is None:
        keep = present
    else:
        neg = _norm(negative)
        overlap = pos & neg
        if overlap:
            msg = f"label value(s) {sorted(overlap)} are both positive and negative"
            raise InputError(msg, item=label_key)
        keep = is_pos | (present & np.isin(text, list(neg)))
    dropped = int((~keep).sum())
    if dropped:
        logger.info(
            "dropped %d sample(s) whose %r is neither positive nor negative (or missing)", dropped, label_key
        )
    y = is_pos[keep].astype(np.int64)
    n_pos = int(y.sum())
    if n_pos == 0 or n_pos == y.size:
        seen = sorted(set(raw[keep].astype(str)))[:10]
        msg = (
            f"only one class in {label_key!r} after matching positive={sorted(pos)}: "
            f"{n_pos} positive, {y.size - n_pos} negative (values seen: {seen})"
        )
        raise InputError(
            msg,
            source=source,
            item=label_key,
            fix="a classifier needs both HCC and control samples; check --positive/--negative "
            "against the values above",
        )
    return y, keep


@dataclass
class PanelData:
    """A panel matrix ready for a classifier.

    Parameters
    ----------
    X
        Samples × panel genes (official symbols, panel order); ``NaN`` where missing.
    y
        0/1 labels (1 = positive class) or ``None`` when no labels were asked for.
    columns
        Panel gene → column used in the source data (differs for aliases).
    synthetic
        Whether the source data are labelled synthetic.
    """

    X: pd.DataFrame
    y: np.ndarray | None
    columns: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False


def is_synthetic(adata: AnnData) -> bool:
    """Whether ``adata`` carries the synthetic flag (``uns["synthetic"]`` or ``obs["synthetic"]``)."""
    if bool(adata.uns.get("synthetic", False)):
        return True
    return "synthetic" in adata.obs and bool(np.asarray(adata.obs["synthetic"], dtype=bool).any())


def extract_panel(
    adata: AnnData,
    *,
    genes: Sequence[str] = NINE_GENE_PANEL,
    label_key: str | None = None,
    positive: str | Sequence[str] = "HCC",
    negative: str | Sequence[str] | None = None,
    layer: str | None = None,
    missing: Literal["error", "keep"] = "error",
    allow_ct_like: bool = False,
    source: str | None = None,
) -> PanelData:
    """Return the panel genes of ``adata`` as a float matrix, with labels when ``label_key`` is given.

    Parameters
    ----------
    adata
        Samples × genes; gene symbols (or aliases, see :data:`PANEL_ALIASES`) in ``var_names``.
    genes
        The panel (nine genes of Xie et al. 2018 by default).
    label_key
        Column of ``adata.obs`` holding the class; see :func:`binary_labels`.
    positive, negative
        Label values of the positive (HCC) and, optionally, the negative class.
    layer
        Layer to read instead of ``X``.
    missing
        ``"error"``: a panel gene absent from ``adata``, or any missing value, is an
        error naming the genes and samples. ``"keep"``: absent genes become ``NaN``
        columns (for prediction with imputation).
    allow_ct_like
        Skip the raw-Ct check (:func:`check_not_ct`).
    source
        File name used in error messages.
    """
    if len(set(genes)) != len(genes) or not genes:
        msg = f"the gene panel must be non-empty and without duplicates, got {list(genes)}"
        raise InputError(msg)
    if not adata.obs_names.is_unique:
        dup = adata.obs_names[adata.obs_names.duplicated()].unique()
        msg = f"{len(dup)} duplicated sample id(s): {', '.join(map(str, dup[:5]))}"
        raise InputError(
            msg,
            source=source,
            item=str(dup[0]),
            fix="give every sample a unique id (or drop the repeated measurement)",
        )
    symbols = feature_symbols(adata)  # gene symbols (a cohort's rna:GPC3 is GPC3)
    columns = resolve_aliases(list(symbols), genes)
    absent = [g for g in genes if g not in columns]
    if absent and missing == "error":
        msg = f"{len(absent)} of {len(genes)} panel gene(s) missing: {', '.join(absent)}"
        raise InputError(
            msg,
            source=source,
            item=absent[0],
            fix="check the probe→gene mapping (--platform) or gene names; known aliases are mapped "
            "automatically (od.blood.PANEL_ALIASES); for prediction, --impute training-median "
            "fills absent values from the training data",
        )
    var_index = {str(v): i for i, v in enumerate(symbols)}
    matrix = adata.layers[layer] if layer is not None else adata.X
    data = np.full((adata.n_obs, len(genes)), np.nan)
    for j, gene in enumerate(genes):
        if gene in columns:
            col = matrix[:, var_index[columns[gene]]]
            col = col.toarray() if hasattr(col, "toarray") else np.asarray(col)
            data[:, j] = np.asarray(col, dtype=float).ravel()
    frame = pd.DataFrame(data, index=adata.obs_names.astype(str), columns=list(genes))
    if missing == "error":
        nan_rows = frame.isna().any(axis=1)
        if nan_rows.any():
            first = frame.index[nan_rows][0]
            which = [g for g in genes if np.isnan(frame.loc[first, g])]
            msg = (
                f"{int(nan_rows.sum())} sample(s) miss a panel value "
                f"(first: {first} misses {', '.join(which)})"
            )
            raise InputError(
                msg,
                source=source,
                item=str(first),
                fix="drop those samples, or for prediction pass --impute training-median",
            )
    if not allow_ct_like:
        check_not_ct(frame.to_numpy(), source=source, what="panel values")
    y = None
    if label_key is not None:
        y, keep = binary_labels(
            adata.obs, label_key=label_key, positive=positive, negative=negative, source=source
        )
        frame = frame.loc[keep]
    return PanelData(X=frame, y=y, columns=columns, synthetic=is_synthetic(adata))
