"""The mapping language beyond reading one file per table: the mapping examples in the docs
validate against the shipped data model."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.load.mapping import mapping_file_problems
from checker.model import load_datamodel

ROOT = Path(__file__).resolve().parents[1]
MODEL = load_datamodel(ROOT / "rules" / "datamodel.yaml")


def _yaml_blocks(doc: Path) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", doc.read_text("utf-8"), re.S)


@pytest.mark.parametrize("doc", ["mapping-database.md"])
def test_the_mapping_examples_in_the_docs_are_valid(doc, tmp_path):
    blocks = _yaml_blocks(ROOT / "docs" / doc)
    assert blocks
    for number, block in enumerate(blocks):
        path = tmp_path / f"example-{number}.yaml"
        path.write_text(block, "utf-8")
        assert mapping_file_problems(path, MODEL, path.name) == []
