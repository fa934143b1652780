"""Workflow configurations: schemas, documented keys, readable errors, `log:` on every rule."""

from __future__ import annotations

import re

import pytest
import yaml

from omicsdl import InputError
from omicsdl._workflows import WORKFLOWS, config_errors, validate_config, workflow_dir
from tests.workflows._helpers import WORKFLOWS as ROOT

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {"enum": ["fast", "full"]},
        "seed": {"type": "integer", "minimum": 0},
        "nested": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"folds": {"type": "integer"}},
        },
    },
    "required": ["mode"],
}


def test_config_errors_name_the_key_and_the_allowed_values():
    msgs = config_errors({"mode": "slow", "seed": -1, "nested": {"folds": 2, "fold": 3}, "colour": 1}, SCHEMA)
    text = "\n".join(msgs)
    assert "config key 'mode' = 'slow' is not allowed; allowed: one of 'fast', 'full'" in text
    assert "config key 'seed' = -1 is not allowed; allowed: integer >= 0" in text
    assert "config key 'nested.fold' is not allowed here; did you mean 'folds'? allowed keys: folds" in text
    assert "config key 'colour' is not allowed here; allowed keys: mode, nested, seed" in text
    assert len(msgs) == 4


def test_a_near_miss_key_gets_a_did_you_mean_and_a_far_one_does_not():
    text = "\n".join(config_errors({"mode": "fast", "sed": 1, "zzz": 2}, SCHEMA))
    assert "config key 'sed' is not allowed here; did you mean 'seed'?" in text
    assert "config key 'zzz' is not allowed here; allowed keys" in text


def test_missing_required_key_is_named():
    assert config_errors({}, SCHEMA) == ["config key 'mode' is required (one of 'fast', 'full')"]


def test_validate_config_raises_input_error_with_fix():
    with pytest.raises(InputError, match=r"config key 'mode'.*\n.*fix: edit the config file"):
        validate_config({"mode": 3}, SCHEMA, source="config.yaml")
    validate_config({"mode": "fast"}, SCHEMA)  # a good config passes


@pytest.mark.parametrize("name", WORKFLOWS)
def test_shipped_configs_match_their_schema(name):
    folder = workflow_dir(name)
    assert folder == ROOT / name
    schema = folder / "workflow" / "schemas" / "config.schema.yaml"
    assert yaml.safe_load(schema.read_text())["$schema"].endswith("2020-12/schema")
    for config in ("config/config.yaml", "config/demo.yaml", ".test/config/config.yaml"):
        doc = yaml.safe_load((folder / config).read_text())
        assert config_errors(doc, schema) == [], f"{name}/{config}"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_config_key_is_commented(name):
    lines = (workflow_dir(name) / "config" / "config.yaml").read_text().splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)([A-Za-z_]+):\s*(\S.*)?$", line)
        if match and match.group(3) is not None:  # a key with a value (not a section header)
            before = lines[i - 1].strip() if i else ""
            assert before.startswith("#"), f"{name}: key {match.group(2)!r} has no comment above it"


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_rule_has_a_log_and_calls_the_cli(name):
    rules_dir = workflow_dir(name) / "workflow" / "rules"
    text = "\n".join(p.read_text() for p in sorted(rules_dir.glob("*.smk")))
    blocks = re.split(r"^rule (\w+):", text, flags=re.MULTILINE)[1:]
    assert blocks, name
    for rule, body in zip(blocks[::2], blocks[1::2], strict=True):
        assert re.search(r"^\s+log:", body, re.MULTILINE), f"{name}: rule {rule} has no log:"
        calls = re.search(r"\{OMICSDL(_CLI)?:q\}", body) and re.search(r"\{log:q\}", body)
        assert calls, f"{name}: rule {rule} must call omicsdl and log"
        assert "run:" not in body and "script:" not in body
        # a workflow with a conda env (tcga_multiomics) declares it on every rule; the others on none
        has_env = (workflow_dir(name) / "workflow" / "envs").is_dir()
        assert ("conda:" in body) == has_env, f"{name}: rule {rule} conda: must match workflow/envs"
    assert (workflow_dir(name) / "config" / "README.md").is_file()
    assert any((workflow_dir(name) / "workflow" / "report").glob("*.rst"))
