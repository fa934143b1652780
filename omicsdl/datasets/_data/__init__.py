"""Embedded data files (read with importlib.resources)."""
