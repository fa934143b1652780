"""The TCGA-LIHC demo cohort files and their sha256 sums."""

__all__: list[str] = []
