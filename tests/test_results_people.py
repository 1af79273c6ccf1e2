"""People in a violation's evidence are named by their key, also when the roster could not
be linked (a name outside the roster still compares as a person, and is shown as written)."""
from __future__ import annotations

from pathlib import Path

import yaml

from checker.engine import evaluate_pack, make_context
from checker.kinds import KINDS
from checker.load.dataset import as_of_timestamp
from checker.load.findings import empty_findings
from checker.project import load_project
from checker.results import build_results
from checker.rules import load_rules
from checker.testing import TEST_TZ, case_tables

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "pack"


def test_an_actor_missing_from_an_empty_roster_is_named_in_the_evidence(tmp_path):
    project = load_project(PACK, PACK / "policy")
    example = yaml.safe_load(KINDS["different_actors"].EXAMPLE)
    path = tmp_path / "rule.yaml"
    path.write_text(yaml.safe_dump({"rules": [example]}, allow_unicode=True), encoding="utf-8")
    pack = load_rules([path], project.pack.model, project.pack.params, project.clauses, tmp_path)
    rule = pack.rules[0]
    # The case gives no employees, so the actors are not linked to a roster: E1 is a stranger.
    tables = case_tables(rule, rule.tests[0], project)
    ctx = make_context(pack, tables, project.calendar, as_of_timestamp("2025-03-31", TEST_TZ), TEST_TZ)
    results = build_results(pack, evaluate_pack(pack, ctx), tables, empty_findings(), project.clauses,
                            {"as_of": "2025-03-31", "inputs": []}, TEST_TZ)
    assert [(v["key"], v["evidence"]["actor"]) for v in results["violations"]] == [("D2", "E1")]

