"""Running the test cases written inside rules (`tests:`), as `checker test` does."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from .engine import evaluate_rule, keyed, make_context, tolerance_met
from .load.dataset import as_of_timestamp, build_table, latest_day
from .load.keys import Tables, link
from .kinds._common import PASS, VIOLATION
from .project import Project
from .rules import Rule

TEST_TZ = "UTC"


@dataclass(frozen=True)
class CaseResult:
    rule: Rule
    name: str
    expected: tuple[str, ...]
    actual: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return self.expected == self.actual


def case_tables(rule: Rule, case: dict, project: Project) -> Tables:
    """The tables of a test case, read exactly as an export is (every cell is text)."""
    model = project.pack.model
    frames = {}
    for name, spec in model.tables.items():
        rows = [dict(r) for r in case["data"].get(name, [])]
        raw = pa.table({c: pa.array([_text(r.get(c)) for r in rows], pa.string()) for c in spec.columns})
        frames[name] = build_table(raw, spec, {"columns": {c: c for c in spec.columns}}, TEST_TZ, rule.file)[0]
    return link(frames, model, lambda table, column: (table, column), only_filled_targets=True)[0]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def run_case(rule: Rule, case: dict, project: Project) -> CaseResult:
    tables = case_tables(rule, case, project)
    params = {**project.pack.params, **dict(case.get("params", {}))}
    day = case.get("as_of") or latest_day(tables) or "2000-01-01"
    ctx = make_context(project.pack, tables, project.calendar, as_of_timestamp(str(day), TEST_TZ), TEST_TZ, params)
    frame = keyed(evaluate_rule(rule, ctx), ctx, rule.applies_to)
    failed = frame.index[frame["outcome"] == VIOLATION]
    passed = int((frame["outcome"] == PASS).sum())
    tolerated = tolerance_met(passed, passed + len(failed), rule.tolerance_value(params))
    actual = () if tolerated else tuple(sorted(str(k) for k in failed))
    expected = tuple(sorted(e["key"] if isinstance(e, dict) else str(e) for e in case["expect"]))
    return CaseResult(rule, case["name"], expected, actual)


def run_tests(project: Project, rule_ids: set[str] | None = None) -> list[CaseResult]:
    return [run_case(rule, case, project)
            for rule in project.pack.rules if rule_ids is None or rule.id in rule_ids
            for case in rule.tests]
