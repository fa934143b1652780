"""Shipped network subsets (STRING), read by omicsdl.datasets.string_demo_network_path."""

__all__: list[str] = []
