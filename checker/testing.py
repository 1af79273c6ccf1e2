"""Running the test cases written inside rules (`tests:`), as `checker test` does."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from .engine import evaluate_rule, keyed, make_context, tolerance_met
from .load.dataset import as_of_timestamp, build_table, latest_day
from .load.findings import combine
from .load.keys import Tables, link
from .load.quality import keyless_records
from .kinds._common import EMPTY_EVIDENCE, PASS, VIOLATION
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
    frames, findings = {}, []
    for name, spec in model.tables.items():
        rows = [dict(r) for r in case["data"].get(name, [])]
        raw = pa.table({c: pa.array([_text(r.get(c)) for r in rows], pa.string()) for c in spec.columns})
        frames[name], found = build_table(raw, spec, {"columns": {c: c for c in spec.columns}}, TEST_TZ, rule.file)
        findings.append(found)
    tables = link(frames, model, lambda table, column: (table, column), only_filled_targets=True)[0]
    tables.keyless = keyless_records(tables, combine(findings))
    return tables


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def run_case(rule: Rule, case: dict, project: Project) -> CaseResult:
    tables = case_tables(rule, case, project)
    params = {**project.pack.params, **dict(case.get("params", {}))}
    day = case.get("as_of") or latest_day(tables) or "2000-01-01"
    ctx = make_context(project.pack, tables, project.calendar, as_of_timestamp(str(day), TEST_TZ), TEST_TZ, params)
    frame = keyed(evaluate_rule(rule, ctx), ctx, rule.applies_to)
    failed = frame[(frame["outcome"] == VIOLATION).to_numpy()]
    passed = int((frame["outcome"] == PASS).sum())
    if tolerance_met(passed, passed + len(failed), rule.tolerance_value(params)):
        failed = failed.iloc[:0]
    asked = {str(e["key"]): _details_asked(e) for e in case["expect"] if isinstance(e, dict)}
    actual = tuple(sorted(_shown_finding(str(key), asked.get(str(key), {}), row, project)
                          for key, row in zip(failed.index, failed.to_dict("records"))))
    expected = tuple(sorted(_shown_finding(str(e["key"]), _details_asked(e), None, project)
                            if isinstance(e, dict) else str(e) for e in case["expect"]))
    return CaseResult(rule, case["name"], expected, actual)


def _details_asked(expect: dict) -> dict[str, object]:
    """The finding details an expected violation names: its `detail` (the code of what broke)
    and its `evidence` items, in a fixed order."""
    asked = {"detail": expect["detail"]} if "detail" in expect else {}
    return asked | {f"evidence.{name}": value for name, value in sorted(dict(expect.get("evidence", {})).items())}


def _shown_finding(key: str, asked: dict[str, object], row: dict | None, project: Project) -> str:
    """A violation as a case compares it: its key, followed by the details the case asks about,
    each as the case wrote it (row None) or as the finding has it."""
    if not asked:
        return key
    shown = [f"{name}: {_plain(value if row is None else _detail_of(name, row, project))}"
             for name, value in asked.items()]
    return f"{key} {{{', '.join(shown)}}}"


def _detail_of(name: str, row: dict, project: Project) -> object:
    if name == "detail":
        return row["detail"]
    wanted = name.removeprefix("evidence.")
    column = next((c for c in row if c.startswith("ev:") and c.split(":", 2)[2] == wanted), None)
    if column is None:
        return "<no such evidence>"
    kind, value = column.split(":")[1], row[column]
    if kind == "time":
        return None if value == EMPTY_EVIDENCE["time"] else \
            pd.Timestamp(int(value), unit="us", tz=TEST_TZ).strftime("%Y-%m-%d %H:%M")
    if kind == "role":
        return None if value < 0 else list(project.pack.model.roles)[value]
    return value


def _plain(value: object) -> str:
    """One text for a value however YAML or the frame holds it (50000 and 50000.0 alike)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "null"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value.item() if isinstance(value, np.generic) else value)


def run_tests(project: Project, rule_ids: set[str] | None = None) -> list[CaseResult]:
    return [run_case(rule, case, project)
            for rule in project.pack.rules if rule_ids is None or rule.id in rule_ids
            for case in rule.tests]
