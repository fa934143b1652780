"""The G2Vec demo: embedded TCGA-LIHC mRNA with prognosis labels and a shipped STRING subset."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from omicsdl.datasets._shipped import checked_bytes

if TYPE_CHECKING:
    import networkx as nx
    from anndata import AnnData

__all__ = ["g2vec_demo", "string_demo_network_path"]

_PACKAGE = "omicsdl.datasets._data.networks"
_NETWORK = "string_lihc_demo.csv.gz"


def string_demo_network_path() -> Path:
    """Path of the shipped STRING subset (253 edges among the demo mRNA genes, CC BY 4.0).

    The file is checked against its sha256. Provenance:
    ``omicsdl/datasets/_data/networks/PROVENANCE.md``.
    """
    checked_bytes(
        _PACKAGE, _NETWORK, problem="shipped network does not match its sha256", fix="reinstall omicsdl"
    )
    with as_file(files(_PACKAGE) / _NETWORK) as path:
        return Path(path)


#: what limits conclusions drawn from the demo mRNA (carried in ``adata.uns["omicsdl"]["limits"]``)
DEMO_LIMITS = (
    "the mRNA is truncated by its source to the alphabetically first 365 genes (A1BG … AGXT2): "
    "every gene, biomarker and module starts with A, and genes of one family sit side by side "
    "(e.g. ABL1/ABL2, ACSL1/3/4/5), so modules and their enrichment are artefacts of the truncation, "
    "not liver-cancer biology",
)


def g2vec_demo(*, horizon_days: float = 1095, directed: bool = False) -> tuple[AnnData, nx.Graph]:
    """Real data for a G2Vec run: TCGA-LIHC demo mRNA and the shipped STRING subset.

    The expression is the embedded cohort's mRNA (360 patients; the 353 named
    genes of the alphabetically first 365, the 12 unnamed ones dropped) as
    ``log2(RSEM + 1)``. ``obs["prognosis"]`` follows
    :func:`omicsdl.survival.prognosis_labels` with a 3-year horizon (99 poor, 89
    good, 172 excluded). ``uns["omicsdl"]["limits"]`` says what the truncation
    of the source means for any result (:data:`DEMO_LIMITS`).

    Parameters
    ----------
    horizon_days
        Survival horizon separating good from poor prognosis.
    directed
        Read the network rows as directed edges (``protein1 → protein2`` as
        listed), as the reference G2Vec walks them.

    Returns
    -------
    ``(adata, network)``.
    """
    from omicsdl.datasets._tcga_lihc_demo import tcga_lihc_demo
    from omicsdl.io import index_by_symbol, read_network
    from omicsdl.survival._labels import prognosis_labels

    mdata = tcga_lihc_demo()
    rna = index_by_symbol(mdata["rna"])  # the network names genes by symbol (ACAT1, not rna:ACAT1)
    adata = rna[:, ~rna.var_names.str.startswith("unnamed_gene_")].copy()
    adata.X = np.log2(np.asarray(adata.X, dtype=np.float32) + 1.0)
    adata.obs = adata.obs.join(mdata.obs[["os_days", "os_event"]])
    adata.obs["prognosis"] = prognosis_labels(adata.obs, horizon_days=horizon_days)
    adata.uns["omicsdl"] = {
        "modality": "rna",
        "units": "log2(RSEM normalised count + 1)",
        "limits": list(DEMO_LIMITS),
    }
    return adata, read_network(string_demo_network_path(), directed=directed)
