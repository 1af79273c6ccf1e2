"""The check kinds against their hand-written cases (tests/kinds/<kind>.yaml), and each kind's
EXAMPLE loaded and run like a rule (tests/test_kind_pieces.py holds the rest of what a kind
must have).

A case is run exactly as `checker test` runs a rule's own test: it becomes the single test
of a temporary rule file, which is loaded and linted like any rule, then evaluated by
checker.testing. The case file adds what a rule test cannot say: which records are not
evaluable (`expect_not_evaluable`, default none) and which are activated (`expect_activated`,
checked when given)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from checker.engine import evaluate_rule, keyed, make_context
from checker.load.dataset import as_of_timestamp, latest_day
from checker.kinds import KINDS
from checker.kinds._common import NOT_EVALUABLE
from checker.project import Project, load_project
from checker.rules import Rule, load_rules
from checker.testing import TEST_TZ, case_tables, run_case
from checker.workdays import Calendar
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "kinds"
# The engine's own test pack, not a company's: a new rule or calendar there cannot break these tests.
PACK = ROOT / "tests" / "pack"
CASE_KEYS = {"name", "rule", "data", "expect", "as_of", "params", "expect_not_evaluable", "expect_activated"}
RULE_TEST_KEYS = ("name", "data", "expect", "as_of", "params")


def _load_cases(kind: str) -> list[dict]:
    # The project's own safe loader: what a rule file may not contain, a case file may not either.
    path = CASES_DIR / f"{kind}.yaml"
    return (load_file(path) or []) if path.exists() else []


ALL_CASES = [(kind, case) for kind in sorted(KINDS) for case in _load_cases(kind)]


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(PACK, PACK / "policy")


def load_single_rule(rule: dict, tmp_path: Path, project: Project) -> Rule:
    """Load a rule dict through the rule loader (schema and lint included)."""
    path = tmp_path / "rule.yaml"
    # JSON is YAML; dates read by yaml.safe_load go back out as plain text.
    path.write_text(json.dumps({"rules": [rule]}, ensure_ascii=False, default=str), encoding="utf-8")
    pack = load_rules([path], project.pack.model, project.pack.params, project.clauses, tmp_path)
    assert len(pack.rules) == 1
    return pack.rules[0]


def case_frame(rule: Rule, case: dict, project: Project) -> pd.DataFrame:
    """The whole outcome frame of a rule test case, built as checker.testing.run_case builds it."""
    tables = case_tables(rule, case, project)
    params = {**project.pack.params, **dict(case.get("params", {}))}
    day = case.get("as_of") or latest_day(tables) or "2000-01-01"
    ctx = make_context(project.pack, tables, project.calendar, as_of_timestamp(str(day), TEST_TZ), TEST_TZ, params)
    return keyed(evaluate_rule(rule, ctx), ctx, rule.applies_to)


def _keys(frame: pd.DataFrame, mask) -> list[str]:
    return sorted(str(k) for k in frame.index[mask])


# ---------------------------------------------------------------- the cases files


def test_every_cases_file_belongs_to_a_kind():
    stray = sorted(p.name for p in CASES_DIR.glob("*") if p.suffix != ".yaml" or p.stem not in KINDS)
    assert not stray, f"tests/kinds/ holds files named after no registered kind: {stray}; known kinds: {sorted(KINDS)}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_cases_are_well_formed(kind):
    names = [c.get("name") for c in _load_cases(kind)]
    assert len(names) == len(set(names)), f"duplicate case names in tests/kinds/{kind}.yaml"
    for case in _load_cases(kind):
        assert not set(case) - CASE_KEYS, f"{kind}/{case.get('name')}: unknown keys {set(case) - CASE_KEYS}"
        assert kind in case["rule"]["check"], f"{kind}/{case['name']}: the rule is not a '{kind}' check"
        assert "tests" not in case["rule"], f"{kind}/{case['name']}: put the case's data beside the rule, not in it"


@pytest.mark.parametrize(("kind", "case"), ALL_CASES, ids=[f"{k}/{c['name']}" for k, c in ALL_CASES])
def test_kind_case(kind, case, tmp_path, project):
    test = {k: case[k] for k in RULE_TEST_KEYS if k in case}
    rule = load_single_rule({**case["rule"], "tests": [test]}, tmp_path, project)
    loaded = rule.tests[0]

    result = run_case(rule, loaded, project)
    assert result.actual == result.expected, f"violations: expected {list(result.expected)}, got {list(result.actual)}"

    frame = case_frame(rule, loaded, project)
    assert _keys(frame, frame["outcome"] == NOT_EVALUABLE) == sorted(case.get("expect_not_evaluable", [])), \
        "not evaluable records differ"
    if "expect_activated" in case:
        assert _keys(frame, frame["activated"].astype(bool)) == sorted(case["expect_activated"]), \
            "activated records differ"
    assert set(frame.index[frame["outcome"] == NOT_EVALUABLE]) <= set(frame.index[frame["activated"].astype(bool)]), \
        "a not evaluable record must count as activated"


# ---------------------------------------------------------------- the kind modules


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_example_is_valid_and_its_tests_pass(kind, tmp_path, project):
    source = tmp_path / "example.yaml"
    source.write_text(KINDS[kind].EXAMPLE, encoding="utf-8")
    raw = load_file(source)  # the project's own safe loader: no aliases, no tags
    assert isinstance(raw, dict) and set(raw["check"]) == {kind}, f"{kind}: EXAMPLE must be one rule with a '{kind}' check"
    assert raw.get("tests"), f"{kind}: EXAMPLE must carry at least one test case"
    rule = load_single_rule(raw, tmp_path, project)
    for case in rule.tests:
        result = run_case(rule, case, project)
        assert result.passed, f"{kind} EXAMPLE case '{case['name']}': expected {result.expected}, got {result.actual}"


# ---------------------------------------------------------------- work-day deadlines


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_workday_deadline_accepts_any_time_resolution(unit):
    # Exports read from parquet or Excel may carry seconds or nanoseconds, not microseconds.
    times = pd.Series(pd.to_datetime(["2025-03-07 10:00", None]).tz_localize("UTC")).astype(f"datetime64[{unit}, UTC]")
    due = Calendar().deadline(times, 1)
    assert due.iloc[0] >= pd.Timestamp("2025-03-10 23:59:59", tz="UTC")
    assert due.iloc[0] < pd.Timestamp("2025-03-11", tz="UTC")
    assert pd.isna(due.iloc[1])
