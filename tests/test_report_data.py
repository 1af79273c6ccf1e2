"""The page's data: ages of findings, filter choices counted over all findings, safe embedding, and
the columns read a field at a time agreeing with a plain reading of one finding at a time."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import report_reference as reference
from checker.report.catalogue import LABELS
from checker.report.data import embedded_json, filter_options, findings_data, report_order
from checker.report.evidence import Words

AS_OF = date(2025, 12, 31)


def ages(evidence: list[Any], as_of: date | None) -> list[tuple[int | None, int]]:
    violations = [{"rule_id": "R", "key": f"K{i}", "severity": "high", "evidence": e} for i, e in enumerate(evidence)]
    _, data = findings_data(violations, "en", {}, Words({}, "en", LABELS["en"]), as_of)
    return list(zip(data["days"], data["overdue"]))


def test_days_overdue_count_from_the_deadline_else_from_the_earliest_time() -> None:
    assert ages([{"deadline": "2025-12-01T23:59:59.999999+08:00", "x.at": "2025-11-01T10:00:00+08:00"},
                 {"a.first_at": "2025-03-06T09:04:00+08:00", "b.first_at": "2025-03-01T09:04:00+08:00", "amount": 5},
                 {"amount": 5, "actor": "E001"},
                 {"deadline": "2026-01-05T23:59:59+08:00"},
                 {"deadline": "2025-02-30T10:00:00+08:00", "x.at": "2025-12-30T10:00:00+08:00"},
                 "text", {}], AS_OF) == [(30, 1), (305, 0), (None, 0), (0, 1), (1, 0), (None, 0), (None, 0)]
    assert ages([{"deadline": "2025-12-01T23:59:59+08:00"}], None) == [(None, 0)]


def violation(i: int, severity: str, rule: str, sup: str | None) -> dict:
    return {"fingerprint": f"{i:016x}", "rule_id": rule, "table": "deals", "key": f"D{i}", "severity": severity,
            "status": "open", "owner_id": "E010", "owner_name": "王芳", "supervisor_id": sup,
            "supervisor_name": None, "message": {"zh": "消息", "en": "message"}, "evidence": {}}


def test_filter_choices_count_every_finding() -> None:
    violations = [violation(1, "high", "R-2", "E003"), violation(2, "critical", "R-1", "E003"),
                  violation(3, "high", "R-1", None)]
    words = Words({}, "en", LABELS["en"])
    _, data = findings_data(violations, "en", {"R-1": "One", "R-2": "Two"}, words, AS_OF)
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


# Values as results hold them, and values a hand-edited file may hold in their place.
TEXTS = st.sampled_from(["", "E001", "王芳", "contract_signed", "won", "general_manager", "2025-03-06T09:04:00+08:00",
                         "2025-03-06T09:04", "2025-02-30T10:00:00+08:00", "２０２５-03-06T09:04:00", "=1+1",
                         "2025-03-06 09:04:00", "a\x1fb", "\ud800"])
ODD = st.one_of(st.none(), st.integers(-3, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                st.lists(TEXTS, max_size=2))
VALUES = st.one_of(TEXTS, TEXTS, TEXTS, st.none(), ODD)
EVIDENCE_KEYS = st.sampled_from(["deadline", "actor", "required_role", "missing", "contract_signed.first_at",
                                 "contract_reviewed.next_at", "amount", "stage"])
EVIDENCE = st.one_of(st.dictionaries(EVIDENCE_KEYS, VALUES, max_size=4), st.none(), TEXTS,
                     st.fixed_dictionaries({"amount": st.integers(-2**60, 2**60), "deadline": TEXTS}))
VIOLATION = st.fixed_dictionaries(
    {"rule_id": st.sampled_from(["R-1", "R-2", "R-10"]), "key": st.one_of(st.sampled_from(["D1", "D2", "D10"]), ODD),
     "severity": st.one_of(st.sampled_from(["critical", "high", "low"]), ODD),
     "table": st.sampled_from(["deals", "customers"]), "status": st.one_of(st.sampled_from(["open", "waived"]), ODD),
     "owner_id": st.one_of(st.sampled_from(["E001", "E002"]), ODD),
     "owner_name": st.one_of(st.sampled_from(["王芳", "李强"]), ODD),
     "supervisor_id": st.one_of(st.sampled_from(["E001", "E003"]), ODD), "supervisor_name": VALUES,
     "fingerprint": VALUES,
     "message": st.one_of(st.fixed_dictionaries({"zh": TEXTS, "en": TEXTS}), TEXTS, st.none()),
     "evidence": EVIDENCE,
     "record": st.one_of(st.fixed_dictionaries({"fields": st.dictionaries(st.sampled_from(["amount", "stage"]), VALUES),
                                                "names": st.dictionaries(st.sampled_from(["customers", "owner"]), VALUES,
                                                                         max_size=2)}), st.none())},
    optional={"case": VALUES})
VOCABULARY = {"steps": {"contract_signed": {"zh": "合同签订", "en": "contract signed"}},
              "roles": {"general_manager": {"zh": "总经理", "en": "general manager"}},
              "tables": {"deals": {"zh": "商机", "en": "deals"}},
              "values": {"deals.stage": {"won": {"zh": "赢单", "en": "won"}}}}


@settings(max_examples=300, deadline=None)
@given(st.lists(VIOLATION, max_size=12), st.sampled_from(["zh", "en"]), st.sampled_from([AS_OF, None]))
def test_the_columns_agree_with_reading_one_finding_at_a_time(violations: list[dict], lang: str,
                                                              as_of: date | None) -> None:
    words, plain_words = (Words(VOCABULARY, lang, LABELS[lang]) for _ in range(2))
    ordered = reference.report_order(violations)
    order, data = findings_data(violations, lang, {"R-1": "One"}, words, as_of)
    assert [violations[i] for i in order] == ordered
    assert report_order(violations) == ordered
    assert data == reference.findings_data(ordered, lang, {"R-1": "One"}, plain_words, as_of)
