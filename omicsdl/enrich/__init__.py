"""Gene-set enrichment: ``.gmt`` collections and over-representation analysis (ORA)."""

from __future__ import annotations

from omicsdl.enrich._gmt import default_gene_sets, read_gmt
from omicsdl.enrich._ora import run_ora

__all__ = ["default_gene_sets", "read_gmt", "run_ora"]
