"""Jinja2 templates of the HTML reports."""

__all__: list[str] = []
