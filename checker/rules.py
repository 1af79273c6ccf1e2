"""Rule files: loading, schema validation and semantic lint, giving a frozen RulePack."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .expr import ExprError, compile_expression
from .kinds import KINDS
from .kinds._common import PARAM
from .model import DataModel
from .policy import is_policy_file
from .problems import Problem, UserError, did_you_mean, shown_path
from .schema_check import locate, locate_key, schema_problems
from .yamlsrc import LocDict, Mark, load_file

SEVERITIES = ("info", "low", "medium", "high", "critical")
# A pack's files that hold no rules.
CONFIG_FILES = ("datamodel.yaml", "params.yaml", "calendar.yaml", "pack.yaml", "mapping-words.yaml")
# What an expected finding's evidence item may be (a list for evidence that lists several things).
SCALARS = ["string", "number", "boolean", "null"]


@dataclass(frozen=True)
class Rule:
    id: str
    title: dict
    clause: str
    severity: str
    applies_to: str
    kind: str
    spec: dict
    when: str | None
    owner: str | None
    message: dict | None
    remediation: dict | None
    tests: list
    file: str
    line: int
    raw: LocDict = field(repr=False, compare=False)
    also_cites: tuple[str, ...] = ()   # further clauses the rule enforces besides `clause`
    tolerance: float | str | None = None   # the least compliance rate at which the rule is met as a whole

    def tolerance_value(self, params: dict) -> float | None:
        """The tolerance as a number: its own, or the value of the parameter it names."""
        if isinstance(self.tolerance, str):
            return float(params[self.tolerance.removeprefix("params.")])
        return self.tolerance

    @property
    def clauses(self) -> tuple[str, ...]:
        """Every clause the rule cites, its main `clause` first."""
        return (self.clause, *self.also_cites)


@dataclass(frozen=True)
class RulePack:
    rules: tuple[Rule, ...]
    model: DataModel
    params: dict
    files: tuple[Path, ...]

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def rule_files(paths: list[Path]) -> list[Path]:
    """The rule files among the given files and folders (config files excluded), sorted."""
    found: dict[Path, Path] = {}
    for path in paths:
        candidates = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        # One file named two ways (a folder and a file in it, relative and absolute) is loaded once,
        # or every rule in it would clash with itself as a duplicate id.
        for p in candidates:
            if p.name not in CONFIG_FILES and not is_policy_file(p):
                found.setdefault(p.resolve(), p)
    return sorted(found.values())


def rule_schema() -> dict:
    """The JSON Schema of a rule file, assembled from every kind's fragment."""
    zh_en = {"type": "object", "additionalProperties": False, "required": ["zh", "en"],
             "properties": {"zh": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}}
    case = {"type": "object", "additionalProperties": False, "required": ["name", "data", "expect"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "description": "What the case shows"},
                "data": {"type": "object", "description": "Rows per data-model table (data-model column names and values)",
                         "additionalProperties": {"type": "array", "items": {"type": "object"}}},
                "expect": {"type": "array", "description": "The violating keys; [] means every record passes",
                           "items": {"anyOf": [{"type": "string"}, {
                               "type": "object", "required": ["key"], "additionalProperties": False,
                               "properties": {
                                   "key": {"type": "string"},
                                   "detail": {"type": "string", "description": "The code of what broke (the "
                                                                               "kind's message code, e.g. not_after)"},
                                   "evidence": {"type": "object", "minProperties": 1,
                                                "description": "Evidence items the finding must hold: times as "
                                                               "YYYY-MM-DD HH:MM, people by key, null for none",
                                                "additionalProperties": {"anyOf": [{"type": SCALARS}, {
                                                    "type": "array", "items": {"type": SCALARS}}]}}}}]}},
                "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "As-of date for this case"},
                "params": {"type": "object", "description": "Parameter values to override for this case"}}}
    rule = {
        "type": "object", "additionalProperties": False,
        "required": ["id", "title", "clause", "severity", "applies_to", "check"],
        "properties": {
            "id": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*-[0-9]{3}$", "description": "Stable rule id, e.g. PROC-005"},
            "title": {**zh_en, "description": "What the rule requires, in Chinese and English"},
            "clause": {"type": "string", "description": "Id of the policy clause the rule enforces"},
            "clauses": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"},
                        "description": "Ids of further clauses the same check also enforces (besides `clause`)"},
            "severity": {"enum": list(SEVERITIES), "description": "How serious a violation is"},
            "applies_to": {"type": "string", "description": "Data-model table whose records the rule judges"},
            "when": {"type": "string", "description": "Expression selecting the records in scope"},
            "tolerance": {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, PARAM],
                          "description": "For a clause that sets a rate: the least compliance rate (passed / "
                                         "decided, 0 to 1, or params.NAME) at which the rule is met as a whole; "
                                         "then its failing records are tolerated, not violations"},
            "check": {"type": "object", "minProperties": 1, "maxProperties": 1, "description": "Exactly one check kind",
                      "propertyNames": {"enum": sorted(KINDS)},
                      "properties": {k: m.SCHEMA for k, m in sorted(KINDS.items())}},
            "owner": {"type": "string", "description": "Column holding the employee who must fix a violation"},
            "message": {**zh_en, "description": "Finding message (defaults to the kind's message)"},
            "remediation": {**zh_en, "description": "What to do about a violation"},
            "tests": {"type": "array", "items": case, "description": "Cases run by `checker test`"},
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "rules.schema.json",
            "title": "Rule file", "description": "A list of compliance rules.",
            "type": "object", "additionalProperties": False, "required": ["rules"],
            "properties": {"rules": {"type": "array", "items": rule}}}


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


