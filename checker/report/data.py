"""Every finding of a run as compact data embedded in the page, and the filter choices counted over all of them.

The page holds one JSON block of columns (one array per field, repeated texts as indexes
into small tables), so 50,000 findings stay a few megabytes and the script filters integer
arrays instead of parsing markup. Texts are settled here in the report's language; the
script only places them with textContent.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from .catalogue import localized
from .evidence import Words, evidence_pairs, evidence_steps
from .jsontext import compact
from .people import NONE_KEY, person_ref
from .values import SEVERITIES, SEVERITY_RANK, as_mapping, format_value, severity

STATUSES: tuple[str, ...] = ("open", "new", "persisting", "waived")
# Record columns with a meaning for the report: the money at stake and the stage the record is in.
AMOUNT, STAGE = "amount", "stage"


class Interned:
    """A table of distinct values and the index of each value as it is added (a dict keeps its
    keys in the order they came, so the keys are the table)."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}

    def add(self, value: Any) -> int:
        index = self.index
        return index.setdefault(value, len(index))

    @property
    def values(self) -> list[Any]:
        return list(self.index)


def report_order(violations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Most serious first, then by rule and record: the order a reader meets them in."""
    return sorted(violations, key=lambda v: (SEVERITY_RANK[severity(v.get("severity"))], str(v.get("rule_id") or ""),
                                             format_value(v.get("key"))))


def findings_data(ordered: Sequence[Mapping[str, Any]], lang: str, rule_titles: Mapping[str, str],
                  words: Words, as_of: date | None) -> dict[str, Any]:
    """The columns of every violation (given in report order), with the tables their indexes point into."""
    rules, people, messages, tables, names, stages, steps, ev_names = (Interned() for _ in range(8))
    records = [as_mapping(v.get("record")) for v in ordered]
    fields = [as_mapping(r.get("fields")) for r in records]
    evidence = [v.get("evidence") for v in ordered]
    tables_of = [str(v.get("table") or "") for v in ordered]
    ages = [finding_age(ev, as_of) for ev in evidence]
    sep = words.L["list_sep"]
    columns: dict[str, list[Any]] = {
        "sev": [SEVERITY_RANK[severity(v.get("severity"))] for v in ordered],
        "rule": [rules.add(str(v.get("rule_id") or "")) for v in ordered],
        "table": [tables.add(words.table(t)) for t in tables_of],
        "key": [format_value(v.get("key")) for v in ordered],
        "owner": [people.add(_person(v, "owner")) for v in ordered],
        "sup": [people.add(_person(v, "supervisor")) for v in ordered],
        "msg": [messages.add(localized(v.get("message"), lang)) for v in ordered],
        # Evidence as flat [name, value, name, value, ...]: its few dozen names as indexes.
        "ev": [[part for name, value in evidence_pairs(ev, words, t) for part in (ev_names.add(name), value)]
               for ev, t in zip(evidence, tables_of)],
        "fp": [str(v.get("fingerprint") or "") for v in ordered],
        "status": [_status_code(v.get("status")) for v in ordered],
        "amount": [_amount(f) for f in fields],
        "names": [names.add(sep.join(str(n) for n in as_mapping(r.get("names")).values() if n)) for r in records],
        "stage": [stages.add(_stage(f, t, words)) for f, t in zip(fields, tables_of)],
        "case": [str(v.get("case") or "") for v in ordered],
        "hl": [steps.add(evidence_steps(ev)) for ev in evidence],
        "days": [days for days, _ in ages],
        "overdue": [overdue for _, overdue in ages],
    }
    return {
        "rules": [[rid, rule_titles.get(rid, "")] for rid in rules.values],
        "people": [list(p) for p in people.values],
        "messages": messages.values, "tables": tables.values, "name_texts": names.values,
        "stages": stages.values, "steps": steps.values, "ev_names": ev_names.values,
        **columns,
    }


def _amount(fields: Mapping[str, Any]) -> float | None:
    """The money at stake: the record's `amount` column, when its table has one."""
    value = fields.get(AMOUNT)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _stage(fields: Mapping[str, Any], table: str, words: Words) -> str:
    value = fields.get(STAGE)
    return words.value(table, STAGE, value) if value not in (None, "") else ""


def finding_age(evidence: Any, as_of: date | None) -> tuple[int | None, int]:
    """(days, 1) past the finding's deadline, or (days, 0) since the earliest day its evidence
    names; (None, 0) when it names no time. Days are the export's own calendar days."""
    if as_of is None or not isinstance(evidence, Mapping):
        return None, 0
    deadline = _day(evidence.get("deadline"))
    if deadline is not None:
        return max((as_of - deadline).days, 0), 1
    days = [d for d in map(_day, evidence.values()) if d is not None]
    return ((as_of - min(days)).days, 0) if days else (None, 0)


@lru_cache(maxsize=4096)
def _day_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    """The day of an ISO time ("2025-03-06T09:04:00+08:00"); None for anything else."""
    if isinstance(value, str) and len(value) >= 19 and value[10] == "T":
        return _day_of(value[:10])
    return None


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
    text = compact(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

