"""(namespace filled as modules land)."""