def load_rules(paths: list[Path], model: DataModel, params: dict, clauses: dict | None,
               display_root: Path | None = None, tz: str | None = None) -> RulePack:
    """Load and lint every rule file; UserError with all problems found (not just the first)."""
    problems: list[Problem] = []
    rules: list[Rule] = []
    files = rule_files(paths)
    schema = rule_schema()
    rule_item = schema["properties"]["rules"]["items"]
    for path in files:
        shown = shown_path(path, display_root)
        try:
            raw = load_file(path, shown)
        except UserError as exc:
            problems += exc.problems
            continue
        if raw is None or isinstance(raw, list):
            what = "the file is empty" if raw is None else "the top level is a list"
            problems.append(Problem(shown, 1, 1, f"{what}; a rule file holds 'rules:' followed by a list of rules",
                                    "not-a-rule-file"))
            continue
        problems += schema_problems(raw, schema, shown)
        # A rule that is well formed is still linted when its neighbours are not, so one run
        # shows every problem of the file.
        items = raw.get("rules") if isinstance(raw, dict) else None
        if isinstance(items, list):
            rules += [_rule(r, items.item_mark(i), shown) for i, r in enumerate(items)
                      if not schema_problems(r, rule_item, shown)]
    problems += _duplicate_ids(rules)
    for rule in rules:
        problems += lint_rule(rule, model, params, clauses, tz)
    if problems:
        raise UserError(problems)
    return RulePack(tuple(sorted(rules, key=lambda r: r.id)), model, params, tuple(files))


def _rule(raw: LocDict, mark: Mark, file: str) -> Rule:
    kind, spec = next(iter(raw["check"].items()))
    return Rule(raw["id"], dict(raw["title"]), str(raw["clause"]), raw["severity"], raw["applies_to"], kind,
                spec if spec is not None else {}, raw.get("when"), raw.get("owner"),
                dict(raw["message"]) if "message" in raw else None,
                dict(raw["remediation"]) if "remediation" in raw else None,
                list(raw.get("tests", [])), file, mark.line, raw,
                tuple(str(c) for c in raw.get("clauses", ())), raw.get("tolerance"))


def _duplicate_ids(rules: list[Rule]) -> list[Problem]:
    seen: dict[str, Rule] = {}
    problems = []
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            line, col = rule.raw.value_mark("id").point()
            problems.append(Problem(rule.file, line, col,
                                    f"duplicate rule id '{rule.id}' (first defined at {first.file}:{first.line}); "
                                    "give this rule a new id", "duplicate-id"))
        else:
            seen[rule.id] = rule
    return problems


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
