"""The meaning of a rule beyond its schema: the clauses it cites exist, its table, fields,
steps, roles, parameters and expressions are the data model's and the pack's, its kind's own
settings make sense (each kind's validate(), given a LintContext), and its test cases name
what exists. Every problem is pointed at its line and column."""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .expr import ExprError, compile_expression
from .kinds import KINDS
from .model import DataModel
from .problems import Problem, did_you_mean
from .schema_check import locate, locate_key

if TYPE_CHECKING:
    from .rules import Rule


class LintContext:
    """What a kind's validate() needs: the model, params, and a way to point at its settings."""

    def __init__(self, rule: Rule, model: DataModel, params: dict, tz: str | None = None):
        self.rule, self.model, self.params, self.tz = rule, model, params, tz
        self.problems: list[Problem] = []

    def report(self, path: list, message: str, code: str, offset: int = 0, text: str | None = None,
               key: bool = False) -> None:
        """A problem at the value at ``path`` (its key with ``key``), ``offset`` characters into ``text``."""
        mark = locate_key(self.rule.raw, path) if key else locate(self.rule.raw, path)
        line, col = mark.point(offset, text)
        self.problems.append(Problem(self.rule.file, line, col, message, code))

    def step(self, path: list, value: str) -> None:
        if value not in self.model.steps:
            self.report(path, f"unknown step '{value}'{did_you_mean(value, self.model.steps)}", "unknown-step")

    def role(self, path: list, value: str) -> None:
        if value not in self.model.roles:
            self.report(path, f"unknown role '{value}'{did_you_mean(value, self.model.roles)}", "unknown-role")

    def column(self, path: list, value: str, table: str | None = None) -> bool:
        columns = self.model.tables[table or self.rule.applies_to].columns
        if value in columns:
            return True
        self.report(path, f"unknown field '{value}' of {table or self.rule.applies_to}{did_you_mean(value, columns)}",
                    "unknown-field")
        return False

    def param(self, path: list, name: str) -> object:
        if name not in self.params:
            self.report(path, f"unknown param '{name}'{did_you_mean(name, self.params)}", "unknown-param")
            return None
        return self.params[name]

    def expression(self, path: list, text: str, want: str = "boolean", table: str | None = None) -> None:
        """An expression on the judged table (or on `table`)."""
        try:
            compile_expression(text, self.model.expr_columns(table or self.rule.applies_to), self.params, self.tz,
                               want)
        except ExprError as exc:
            self.report(path, f"bad expression: {exc.message}", "bad-expression", exc.offset, text)

    def needs_event_log(self) -> bool:
        case_table = self.model.case_table()
        if case_table is None:
            self.report(["check"], "this check needs an event_log in the data model", "no-event-log")
            return False
        if self.rule.applies_to != case_table:
            article = "an" if self.rule.kind[0] in "aeiou" else "a"
            self.report(["applies_to"], f"{article} '{self.rule.kind}' check judges {case_table} (the event log's "
                                        f"cases); set applies_to: {case_table}", "wrong-table")
            return False
        return True


def lint_rule(rule: Rule, model: DataModel, params: dict, clauses: dict | None, tz: str | None = None) -> list[Problem]:
    ctx = LintContext(rule, model, params, tz)
    if clauses is not None:
        _lint_clauses(rule, clauses, ctx)
    if rule.applies_to not in model.tables:
        ctx.report(["applies_to"], f"unknown table '{rule.applies_to}'{did_you_mean(rule.applies_to, model.tables)}",
                   "unknown-table")
        return ctx.problems
    # An empty owner or condition is a mistake to point out, not a setting to skip.
    if rule.owner is not None:
        ctx.column(["owner"], rule.owner)
    if rule.when is not None:
        ctx.expression(["when"], rule.when)
    if isinstance(rule.tolerance, str):
        _lint_tolerance_param(rule.tolerance.removeprefix("params."), ctx)
    KINDS[rule.kind].validate(rule.spec, ctx)
    _lint_tests(rule, model, ctx)
    return ctx.problems


def _lint_tolerance_param(name: str, ctx: LintContext) -> None:
    value = ctx.param(["tolerance"], name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1):
        ctx.report(["tolerance"], f"param '{name}' is {value!r}; a tolerance is a rate from 0 to 1", "bad-value")


def _lint_clauses(rule: Rule, clauses: dict, ctx: LintContext) -> None:
    """Every cited clause exists, and none is cited twice."""
    cited = [(["clause"], rule.clause)] + [(["clauses", i], cid) for i, cid in enumerate(rule.also_cites)]
    for path, cid in cited:
        if cid not in clauses:
            ctx.report(path, f"unknown clause '{cid}'{did_you_mean(cid, clauses)}", "unknown-clause")
        elif path != ["clause"] and cid == rule.clause:
            ctx.report(path, f"clause '{cid}' is already the rule's clause; list only further clauses here",
                       "repeated-clause")


def _lint_tests(rule: Rule, model: DataModel, ctx: LintContext) -> None:
    for i, case in enumerate(rule.tests):
        if "as_of" in case:
            try:
                _dt.date.fromisoformat(str(case["as_of"]))  # unquoted, YAML has made it a date already
            except ValueError:
                ctx.report(["tests", i, "as_of"], f"as_of '{case['as_of']}' is not a date; write it as YYYY-MM-DD",
                           "bad-value")
        for name in case.get("params", {}):
            if name not in ctx.params:
                ctx.report(["tests", i, "params", name], f"unknown param '{name}'{did_you_mean(name, ctx.params)}",
                           "unknown-param", key=True)
        for table, rows in case["data"].items():
            if table not in model.tables:
                ctx.report(["tests", i, "data", table], f"unknown table '{table}'{did_you_mean(table, model.tables)}",
                           "unknown-table", key=True)
                continue
            columns = model.tables[table].columns
            for j, row in enumerate(rows):
                for col in row:
                    if col not in columns:
                        ctx.report(["tests", i, "data", table, j, col], f"unknown field '{col}' of {table}"
                                   f"{did_you_mean(col, columns)}", "unknown-field", key=True)
