"""The rule reference is generated from the kinds' own docstrings and examples."""
from pathlib import Path

from checker.docs import render

ROOT = Path(__file__).resolve().parents[1]


def test_rule_reference_is_current():
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == render(), \
        "docs/rules.md is stale: run python -m checker.docs > docs/rules.md"
