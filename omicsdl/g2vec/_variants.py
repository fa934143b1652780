"""The two G2Vec variants: the authors' algorithm (``reference``) and omicsdl's choices (``omicsdl``).

:data:`DIFFERENCES` is the one table of every step where they differ (the
G2Vec docstring and the README print it); :func:`variant_settings` turns a
variant name into the settings the pipeline steps take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DIFFERENCES",
    "VARIANTS",
    "Variant",
    "VariantSettings",
    "differences_markdown",
    "variant_settings",
]

Variant = Literal["reference", "omicsdl"]
VARIANTS: tuple[Variant, ...] = ("reference", "omicsdl")


@dataclass(frozen=True, slots=True)
class VariantSettings:
    """What a variant fixes in each step (see :data:`DIFFERENCES`)."""

    directed: bool
    keep_isolated: bool
    sort_genes: bool
    cbow: dict[str, Any]
    l_group_rule: Literal["reference", "omicsdl"]
    pooled_t: bool


_SETTINGS = {
    "reference": VariantSettings(
        directed=True,
        keep_isolated=True,
        sort_genes=True,
        cbow={
            "input_scaling": "binary",
            "bias": False,
            "init": "truncated_normal",
            "batch_size": None,
            "early_stopping": "accuracy_drop",
            "max_epochs": 500,
            "zero_unseen": False,
        },
        l_group_rule="reference",
        pooled_t=True,
    ),
    "omicsdl": VariantSettings(
        directed=False,
        keep_isolated=False,
        sort_genes=False,
        cbow={
            "input_scaling": "mean",
            "bias": True,
            "init": "uniform",
            "batch_size": 512,
            "early_stopping": "loss_patience",
            "patience": 3,
            "max_epochs": 30,
            "zero_unseen": True,
        },
        l_group_rule="omicsdl",
        pooled_t=False,
    ),
}

#: (step, authors' code = ``reference``, ``omicsdl`` variant, why the variant differs)
DIFFERENCES: tuple[tuple[str, str, str, str], ...] = (
    (
        "network direction",
        "rows walked as listed (`src → dest`)",
        "every edge walked both ways",
        "interaction networks (STRING, HumanNet) are undirected and list each pair once: read as "
        "directed, a walk can follow each edge one way only",
    ),
    (
        "genes",
        "all genes in both network and expression (sorted A→Z), isolated ones included",
        "expressed genes with at least one edge among them",
        "an isolated gene only ever gives one-gene paths found in both groups",
    ),
    (
        "path identity",
        "a path is the set of its genes; each group keeps each set once",
        "same",
        "",
    ),
    ("common paths", "a gene set found in both groups is removed from both", "same", ""),
    (
        "one-gene paths",
        "a gene with no kept edge in a group gives a one-gene path there",
        "same",
        "",
    ),
    (
        "CBOW input",
        "multi-hot 0/1",
        "multi-hot divided by the path length (CBOW mean)",
        "long and short paths weigh alike",
    ),
    (
        "CBOW output",
        "no bias",
        "learnt bias",
        "absorbs the imbalance between the groups' path counts, which otherwise goes into every vector",
    ),
    (
        "initial weights",
        "truncated normal, sd dim^-0.5",
        "uniform ±0.5/dim (word2vec); output ±dim^-0.5",
        "a vector's length then measures how far training moved it",
    ),
    (
        "fitting",
        "full batch, Adam lr 0.005, at most 500 epochs",
        "mini-batches of 512, Adam lr 0.005, at most 30 epochs",
        "faster on large path sets",
    ),
    (
        "early stopping",
        "80/20 split of the distinct paths; stop at the first drop of hold-out accuracy, keep the epoch before",
        "same split; keep the epoch of lowest hold-out loss, stop after 3 epochs without improvement",
        "the loss is smoother than the accuracy of a few hundred paths",
    ),
    (
        "vectors of genes in no path",
        "their untrained initial weights",
        "zero",
        "",
    ),
    (
        "L-groups",
        "K-means k = 3 on all genes; largest cluster = rest; good/poor by raw path counts",
        "K-means on genes in paths; smallest mean length = rest; good/poor by path shares per group",
        "per-group shares: a group with more paths does not claim every gene",
    ),
    ("t statistic", "pooled variance (Student)", "Welch", "does not assume equal variances"),
    ("gene score", "½ min-max(vector length) + ½ min-max(|t|) per L-group; top 50 each", "same", ""),
)


def variant_settings(variant: str) -> VariantSettings:
    """The settings of ``variant`` (``"reference"`` or ``"omicsdl"``).

    Raises
    ------
    ValueError
        Unknown variant.
    """
    if variant not in _SETTINGS:
        msg = f"variant must be one of {list(VARIANTS)}, got {variant!r}"
        raise ValueError(msg)
    return _SETTINGS[variant]


def differences_markdown() -> str:
    """:data:`DIFFERENCES` as a Markdown table (what the README shows)."""
    lines = ["| step | authors' code (`reference`) | `omicsdl` variant | why |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in DIFFERENCES]
    return "\n".join(lines)
