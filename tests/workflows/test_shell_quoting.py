"""Config values never reach a shell unquoted (issue 13, hole 4): paths with spaces work, `;` runs nothing.

Every ``{...}`` of every rule's ``shell:`` command is shell-quoted (``:q``);
option strings from a config (``extra``, ``fit_extra``) are split into words
and refused when they hold shell syntax; a real run whose input and results
folders hold a space, ``;``, ``$(...)`` and backticks succeeds and runs nothing.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import yaml

from omicsdl._workflows import WORKFLOWS, option_words
from tests.workflows._helpers import REPO, snakemake
from tests.workflows._helpers import WORKFLOWS as ROOT

#: every Snakemake file of the repository: the workflows' Snakefiles and rules, the demo
SNAKEFILES = sorted(
    [
        *ROOT.glob("*/workflow/Snakefile"),
        *ROOT.glob("*/workflow/rules/*.smk"),
        *REPO.glob("omicsdl/_workflows/*.smk"),
    ]
)


def shell_commands(text: str) -> list[str]:
    """The ``shell:`` commands of a Snakemake file: the (implicitly concatenated) string literals below it."""
    commands = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^(\s*)shell:\s*(.*)$", line)
        if not match:
            continue
        indent, body = len(match.group(1)), [match.group(2)] if match.group(2) else []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following.strip())
        commands.append(ast.literal_eval("(" + "\n".join(body) + ")"))
    return commands


def unquoted_fields(command: str) -> list[str]:
    """The ``{field}`` of ``command`` that Snakemake would paste without shell quoting."""
    return [
        "{" + field + (f":{spec}" if spec else "") + "}"
        for _, field, spec, _ in string.Formatter().parse(command)
        if field is not None and not (spec or "").endswith("q")
    ]


def test_every_snakemake_file_is_found_and_every_analysis_workflow_has_shell_commands():
    assert {p.parent.parent.name for p in SNAKEFILES if p.name == "Snakefile"} == set(WORKFLOWS)
    assert any(p.name == "demo.smk" for p in SNAKEFILES)
    for name in WORKFLOWS:
        rules = (ROOT / name / "workflow" / "rules").glob("*.smk")
        assert sum(len(shell_commands(p.read_text())) for p in rules) >= 2, name


@pytest.mark.parametrize("path", SNAKEFILES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_value_is_pasted_into_a_shell_command_unquoted(path):
    for command in shell_commands(path.read_text()):
        assert unquoted_fields(command) == [], f"{path.relative_to(REPO)}: quote with :q in {command!r}"


def test_the_checker_sees_an_unquoted_field():
    rule = 'rule a:\n    shell:\n        "{OMICSDL:q} run {params.x:q} "\n        "--out {BLOOD} > {log:q} 2>&1"\n'
    assert shell_commands(rule) == ["{OMICSDL:q} run {params.x:q} --out {BLOOD} > {log:q} 2>&1"]
    assert unquoted_fields(shell_commands(rule)[0]) == ["{BLOOD}"]
    assert unquoted_fields("awk '{{print $1}}' {input:q}") == []  # an escaped brace is no field


def test_option_words_split_like_a_shell_and_keep_a_quoted_value_whole():
    assert option_words("extra", "--max-epochs 2 --k 2 3") == ["--max-epochs", "2", "--k", "2", "3"]
    assert option_words("extra", "--external 'my data/hcc.csv'") == ["--external", "my data/hcc.csv"]
    assert option_words("extra", "") == [] and option_words("extra", None) == []


@pytest.mark.parametrize(
    "value",
    ["--k 2; touch X", "--k 2 | sh", "--k 2 && touch X", "--k `id`", "--k $(id)", "--k 2 > f", "--k\n2"],
)
def test_option_words_refuse_shell_syntax_naming_the_key(value):
    from snakemake.exceptions import WorkflowError

    with pytest.raises(WorkflowError, match=r"config key 'classifier\.fit_extra' = .* omicsdl options only"):
        option_words("classifier.fit_extra", value)


def test_option_words_refuse_an_unclosed_quote_and_a_non_string():
    from snakemake.exceptions import WorkflowError

    with pytest.raises(WorkflowError, match=r"config key 'extra' = .*close the quote"):
        option_words("extra", "--external 'my data")
    with pytest.raises(WorkflowError, match=r"config key 'extra' = \['--k'\] must be a string"):
        option_words("extra", ["--k"])  # type: ignore[arg-type]


def test_shell_syntax_in_an_option_string_stops_the_workflow_before_any_rule(tmp_path):
    doc = yaml.safe_load((ROOT / "lihc_subtypes" / ".test" / "config" / "config.yaml").read_text())
    doc["evaluate"]["extra"] = "--max-epochs 2; touch INJECTED"
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(doc))
    work = tmp_path / "run"
    proc = snakemake("lihc_subtypes", work, "--cores", "1", config=config)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "config key 'evaluate.extra' = '--max-epochs 2; touch INJECTED' holds ';'" in out
    assert "Traceback" not in out
    assert not (work / "logs").exists() and not list(tmp_path.rglob("INJECTED*"))


def test_blood_workflow_runs_on_paths_with_spaces_and_shell_syntax_and_runs_nothing(tmp_path):
    import omicsdl as od

    work = tmp_path / "run"
    data = work / "my $(touch INJECTED_INPUT) data; x"
    data.mkdir(parents=True)
    cohort = od.blood.simulate_blood_cohort(sizes={"training": (24, 16)}, rng=0)
    cohort.write_h5ad(data / "train `touch INJECTED_FILE`.h5ad")
    results = "out `touch INJECTED_TICK` dir; touch INJECTED_RESULTS"
    doc = yaml.safe_load((ROOT / "blood_classifier" / ".test" / "config" / "config.yaml").read_text())
    doc |= {
        "simulate": False,
        "input": str((data / "train `touch INJECTED_FILE`.h5ad").relative_to(work)),
        "results": results,
        "repeats": 1,
        "extra": "--methods lda,logistic --no-plot",
        "scenario_table": {"run": False},
        "report": {"title": "quoted; $(touch INJECTED_TITLE)"},
    }
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(doc))
    proc = snakemake("blood_classifier", work, "--cores", "1", config=config, timeout=300)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert sorted(p.name for p in tmp_path.rglob("INJECTED*")) == []
    assert not list(Path.cwd().glob("INJECTED*"))
    metrics = yaml.safe_load((work / results / "blood" / "metrics.json").read_text())
    assert set(metrics) >= {"lda", "logistic"} and "mlp" not in metrics  # `extra` arrived as two options
    assert metrics["settings"]["n_train"] == 40
    assert (work / results / "report" / "index.html").is_file()
    logs = {p.name: p.read_text() for p in (work / "logs").glob("*.log")}
    assert set(logs) == {"evaluate.log", "report.log"}
    assert "INFO" in logs["evaluate.log"]  # the steps are logged, as lines ...
    assert [name for name, text in logs.items() if "\r" in text or "%|" in text] == []  # ... and no bars
