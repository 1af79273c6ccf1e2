"""Editors validate the shipped YAML files as they are typed: each names its JSON Schema in
checker/schemas on its first line (the YAML language server's `$schema` comment), and each
validates against the schema it names."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from checker.schema_check import schema_problems
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "checker" / "schemas"
HEADER = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
# YAML that is no file of a rule pack: the report's own texts, the engine's test cases for each
# check kind, files broken on purpose for the lint tests, files read by other tools, and the
# skeleton of `checker init`, whose schemas are copied beside it (tests/test_init.py).
NOT_PACK_FILES = ("checker/report/labels.yaml", "tests/kinds/", "tests/fixtures/", ".pre-commit-hooks.yaml",
                  "docs/ci/", "checker/skeleton/")


def _shipped_yaml() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.yaml", "*.yml"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return sorted(path for path in listed if not path.startswith(NOT_PACK_FILES) and (ROOT / path).exists())


SHIPPED = _shipped_yaml()


def test_the_pack_files_are_found():
    assert {"rules/datamodel.yaml", "rules/params.yaml", "rules/calendar.yaml", "rules/pack.yaml",
            "rules/process/contract.yaml", "policy/01-general.yaml", "sample_data/mapping.yaml",
            "tests/pack/datamodel.yaml", "tests/pack/policy/sales.yaml"} <= set(SHIPPED)


def _named_schema(path: str) -> Path:
    with (ROOT / path).open(encoding="utf-8") as handle:
        match = HEADER.fullmatch(handle.readline())
    assert match, f"{path}:1: the first line must be '# yaml-language-server: $schema=<path of its schema>'"
    return ((ROOT / path).parent / match.group(1)).resolve()


@pytest.mark.parametrize("path", SHIPPED)
def test_shipped_yaml_names_a_published_schema_and_follows_it(path):
    schema = _named_schema(path)
    assert schema.parent == SCHEMAS and schema.is_file(), f"{path}: {schema} is not a schema in checker/schemas"
    problems = schema_problems(load_file(ROOT / path, path), json.loads(schema.read_text("utf-8")), path)
    assert [str(p) for p in problems] == []


def test_a_file_that_breaks_its_schema_is_caught(tmp_path):
    text = (ROOT / "rules/params.yaml").read_text("utf-8")
    broken = tmp_path / "params.yaml"
    broken.write_text(text + "\nnot_a_section: 1\n", "utf-8")
    schema = json.loads(_named_schema("rules/params.yaml").read_text("utf-8"))
    problems = schema_problems(load_file(broken, "params.yaml"), schema, "params.yaml")
    line = len(text.splitlines()) + 2
    assert [str(p) for p in problems] == [f"params.yaml:{line}:16: not_a_section: expected a mapping (key: value), "
                                          "found the number 1"]
