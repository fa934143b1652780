"""Gene-set enrichment: ``.gmt`` collections, over-representation analysis (ORA) and a module null."""

from __future__ import annotations

from omicsdl.enrich._gmt import default_gene_sets, read_gmt
from omicsdl.enrich._null import ModuleNull, module_enrichment_null
from omicsdl.enrich._ora import ModuleEnrichment, run_module_enrichment, run_ora

__all__ = [
    "ModuleEnrichment",
    "ModuleNull",
    "default_gene_sets",
    "module_enrichment_null",
    "read_gmt",
    "run_module_enrichment",
    "run_ora",
]
