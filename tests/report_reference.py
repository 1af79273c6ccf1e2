"""The report's findings data computed the plain way, one finding at a time, for the agreement
test of checker/report/data.py (tests/test_report_data.py). Slow and obvious on purpose."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from checker.report.catalogue import localized
from checker.report.data import STATUSES
from checker.report.evidence import STEP_SUFFIXES, Words, evidence_pairs
from checker.report.people import person_ref
from checker.report.values import SEVERITY_RANK, as_mapping, format_value, severity


def report_order(violations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(violations, key=lambda v: (SEVERITY_RANK[severity(v.get("severity"))], str(v.get("rule_id") or ""),
                                             format_value(v.get("key"))))


class Interned:
    def __init__(self) -> None:
        self.index: dict[Any, int] = {}

    def add(self, value: Any) -> int:
        return self.index.setdefault(value, len(self.index))


def findings_data(ordered: Sequence[Mapping[str, Any]], lang: str, rule_titles: Mapping[str, str],
                  words: Words, as_of: date | None) -> dict[str, Any]:
    rules, people, messages, tables, names, stages, steps, ev_names = (Interned() for _ in range(8))
    columns: dict[str, list[Any]] = {name: [] for name in (
        "sev", "rule", "table", "key", "owner", "sup", "msg", "ev", "fp", "status", "amount", "names", "stage",
        "case", "hl", "days", "overdue")}
    for v in ordered:           # owners are interned before supervisors, as the page's table lists them
        columns["owner"].append(people.add(person(v, "owner")))
    for v in ordered:
        record = as_mapping(v.get("record"))
        fields = as_mapping(record.get("fields"))
        table = str(v.get("table") or "")
        evidence = v.get("evidence")
        days, overdue = finding_age(evidence, as_of)
        row = {
            "sev": SEVERITY_RANK[severity(v.get("severity"))],
            "rule": rules.add(str(v.get("rule_id") or "")),
            "table": tables.add(words.table(table)),
            "key": format_value(v.get("key")),
            "sup": people.add(person(v, "supervisor")),
            "msg": messages.add(localized(v.get("message"), lang)),
            "ev": [part for name, value in evidence_pairs(evidence, words, table)
                   for part in (ev_names.add(name), value)],
            "fp": str(v.get("fingerprint") or ""),
            "status": STATUSES.index(v.get("status")) if v.get("status") in STATUSES else 0,
            "amount": amount(fields),
            "names": names.add(words.L["list_sep"].join(str(n) for n in as_mapping(record.get("names")).values()
                                                        if n)),
            "stage": stages.add(words.value(table, "stage", fields["stage"])
                                if fields.get("stage") not in (None, "") else ""),
            "case": str(v.get("case") or ""),
            "hl": steps.add(evidence_steps(evidence)),
            "days": days,
            "overdue": overdue,
        }
        for name, value in row.items():
            columns[name].append(value)
    return {
        "rules": [[rid, rule_titles.get(rid, "")] for rid in rules.index],
        "people": [list(p) for p in people.index],
        "messages": list(messages.index), "tables": list(tables.index), "name_texts": list(names.index),
        "stages": list(stages.index), "steps": list(steps.index), "ev_names": list(ev_names.index),
        **columns,
    }


def person(v: Mapping[str, Any], role: str) -> tuple[str, str, str]:
    pid, name = v.get(f"{role}_id"), v.get(f"{role}_name")
    return person_ref(pid, name), str(pid or ""), str(name or "")


def amount(fields: Mapping[str, Any]) -> float | None:
    value = fields.get("amount")
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def finding_age(evidence: Any, as_of: date | None) -> tuple[int | None, int]:
    """(days past the deadline, 1), else (days since the earliest day the evidence names, 0), else (None, 0)."""
    if as_of is None or not isinstance(evidence, Mapping):
        return None, 0
    deadline = day(evidence.get("deadline"))
    if deadline is not None:
        return max((as_of - deadline).days, 0), 1
    days = [d for d in map(day, evidence.values()) if d is not None]
    return ((as_of - min(days)).days, 0) if days else (None, 0)


def day(value: Any) -> date | None:
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T":
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def evidence_steps(evidence: Any) -> str:
    if not isinstance(evidence, Mapping):
        return ""
    steps = [str(k).partition(".")[0] for k in evidence if str(k).partition(".")[2] in STEP_SUFFIXES]
    return ",".join(dict.fromkeys(steps))
