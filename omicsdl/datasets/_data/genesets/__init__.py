"""Shipped gene-set collections (.gmt), read by omicsdl.enrich.default_gene_sets."""

__all__: list[str] = []
