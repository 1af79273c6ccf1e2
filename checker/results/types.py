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
    tolerance: float | None
    met: bool | None
    tolerated: int
    remediation: Text | None


class RecordContext(TypedDict):
    fields: dict[str, Any]
    names: dict[str, str | None]


class Waiver(TypedDict):
    rule_id: str
    key: str
    reason: str
    approved_by: str
    expires: str
    file: str
    line: int


class _ViolationExtras(TypedDict, total=False):
    """Written by results.context and triage after the results are built."""

    record: RecordContext
    case: str
    region: str | None
    waiver: Waiver


class Violation(_ViolationExtras):
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


class _SummaryExtras(TypedDict, total=False):
    waiver_findings: int
    new: int
    persisting: int
    resolved: int


class Summary(_SummaryExtras):
    rules: int
    violations: int
    by_severity: dict[str, int]
    not_evaluable: int
    data_quality: int
    waived: int


class WaiverFinding(Waiver):
    kind: str
    message: Text


class TrendPoint(TypedDict):
    as_of: str
    violations: int
    waived: int
    by_severity: dict[str, int]
    rules: dict[str, int]


class Timelines(TypedDict):
    """The events of the violating records' cases, as columns (see results/timelines.py)."""

    cases: list[str]
    starts: list[int]
    steps: list[str | None]
    times: list[str | None]
    actors: list[str | None]
    actor_names: list[str | None]


class _ResultsExtras(TypedDict, total=False):
    """Present when a run has them: triage (--waivers, --history) and the context of violations."""

    waiver_findings: list[WaiverFinding]
    trend: list[TrendPoint]
    timelines: Timelines
    vocabulary: dict[str, dict[str, Text]]


class Results(_ResultsExtras):
    schema_version: int
    run: dict[str, Any]
    summary: Summary
    rules: list[RuleSummary]
    violations: list[Violation]
    not_evaluable: list[NotEvaluable]
    data_quality: list[Finding]
    waived: list[Violation]
    resolved: list[Violation]
