"""Every finding of a run as compact data embedded in the page, and the filter choices counted over all of them.

The page holds one JSON block of columns (one array per field, repeated texts as indexes
into small tables), so 50,000 findings stay a few megabytes and the script filters integer
arrays instead of parsing markup. Texts are settled here in the report's language; the
script only places them with textContent.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .catalogue import localized
from .evidence import Words, evidence_steps, evidence_text
from .people import NONE_KEY, person_ref
from .values import SEVERITIES, SEVERITY_RANK, as_mapping, format_value, severity

STATUSES: tuple[str, ...] = ("open", "new", "persisting", "waived")
# Record columns with a meaning for the report: the money at stake and the stage the record is in.
AMOUNT, STAGE = "amount", "stage"


class Interned:
    """A table of distinct values and the index of each value as it is added."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []

    def add(self, value: Any) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


def report_order(violations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Most serious first, then by rule and record: the order a reader meets them in."""
    return sorted(violations, key=lambda v: (SEVERITY_RANK[severity(v.get("severity"))], str(v.get("rule_id") or ""),
                                             format_value(v.get("key"))))


def findings_data(violations: Sequence[Mapping[str, Any]], lang: str, rule_titles: Mapping[str, str],
                  words: Words, as_of: datetime | None) -> dict[str, Any]:
    """The columns of every violation, in report order, with the tables their indexes point into."""
    rules, people, messages, tables, names, stages, steps = (Interned() for _ in range(7))
    columns: dict[str, list[Any]] = {name: [] for name in (
        "sev", "rule", "table", "key", "owner", "sup", "msg", "ev", "fp", "status",
        "amount", "names", "stage", "case", "hl", "days", "overdue")}
    for v in report_order(violations):
        table = str(v.get("table") or "")
        record = as_mapping(v.get("record"))
        fields = as_mapping(record.get("fields"))
        evidence = v.get("evidence")
        days, overdue = finding_age(evidence, as_of)
        columns["sev"].append(SEVERITY_RANK[severity(v.get("severity"))])
        columns["rule"].append(rules.add(str(v.get("rule_id") or "")))
        columns["table"].append(tables.add(words.table(table)))
        columns["key"].append(format_value(v.get("key")))
        columns["owner"].append(people.add(_person(v, "owner")))
        columns["sup"].append(people.add(_person(v, "supervisor")))
        columns["msg"].append(messages.add(localized(v.get("message"), lang)))
        columns["ev"].append(evidence_text(evidence, words, table))
        columns["fp"].append(str(v.get("fingerprint") or ""))
        columns["status"].append(_status_code(v.get("status")))
        columns["amount"].append(_amount(fields))
        columns["names"].append(names.add(words.L["list_sep"].join(
            str(n) for n in as_mapping(record.get("names")).values() if n)))
        columns["stage"].append(stages.add(_stage(fields, table, words)))
        columns["case"].append(str(v.get("case") or ""))
        columns["hl"].append(steps.add(",".join(evidence_steps(evidence))))
        columns["days"].append(days)
        columns["overdue"].append(overdue)
    return {
        "rules": [[rid, rule_titles.get(rid, "")] for rid in rules.values],
        "people": [list(p) for p in people.values],
        "messages": messages.values, "tables": tables.values, "name_texts": names.values,
        "stages": stages.values, "steps": steps.values,
        **columns,
    }


def _amount(fields: Mapping[str, Any]) -> float | None:
    """The money at stake: the record's `amount` column, when its table has one."""
    value = fields.get(AMOUNT)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _stage(fields: Mapping[str, Any], table: str, words: Words) -> str:
    value = fields.get(STAGE)
    return words.value(table, STAGE, value) if value not in (None, "") else ""


def finding_age(evidence: Any, as_of: datetime | None) -> tuple[int | None, int]:
    """(days, 1) past the finding's deadline, or (days, 0) since the earliest time its evidence
    names; (None, 0) when it names no time."""
    if as_of is None or not isinstance(evidence, Mapping):
        return None, 0
    deadline = _instant(evidence.get("deadline"))
    if deadline is not None:
        return max((as_of - deadline).days, 0), 1
    times = [t for t in map(_instant, evidence.values()) if t is not None]
    return ((as_of - min(times)).days, 0) if times else (None, 0)


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) < 19 or value[10] != "T":
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo else None


def _person(v: Mapping[str, Any], role: str) -> tuple[str, str, str]:
    pid, name = v.get(f"{role}_id"), v.get(f"{role}_name")
    return person_ref(pid, name), str(pid or ""), str(name or "")


def _status_code(value: Any) -> int:
    return STATUSES.index(value) if value in STATUSES else 0


def filter_options(data: Mapping[str, Any], L: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Each filter's choices with the number of findings behind it, counted over all findings."""
    people = data["people"]
    return {
        "severity": [{"value": SEVERITIES[code], "label": L[f"sev_{SEVERITIES[code]}"], "count": n}
                     for code, n in sorted(Counter(data["sev"]).items())],
        "rule": [{"value": data["rules"][code][0], "label": " ".join(filter(None, data["rules"][code])), "count": n}
                 for code, n in sorted(Counter(data["rule"]).items(), key=lambda item: data["rules"][item[0]][0])],
        "supervisor": _people_options(Counter(data["sup"]), people, L["none_person"]),
        "owner": _people_options(Counter(data["owner"]), people, L["none_person"]),
        "status": [{"value": STATUSES[code], "label": L[f"status_{STATUSES[code]}"], "count": n}
                   for code, n in sorted(Counter(data["status"]).items())],
    }


def _people_options(counted: Counter, people: list[list[str]], nobody: str) -> list[dict[str, Any]]:
    options = []
    for code, n in counted.items():
        ref, pid, name = people[code]
        label = f"{name} {pid}" if name and pid else (name or pid or nobody)
        options.append({"value": ref, "label": label, "count": n})
    return sorted(options, key=lambda o: (o["value"] == NONE_KEY, o["value"]))


def embedded_json(value: Any) -> str:
    """JSON that can sit inside a <script> block: no "<", ">" or "&" that could end it or open markup."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

