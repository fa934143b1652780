"""Workflow configuration checks that name the bad key and the allowed values."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

__all__ = ["config_errors", "validate_config"]


def _load_schema(schema: str | os.PathLike[str] | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(schema, str | Path):
        import yaml

        return yaml.safe_load(Path(schema).read_text())
    return dict(schema)  # type: ignore[arg-type]


def _subschema(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node = schema
    for part in path:
        props = node.get("properties", {})
        if isinstance(part, str) and part in props:
            node = props[part]
        elif isinstance(part, int) and "items" in node:
            node = node["items"]
        else:
            return {}
    return node


def _allowed(node: dict[str, Any]) -> str:
    if "enum" in node:
        return "one of " + ", ".join(repr(v) for v in node["enum"])
    parts = []
    kind = node.get("type")
    if kind:
        parts.append(kind if isinstance(kind, str) else " or ".join(kind))
    for key, word in (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
    ):
        if key in node:
            parts.append(f"{word} {node[key]}")
    if "pattern" in node:
        parts.append(f"matching {node['pattern']}")
    return " ".join(parts) or "see the schema"


def _did_you_mean(name: str, known: Mapping[str, Any]) -> str:
    """`` did you mean 'x'?`` for the closest allowed key, or an empty string."""
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" did you mean '{close[0]}'?" if close else ""


def config_errors(config: Mapping[str, Any], schema: str | os.PathLike[str] | Mapping[str, Any]) -> list[str]:
    """Every schema violation of ``config`` as one sentence naming the key and what is allowed.

    Parameters
    ----------
    config
        The workflow configuration (parsed YAML).
    schema
        A JSON Schema (draft 2020-12) as a mapping or a YAML/JSON file.
    """
    from jsonschema import Draft202012Validator

    sch = _load_schema(schema)
    messages = []
    for err in sorted(
        Draft202012Validator(sch).iter_errors(dict(config)), key=lambda e: list(e.absolute_path)
    ):
        path = list(err.absolute_path)
        key = ".".join(str(p) for p in path) or "(top level)"
        node = _subschema(sch, path)
        if err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(node.get("properties", {})))
            allowed = ", ".join(sorted(node.get("properties", {})))
            for name in extra:
                full = f"{key}.{name}" if path else name
                hint = _did_you_mean(name, node.get("properties", {}))
                messages.append(f"config key '{full}' is not allowed here;{hint} allowed keys: {allowed}")
        elif err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            full = f"{key}.{missing}" if path else missing
            what = _allowed(node.get("properties", {}).get(missing, {}))
            messages.append(f"config key '{full}' is required ({what})")
        else:
            messages.append(
                f"config key '{key}' = {err.instance!r} is not allowed; allowed: {_allowed(node)}"
            )
    return messages


def validate_config(
    config: Mapping[str, Any],
    schema: str | os.PathLike[str] | Mapping[str, Any],
    *,
    source: str | os.PathLike[str] | None = None,
) -> None:
    """Raise :class:`~omicsdl.InputError` listing every schema violation of ``config``.

    Parameters
    ----------
    config, schema
        As for :func:`config_errors`.
    source
        The config file, named in the error.
    """
    messages = config_errors(config, schema)
    if messages:
        raise InputError(
            "the workflow configuration does not match its schema:\n  - " + "\n  - ".join(messages),
            source=source,
            fix="edit the config file (every key is documented in config/config.yaml and config/README.md)",
        )
