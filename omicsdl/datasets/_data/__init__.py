"""Embedded data files (read with importlib.resources)."""

__all__: list[str] = []
