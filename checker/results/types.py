"""The shape of results.json, as types (checker/schemas/results.schema.json says the same for
other tools). Scripts rely on these names; fields may be added, never renamed."""
from __future__ import annotations

from typing import Any, TypedDict

class Text(TypedDict):
    zh: str
    en: str


class Input(TypedDict):
    path: str
    role: str
    sha256: str


class RuleSummary(TypedDict):
    id: str
    title: Text
    severity: str
    clause: str
    clause_title: Text | None
    clause_text: Text | None
    clauses: list[str]
    clause_source: str | None
    clause_status: str | None
    kind: str
    applies_to: str
    file: str
    in_scope: int
    activated: int
    passed: int
    violations: int
    not_evaluable: int
    compliance_rate: float | None
    remediation: Text | None


class Violation(TypedDict):
    fingerprint: str
    rule_id: str
    table: str
    key: str
    severity: str
    clause: str
    status: str
    owner_id: str | None
    owner_name: str | None
    supervisor_id: str | None
    supervisor_name: str | None
    message: Text
    evidence: dict[str, Any]


class NotEvaluable(TypedDict):
    rule_id: str
    table: str
    key: str
    reason: Text


class Finding(TypedDict):
    kind: str
    table: str
    file: str
    row: int
    column: str
    value: Any
    message: str


class Summary(TypedDict):
    rules: int
    violations: int
    by_severity: dict[str, int]
    not_evaluable: int
    data_quality: int
    waived: int


class Results(TypedDict):
    schema_version: int
    run: dict[str, Any]
    summary: Summary
    rules: list[RuleSummary]
    violations: list[Violation]
    not_evaluable: list[NotEvaluable]
    data_quality: list[Finding]
    waived: list[Violation]
    resolved: list[Violation]
