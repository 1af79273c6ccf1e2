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
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .columns import (Interned, NoneType, fields, interned_rows, localized_texts, per_distinct, shown_values, take, texts,
                      types_of)
from .evidence import Words
from .evidence_columns import evidence_columns
from .findings_read import STAGE, evidence_groups, record_columns
from .jsontext import compact_bytes
from .people import NONE_KEY, person_ref
from .values import SEVERITIES, SEVERITY_RANK, severity

STATUSES: tuple[str, ...] = ("open", "new", "persisting", "waived")


def report_order(violations: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Most serious first, then by rule and record: the order a reader meets them in."""
    return take(violations, report_positions(fields(violations, ("severity", "rule_id", "key"))))


def report_positions(read: Mapping[str, Sequence[Any]]) -> list[int]:
    """The positions of the findings (their severity, rule_id and key columns) in report order,
    by a stable sort: findings that tie keep the order of the results."""
    ranks = per_distinct(read["severity"], _severity_rank)
    rules, keys = texts(read["rule_id"]), shown_values(read["key"])
    try:
        by = pa.table({"sev": ranks, "rule": rules, "key": keys})
    except (pa.ArrowInvalid, UnicodeEncodeError):   # a lone surrogate: no UTF-8 for arrow
        return sorted(range(len(ranks)), key=lambda i: (ranks[i], rules[i], keys[i]))
    # Arrow compares UTF-8 bytes, which order texts as Python does: by code point.
    return pc.sort_indices(by, sort_keys=[("sev", "ascending"), ("rule", "ascending"),
                                          ("key", "ascending")]).to_pylist()


def findings_data(violations: Sequence[Mapping[str, Any]], lang: str, rule_titles: Mapping[str, str],
                  words: Words, as_of: date | None) -> tuple[list[int], dict[str, Any]]:
    """The report order of the violations (their positions) and the columns of every violation in that
    order, with the tables their indexes point into. Each field is read as one column and worded
    once per distinct value (checker/report/columns.py)."""
    read = fields(violations, _READ, optional=("case",))
    order = report_positions(read)
    read = {name: take(column, order) for name, column in read.items()}
    rules, people, messages, tables, names, stages, steps, ev_names = (Interned() for _ in range(8))
    tables_of = texts(read["table"])
    record = record_columns(violations, order, words.L["list_sep"])
    evidence = evidence_columns(evidence_groups(violations, order, tables_of), words, ev_names, steps, as_of)
    columns: dict[str, list[Any]] = {
        "sev": per_distinct(read["severity"], _severity_rank),
        "rule": rules.codes(texts(read["rule_id"])),
        "table": tables.codes(per_distinct(tables_of, words.table)),
        "key": shown_values(read["key"]),
        # Owners first: the people table lists them before the supervisors.
        "owner": interned_rows(people, (read["owner_id"], read["owner_name"]), _person),
        "sup": interned_rows(people, (read["supervisor_id"], read["supervisor_name"]), _person),
        "msg": messages.codes(localized_texts(read["message"], lang)),
        # Evidence as flat [name, value, name, value, ...]: its few dozen names as indexes.
        "ev": evidence.pairs,
        "fp": texts(read["fingerprint"]),
        "status": per_distinct(read["status"], _status_code),
        "amount": _amounts(record.amounts),
        "names": names.codes(record.names),
        "stage": interned_rows(stages, (record.stages, tables_of), partial(_stage, words)),
        "case": texts(read["case"]),
        "hl": evidence.steps,
        "days": evidence.days,
        "overdue": evidence.overdue,
    }
    return order, {
        "rules": [[rid, rule_titles.get(rid, "")] for rid in rules.values],
        "people": [list(p) for p in people.values],
        "messages": messages.values, "tables": tables.values, "name_texts": names.values,
        "stages": stages.values, "steps": steps.values, "ev_names": ev_names.values,
        **columns,
    }


# The flat fields of a violation the page reads, all of which results give every violation but
# `case`; its record and evidence are read by findings_read.py.
_READ = ("severity", "rule_id", "table", "key", "owner_id", "owner_name", "supervisor_id", "supervisor_name",
         "message", "fingerprint", "status")


def _severity_rank(value: Any) -> int:
    return SEVERITY_RANK[severity(value)]


def _person(id_and_name: tuple[Any, Any]) -> tuple[str, str, str]:
    pid, name = id_and_name
    return person_ref(pid, name), str(pid or ""), str(name or "")


def _amounts(values: list[Any]) -> list[float | None]:
    """The money at stake: the record's `amount` column, when its table has one."""
    if types_of(values) <= {int, float, NoneType}:
        return values
    return [v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]


def _stage(words: Words, value_and_table: tuple[Any, str]) -> str:
    value, table = value_and_table
    return words.value(table, STAGE, value) if value not in (None, "") else ""


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
    return embedded_json_bytes(value).decode()


def embedded_json_bytes(value: Any) -> bytes:
    """embedded_json as UTF-8 bytes."""
    data = compact_bytes(value)
    # On the UTF-8 bytes (these three never occur inside a multi-byte character), and only where
    # one occurs: the findings of a large run are a hundred megabytes of mostly Chinese text.
    for raw, escaped in _SCRIPT_ESCAPES:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


_SCRIPT_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))

