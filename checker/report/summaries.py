"""Records not evaluable and data-quality findings, summarised with counts.

Their rows can number tens of thousands and each says the same few things, so the page shows
them grouped (by rule and reason; by file, column and kind) and leaves the rows to
results.json and violations.csv.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .columns import fields, localized_texts, texts
from .values import format_count, format_value

# Enough distinct values to recognise a pattern without flooding the row.
EXAMPLES = 3
DATA_QUALITY_KINDS = ("unparseable", "unknown_value", "dangling_reference", "duplicate_key", "missing_key",
                      "missing_column")


def not_evaluable_summary(records: Sequence[Mapping[str, Any]], lang: str, rule_titles: Mapping[str, str],
                          table_words: Callable[[str], str]) -> list[dict[str, Any]]:
    """One row per (rule, table, reason), most frequent first."""
    read = fields(records, ("rule_id", "table", "reason"))
    counted = Counter(zip(texts(read["rule_id"]), texts(read["table"]), localized_texts(read["reason"], lang)))
    return [{"rule_id": rule_id, "rule_title": rule_titles.get(rule_id, ""), "table": table_words(table),
             "reason": reason, "count": format_count(n)}
            for (rule_id, table, reason), n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))]


def data_quality_summary(findings: Sequence[Mapping[str, Any]], L: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row per (file, column, kind) with the kind in words, example values and rows, most frequent first."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for d in findings:
        kind = str(d.get("kind") or "")
        where = (str(d.get("file") or d.get("table") or ""), str(d.get("column") or ""), kind)
        group = groups.setdefault(where, {"count": 0, "values": [], "rows": [], "message": str(d.get("message") or "")})
        group["count"] += 1
        value = format_value(d.get("value"), L["empty_value"])
        if len(group["values"]) < EXAMPLES and value not in group["values"]:
            group["values"].append(value)
        if len(group["rows"]) < EXAMPLES:
            group["rows"].append(format_value(d.get("row")))
    return [{"file": file, "column": column, "kind": kind, "what": _kind_words(kind, group, L),
             "examples": group["values"], "rows": L["list_sep"].join(group["rows"]),
             "count": format_count(group["count"])}
            for (file, column, kind), group in sorted(groups.items(), key=lambda item: (-item[1]["count"], item[0]))]


def _kind_words(kind: str, group: Mapping[str, Any], L: Mapping[str, str]) -> str:
    """The kind in the reader's language; a kind the catalogue does not know keeps the loader's message."""
    return L[f"dq_{kind}"] if kind in DATA_QUALITY_KINDS else group["message"]
