"""Every finding of a run as compact data embedded in the page, and the filter choices counted over all of them.

The page holds one JSON block of columns (one array per field, repeated texts as indexes
into small tables), so 50,000 findings stay a few megabytes and the script filters integer
arrays instead of parsing markup. Texts are settled here in the report's language; the
script only places them with textContent.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .catalogue import localized
from .people import NONE_KEY, person_ref
from .values import SEVERITIES, SEVERITY_RANK, format_value, severity

STATUSES: tuple[str, ...] = ("open", "new", "persisting", "waived")


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
                  evidence_text: Callable[[Any], str]) -> dict[str, Any]:
    """The columns of every violation, in report order, with the tables their indexes point into."""
    rules, people, messages, tables = Interned(), Interned(), Interned(), Interned()
    columns: dict[str, list[Any]] = {name: [] for name in
                                     ("sev", "rule", "table", "key", "owner", "sup", "msg", "ev", "fp", "status")}
    for v in report_order(violations):
        columns["sev"].append(SEVERITY_RANK[severity(v.get("severity"))])
        columns["rule"].append(rules.add(str(v.get("rule_id") or "")))
        columns["table"].append(tables.add(str(v.get("table") or "")))
        columns["key"].append(format_value(v.get("key")))
        columns["owner"].append(people.add(_person(v, "owner")))
        columns["sup"].append(people.add(_person(v, "supervisor")))
        columns["msg"].append(messages.add(localized(v.get("message"), lang)))
        columns["ev"].append(evidence_text(v.get("evidence")))
        columns["fp"].append(str(v.get("fingerprint") or ""))
        columns["status"].append(_status_code(v.get("status")))
    return {
        "rules": [[rid, rule_titles.get(rid, "")] for rid in rules.values],
        "people": [list(p) for p in people.values],
        "messages": messages.values,
        "tables": tables.values,
        **columns,
    }


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

