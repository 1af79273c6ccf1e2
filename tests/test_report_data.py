"""The page's data: ages of findings, filter choices counted over all findings, safe embedding."""
from __future__ import annotations

import json
from datetime import date

from checker.report.catalogue import LABELS
from checker.report.data import embedded_json, filter_options, finding_age, findings_data, report_order
from checker.report.evidence import Words

AS_OF = date(2025, 12, 31)


def test_days_overdue_count_from_the_deadline_else_from_the_earliest_time() -> None:
    assert finding_age({"deadline": "2025-12-01T23:59:59.999999+08:00", "x.at": "2025-11-01T10:00:00+08:00"},
                       AS_OF) == (30, 1)
    assert finding_age({"a.first_at": "2025-03-06T09:04:00+08:00", "b.first_at": "2025-03-01T09:04:00+08:00",
                        "amount": 5}, AS_OF) == (305, 0)
    assert finding_age({"amount": 5, "actor": "E001"}, AS_OF) == (None, 0)
    assert finding_age({"deadline": "2026-01-05T23:59:59+08:00"}, AS_OF) == (0, 1)
    assert finding_age({}, None) == (None, 0)


def violation(i: int, severity: str, rule: str, sup: str | None) -> dict:
    return {"fingerprint": f"{i:016x}", "rule_id": rule, "table": "deals", "key": f"D{i}", "severity": severity,
            "status": "open", "owner_id": "E010", "owner_name": "王芳", "supervisor_id": sup,
            "supervisor_name": None, "message": {"zh": "消息", "en": "message"}, "evidence": {}}


def test_filter_choices_count_every_finding() -> None:
    violations = [violation(1, "high", "R-2", "E003"), violation(2, "critical", "R-1", "E003"),
                  violation(3, "high", "R-1", None)]
    words = Words({}, "en", LABELS["en"])
    data = findings_data(report_order(violations), "en", {"R-1": "One", "R-2": "Two"}, words, AS_OF)
    assert data["key"] == ["D2", "D3", "D1"]
    options = filter_options(data, LABELS["en"])
    assert [(o["value"], o["count"]) for o in options["severity"]] == [("critical", 1), ("high", 2)]
    assert [(o["value"], o["label"], o["count"]) for o in options["rule"]] == [("R-1", "R-1 One", 2),
                                                                               ("R-2", "R-2 Two", 1)]
    assert [(o["value"], o["count"]) for o in options["supervisor"]] == [("E003", 2), ("none", 1)]
    assert [(o["value"], o["label"], o["count"]) for o in options["owner"]] == [("E010", "王芳 E010", 3)]


def test_embedded_json_cannot_end_its_script_block() -> None:
    text = embedded_json({"k": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"k": "</script><!-- & -->"}
