"""Rule files: loading and schema validation, then the lint of checker/lint.py, giving a frozen RulePack."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .kinds import KINDS
from .kinds._common import PARAM
from .languages import DEFAULT_LANGUAGES, TEXTS, in_languages, missing_texts
from .lint import lint_rule
from .model import DataModel
from .policy import is_policy_file
from .problems import Problem, UserError, shown_path
from .schema_check import schema_problems
from .yamlsrc import LocDict, Mark, load_file

SEVERITIES = ("info", "low", "medium", "high", "critical")
# A pack's files that hold no rules.
CONFIG_FILES = ("datamodel.yaml", "params.yaml", "calendar.yaml", "pack.yaml", "mapping-words.yaml")
RULE_TEXTS = (["title"], ["message"], ["remediation"])
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
            "title": {**TEXTS, "description": "What the rule requires, in each of the pack's languages"},
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
            "message": {**TEXTS, "description": "Finding message (defaults to the kind's message)"},
            "remediation": {**TEXTS, "description": "What to do about a violation"},
            "tests": {"type": "array", "items": case, "description": "Cases run by `checker test`"},
        },
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "rules.schema.json",
            "title": "Rule file", "description": "A list of compliance rules.",
            "type": "object", "additionalProperties": False, "required": ["rules"],
            "properties": {"rules": {"type": "array", "items": rule}}}


def load_rules(paths: list[Path], model: DataModel, params: dict, clauses: dict | None,
               display_root: Path | None = None, tz: str | None = None,
               languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> RulePack:
    """Load and lint every rule file; UserError with all problems found (not just the first).
    languages: the pack's, in which every rule's texts must be written."""
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
            valid = [(i, r) for i, r in enumerate(items) if not schema_problems(r, rule_item, shown)]
            for i, r in valid:
                problems += missing_texts(r, RULE_TEXTS, languages, shown)
            rules += [_rule(r, items.item_mark(i), shown, languages) for i, r in valid]
    problems += _duplicate_ids(rules)
    for rule in rules:
        problems += lint_rule(rule, model, params, clauses, tz)
    if problems:
        raise UserError(problems)
    return RulePack(tuple(sorted(rules, key=lambda r: r.id)), model, params, tuple(files))


def _rule(raw: LocDict, mark: Mark, file: str, languages: tuple[str, ...]) -> Rule:
    kind, spec = next(iter(raw["check"].items()))
    return Rule(raw["id"], in_languages(raw["title"], languages), str(raw["clause"]), raw["severity"],
                raw["applies_to"], kind, spec if spec is not None else {}, raw.get("when"), raw.get("owner"),
                in_languages(raw["message"], languages) if "message" in raw else None,
                in_languages(raw["remediation"], languages) if "remediation" in raw else None,
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
