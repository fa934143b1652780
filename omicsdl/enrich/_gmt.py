"""Gene-set collections in the ``.gmt`` format (``name<TAB>description<TAB>gene…``)."""

from __future__ import annotations

import gzip
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError
from omicsdl.io._text import read_text

if TYPE_CHECKING:
    import os

__all__ = ["default_gene_sets", "read_gmt"]

_DEFAULT = "GO_Biological_Process_2023.gmt.gz"


def _parse_gmt(text: str, source: str) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 3:
            msg = "a .gmt row needs a name, a description and at least one gene, separated by tabs"
            raise InputError(
                msg,
                source=source,
                line=lineno,
                fix="check that the file is tab-separated .gmt",
            )
        name = fields[0].strip()
        genes = list(dict.fromkeys(g.strip() for g in fields[2:] if g.strip()))
        if not name or not genes:
            msg = "gene set without a name or without genes"
            raise InputError(msg, source=source, line=lineno)
        if name in sets:
            sets[name] = list(dict.fromkeys(sets[name] + genes))
        else:
            sets[name] = genes
    if not sets:
        msg = "no gene set in the file"
        raise InputError(msg, source=source, fix="give a .gmt file")
    return sets


def read_gmt(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Read a ``.gmt`` file (plain or gzip) into ``{set name: [genes]}``.

    The description column is ignored; empty trailing fields (Enrichr builds)
    and duplicate genes are dropped, and rows repeating a set name are merged.

    Parameters
    ----------
    path
        The ``.gmt`` or ``.gmt.gz`` file.

    Returns
    -------
    Gene sets in file order.

    Raises
    ------
    InputError
        Missing file or a row that is not ``name<TAB>description<TAB>gene…``.

    Examples
    --------
    >>> import omicsdl as od
    >>> sets = od.enrich.default_gene_sets()
    >>> len(sets)
    5407
    """
    path = Path(path)
    return _parse_gmt(read_text(path, what="gene-set (.gmt) file"), str(path))


def default_gene_sets() -> dict[str, list[str]]:
    """Return the shipped default collection: GO Biological Process 2023 (Enrichr build).

    5,407 sets, gene symbols. Gene Ontology data are CC BY 4.0 (Gene Ontology
    Consortium; Ashburner et al. 2000, doi:10.1038/75556; Aleksander et al.
    2023, doi:10.1093/genetics/iyad031); the set build is Enrichr's
    (Kuleshov et al. 2016, doi:10.1093/nar/gkw377). Provenance:
    ``omicsdl/datasets/_data/genesets/PROVENANCE.md``.
    """
    resource = files("omicsdl.datasets._data.genesets") / _DEFAULT
    return _parse_gmt(gzip.decompress(resource.read_bytes()).decode("utf-8"), f"omicsdl:{_DEFAULT}")
