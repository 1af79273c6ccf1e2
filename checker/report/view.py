"""The report's view model: a results dict turned into plain, fully populated template values.

The template runs with StrictUndefined, so every optional field of the results is settled
here rather than guarded in markup. Work over all violations is kept to single passes
(counting, picking the rows shown); per-row formatting is done only for the rows shown.
"""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import LABELS, localized
from .people import group_by_supervisor, person, supervisor_options
from .values import (SEVERITIES, SEVERITY_RANK, as_int, as_mapping, as_records, format_count, format_rate,
                     format_timestamp, format_value, severity)

# A browser stays responsive and the file stays mailable at this size; the full
# list is always in violations.csv next to the report.
MAX_VIOLATION_ROWS = 2000
# The lists of not-evaluable records and data-quality findings are capped alike; results.json
# holds them all.
MAX_LIST_ROWS = 1000


def build_context(results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Turn ``results`` into the values the template shows, in ``lang``."""
    L = LABELS[lang]
    run = as_mapping(results.get("run"))
    summary = as_mapping(results.get("summary"))
    rules_in = as_records(results.get("rules"))
    violations_in = as_records(results.get("violations"))
    not_evaluable_in = as_records(results.get("not_evaluable"))
    data_quality_in = as_records(results.get("data_quality"))

    rule_titles = {str(r.get("id", "")): localized(r.get("title"), lang) for r in rules_in}
    by_severity = _severity_counts(summary, violations_in)
    counts = {
        "violations": as_int(summary.get("violations"), len(violations_in)),
        "not_evaluable": as_int(summary.get("not_evaluable"), len(not_evaluable_in)),
        "data_quality": as_int(summary.get("data_quality"), len(data_quality_in)),
        "waived": as_int(summary.get("waived"), len(as_records(results.get("waived")))),
        "rules": as_int(summary.get("rules"), len(rules_in)),
    }
    shown = [_violation_row(v, lang, rule_titles) for v in most_serious(violations_in, MAX_VIOLATION_ROWS)]
    more = len(violations_in) - len(shown)

    return {
        "L": L,
        "lang": lang,
        "html_lang": L["html_lang"],
        "run": _run_view(run, results, lang),
        "verdict": _verdict(L, counts, rules_in, violations_in, by_severity),
        "cards": _cards(L, by_severity, counts),
        "rules": [_rule_row(r, lang) for r in rules_in],
        "owner_groups": group_by_supervisor(violations_in),
        "severity_labels": {sev: L[f"sev_{sev}"] for sev in SEVERITIES},
        "severity_options": _severity_options(shown, L),
        "violations": shown,
        "violations_total": len(violations_in),
        "violations_more": more,
        "counter_text": L["counter"].format(shown=len(shown), total=len(shown)),
        "truncated_text": L["truncated"].format(shown=len(shown), more=more),
        "supervisor_options": supervisor_options(shown, L["none_person"]),
        "rule_options": _rule_options(shown),
        "not_evaluable": [_not_evaluable_row(n, lang, rule_titles) for n in not_evaluable_in[:MAX_LIST_ROWS]],
        "not_evaluable_total": len(not_evaluable_in),
        "not_evaluable_truncated": _list_truncated(L, not_evaluable_in),
        "data_quality": [_data_quality_row(d, lang) for d in data_quality_in[:MAX_LIST_ROWS]],
        "data_quality_total": len(data_quality_in),
        "data_quality_truncated": _list_truncated(L, data_quality_in),
        # The only values the script needs; it reaches them through a JSON block, never inline code.
        "config": {"counter": L["counter"]},
    }


def _list_truncated(L: Mapping[str, str], records: list) -> str:
    """The note under a capped list, or "" when all of it is shown."""
    more = len(records) - MAX_LIST_ROWS
    return L["list_truncated"].format(shown=MAX_LIST_ROWS, more=more) if more > 0 else ""


def most_serious(violations: list[Mapping[str, Any]], limit: int) -> list[Mapping[str, Any]]:
    """The first ``limit`` violations in report order (severity, rule, record).

    Equal to sorting them all and cutting, but a partial selection: with 100,000
    violations only the rows shown are ever ordered.
    """
    return heapq.nsmallest(limit, violations, key=_report_order)


def _report_order(v: Mapping[str, Any]) -> tuple[int, str, str]:
    return SEVERITY_RANK[severity(v.get("severity"))], str(v.get("rule_id") or ""), format_value(v.get("key"))


def _severity_counts(summary: Mapping[str, Any], violations: list[Mapping[str, Any]]) -> dict[str, int]:
    given = summary.get("by_severity")
    if isinstance(given, Mapping):
        return {sev: as_int(given.get(sev), 0) for sev in SEVERITIES}
    counted = Counter(severity(v.get("severity")) for v in violations)
    return {sev: counted.get(sev, 0) for sev in SEVERITIES}


def _run_view(run: Mapping[str, Any], results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    records = as_mapping(run.get("records"))
    return {
        "tool_version": str(run.get("tool_version") or ""),
        "as_of": format_timestamp(run.get("as_of")),
        "as_of_raw": str(run.get("as_of") or ""),
        "source": localized(run.get("generated_from"), lang),
        "timezone": str(run.get("timezone") or ""),
        "inputs": [{name: str(item.get(name) or "") for name in ("path", "role", "sha256")}
                   for item in as_records(run.get("inputs"))],
        "records": [{"table": str(k), "count": format_count(n)} for k, n in records.items()],
        "schema_version": str(results.get("schema_version", "")),
    }


def _verdict(L: Mapping[str, str], counts: Mapping[str, int], rules: list[Mapping[str, Any]],
             violations: list[Mapping[str, Any]], by_severity: Mapping[str, int]) -> dict[str, str]:
    extras = []
    if counts["not_evaluable"]:
        extras.append(L["verdict_not_evaluable"].format(n=counts["not_evaluable"]))
    if counts["data_quality"]:
        extras.append(L["verdict_data_quality"].format(n=counts["data_quality"]))

    if counts["violations"] == 0 and counts["rules"] == 0:
        return {"level": "warn", "text": L["verdict_sep"].join([L["no_rules"].rstrip("。."), *extras])}
    if counts["violations"] == 0:
        if not extras:
            return {"level": "ok", "text": L["verdict_ok"]}
        return {"level": "warn", "text": L["verdict_sep"].join([L["verdict_clean_but"], *extras])}

    rules_hit = {str(r.get("id")) for r in rules if as_int(r.get("violations"), 0) > 0}
    if not rules_hit:
        rules_hit = {str(v.get("rule_id")) for v in violations}
    breakdown = L["list_sep"].join(
        f"{L[f'sev_{sev}']} {by_severity[sev]}" for sev in SEVERITIES if by_severity.get(sev)
    )
    head = L["verdict_violations"].format(
        violations=counts["violations"], rules_hit=len(rules_hit), rules=counts["rules"], breakdown=breakdown,
    )
    level = "bad" if by_severity.get("critical") or by_severity.get("high") else "warn"
    return {"level": level, "text": L["verdict_sep"].join([head, *extras])}


def _cards(L: Mapping[str, str], by_severity: Mapping[str, int], counts: Mapping[str, int]) -> list[dict[str, Any]]:
    cards = [
        {"kind": f"sev sev-{sev}", "label": L[f"sev_{sev}"], "count": by_severity.get(sev, 0),
         "hint": L["violations_word"]}
        for sev in SEVERITIES
    ]
    cards.append({"kind": "other ne", "label": L["not_evaluable"], "count": counts["not_evaluable"],
                  "hint": L["card_not_evaluable_hint"]})
    cards.append({"kind": "other dq", "label": L["data_quality"], "count": counts["data_quality"],
                  "hint": L["card_data_quality_hint"]})
    if counts["waived"]:
        cards.append({"kind": "other waived", "label": L["waived"], "count": counts["waived"],
                      "hint": L["card_waived_hint"]})
    return cards


def _rule_row(r: Mapping[str, Any], lang: str) -> dict[str, Any]:
    rate = r.get("compliance_rate")
    pct = format_rate(rate)
    bar = max(0.0, min(100.0, float(rate) * 100)) if pct is not None else 0.0
    activated = as_int(r.get("activated"), 0)
    return {
        "id": str(r.get("id") or ""),
        "title": localized(r.get("title"), lang),
        "severity": severity(r.get("severity")),
        "clause": str(r.get("clause") or ""),
        "clause_title": localized(r.get("clause_title"), lang),
        "clause_text": localized(r.get("clause_text"), lang),
        "remediation": localized(r.get("remediation"), lang),
        "in_scope": as_int(r.get("in_scope"), 0),
        "activated": activated,
        "checked_nothing": r.get("activated") is not None and activated == 0,
        "violations": as_int(r.get("violations"), 0),
        "not_evaluable": as_int(r.get("not_evaluable"), 0),
        "rate": pct,
        "bar": round(bar, 1),
    }


@dataclass(frozen=True, slots=True)
class Evidence:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ViolationRow:
    """One row of the violations table, as shown.

    A class rather than a dict: the template reads each field of up to MAX_VIOLATION_ROWS
    rows, and Jinja2 finds an attribute at once where a dict key costs it a failed lookup.
    """

    severity: str
    rule_id: str
    rule_title: str
    table: str
    key: str
    owner_id: str
    owner_name: str
    supervisor_key: str
    supervisor_id: str
    supervisor_name: str
    message: str
    evidence: list[Evidence]
    fingerprint: str


def _violation_row(v: Mapping[str, Any], lang: str, rule_titles: Mapping[str, str]) -> ViolationRow:
    rule_id = str(v.get("rule_id") or "")
    sup_key, sup_id, sup_name = person(v, "supervisor")
    _, own_id, own_name = person(v, "owner")
    return ViolationRow(
        severity=severity(v.get("severity")),
        rule_id=rule_id,
        rule_title=rule_titles.get(rule_id, ""),
        table=str(v.get("table") or ""),
        key=format_value(v.get("key")),
        owner_id=own_id,
        owner_name=own_name,
        supervisor_key=sup_key,
        supervisor_id=sup_id,
        supervisor_name=sup_name,
        message=localized(v.get("message"), lang),
        evidence=_evidence(v.get("evidence"), LABELS[lang]["empty_value"]),
        fingerprint=str(v.get("fingerprint") or ""),
    )


def _evidence(evidence: Any, empty: str) -> list[Evidence]:
    if isinstance(evidence, Mapping):
        return [Evidence(str(k), format_value(val, empty)) for k, val in evidence.items()]
    if evidence in (None, "", [], {}):
        return []
    return [Evidence("", format_value(evidence, empty))]


def _severity_options(rows: list[ViolationRow], L: Mapping[str, str]) -> list[dict[str, Any]]:
    counted = Counter(row.severity for row in rows)
    return [
        {"value": sev, "label": L[f"sev_{sev}"], "count": counted[sev]}
        for sev in SEVERITIES if counted[sev]
    ]


def _rule_options(rows: list[ViolationRow]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        rid = row.rule_id
        if rid not in seen:
            label = f"{rid} {row.rule_title}".strip()
            seen[rid] = {"value": rid, "label": label, "count": 0}
        seen[rid]["count"] += 1
    return sorted(seen.values(), key=lambda o: o["value"])


def _not_evaluable_row(n: Mapping[str, Any], lang: str, rule_titles: Mapping[str, str]) -> dict[str, str]:
    rule_id = str(n.get("rule_id") or "")
    return {
        "rule_id": rule_id,
        "rule_title": rule_titles.get(rule_id, ""),
        "table": str(n.get("table") or ""),
        "key": format_value(n.get("key")),
        "reason": localized(n.get("reason"), lang),
    }


def _data_quality_row(d: Mapping[str, Any], lang: str) -> dict[str, str]:
    return {
        "kind": str(d.get("kind") or ""),
        "table": str(d.get("table") or ""),
        "file": str(d.get("file") or ""),
        "row": format_value(d.get("row")),
        "column": str(d.get("column") or ""),
        "value": format_value(d.get("value")),
        "message": localized(d.get("message"), lang),
    }
