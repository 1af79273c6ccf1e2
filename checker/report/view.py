"""The report's view model: a results dict turned into plain, fully populated template values.

The template runs with StrictUndefined, so every optional field of the results is settled
here rather than guarded in markup. Work over all violations is kept to single passes
(counting, picking the rows shown); per-row formatting is done only for the rows shown.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .catalogue import LABELS, localized
from .charts import charts
from .columns import first_positions
from .data import STATUSES, embedded_json, embedded_json_bytes, filter_options, findings_data, report_order
from .detail import clause_appendix, page_timelines, rule_details
from .evidence import Words, evidence_pairs
from .listed import listed
from .people import group_by_supervisor, person
from .summaries import data_quality_summary, not_evaluable_summary
from .values import (SEVERITIES, as_findings, as_int, as_mapping, as_records, format_count, format_rate, format_timestamp,
                     format_value, severity)

# The findings of each rule that the page shows without its script (and in print); all of them
# are in the embedded data, violations.csv and results.json.
FIRST_PER_RULE = 5
# A page of the interactive list: a browser lays out this many rows at once without a pause.
PAGE_ROWS = 50
# Up to this many findings a printout lists them all; beyond it prints the rows on screen.
PRINT_ALL = 500


def build_context(results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Turn ``results`` into the values the template shows, in ``lang``."""
    L = LABELS[lang]
    run = as_mapping(results.get("run"))
    summary = as_mapping(results.get("summary"))
    rules_in = as_records(results.get("rules"))
    every_violation = as_findings(results.get("violations"))
    violations_in = listed(every_violation)
    not_evaluable_in = as_findings(results.get("not_evaluable"))
    data_quality_in = as_records(results.get("data_quality"))

    rule_titles = {str(r.get("id", "")): localized(r.get("title"), lang) for r in rules_in}
    by_severity = _severity_counts(summary, every_violation)
    counts = {
        "violations": as_int(summary.get("violations"), len(every_violation)),
        "not_evaluable": as_int(summary.get("not_evaluable"), len(not_evaluable_in)),
        "data_quality": as_int(summary.get("data_quality"), len(data_quality_in)),
        "waived": as_int(summary.get("waived"), len(as_records(results.get("waived")))),
        "rules": as_int(summary.get("rules"), len(rules_in)),
        "waiver_findings": len(as_records(results.get("waiver_findings"))),
    }
    words = Words(results.get("vocabulary"), lang, L)
    order, data = findings_data(violations_in, lang, rule_titles, words, _as_of(run))
    data["rule_info"] = rule_details([rid for rid, _ in data["rules"]], rules_in, lang)
    data["timelines"] = page_timelines(results, data["case"], words)

    rule_rows = [_rule_row(r, lang) for r in rules_in]
    return {
        "L": L,
        "lang": lang,
        "html_lang": L["html_lang"],
        "title": report_title(results, lang),
        "team": _team_view(results, L),
        "run": _run_view(run, results, lang),
        "verdict": _verdict(L, counts, rules_in, every_violation, by_severity),
        "cards": _cards(L, by_severity, counts),
        "charts": charts(results, data, lang, L),
        "rules": rule_rows,
        "appendix": clause_appendix(rule_rows),
        "owner_groups": group_by_supervisor(violations_in),
        "severity_labels": {sev: L[f"sev_{sev}"] for sev in SEVERITIES},
        "options": filter_options(data, L),
        "violations_total": len(violations_in),
        # Set when the page lists only some of the run's violations (listed.py).
        "listed_of": len(every_violation) if len(violations_in) < len(every_violation) else None,
        "first_by_rule": _first_by_rule(violations_in, order, data, words, rule_titles),
        "not_evaluable": not_evaluable_summary(not_evaluable_in, lang, rule_titles, words.table),
        "not_evaluable_total": len(not_evaluable_in),
        "data_quality": data_quality_summary(data_quality_in, L),
        "data_quality_total": len(data_quality_in),
        "waived": [_waived_row(v, words) for v in report_order(as_records(results.get("waived")))],
        "waiver_findings": [_waiver_finding_row(f, lang) for f in as_records(results.get("waiver_findings"))],
        # What the script needs; it reaches it through JSON blocks, never inline code.
        "config": embedded_json(_script_config(L)),
        "findings": embedded_json_bytes(data),
    }


def report_title(results: Mapping[str, Any], lang: str) -> str:
    """The pack's own title for its report when the results carry one (run.title), else the generic one."""
    return localized(as_mapping(results.get("run")).get("title"), lang) or LABELS[lang]["title"]


def _team_view(results: Mapping[str, Any], L: Mapping[str, str]) -> dict[str, str] | None:
    team = as_mapping(results.get("team"))
    if not team:
        return None
    by = str(team.get("by") or "supervisor")
    ref = str(team.get("ref") or "")
    who = str(team.get("name") or "")
    shown = f"{who} {ref}" if who and who != ref else (ref if ref != "none" else L["none_person"])
    return {"text": L["team_banner"].format(by=L[f"split_{by}"], who=shown), "ref": ref}


def _script_config(L: Mapping[str, str]) -> dict[str, Any]:
    labels = {"counter": L["counter"], "show_more": L["show_more"], "none_person": L["none_person"], "none": L["none"],
              "criteria": L["d_criteria"], "condition": L["d_condition"], "cause": L["d_cause"],
              "effect": L["d_effect"], "recommendation": L["d_recommendation"], "responsible": L["d_responsible"],
              "status": L["d_status"], "timeline": L["d_timeline"], "amount": L["d_amount"], "stage": L["d_stage"],
              "drafted": L["d_drafted"], "days_overdue": L["d_days_overdue"], "days_age": L["d_days_age"],
              "no_timeline": L["d_no_timeline"], "money": L["money"], "open_detail": L["open_detail"],
              "clause_text": L["clause_text"]}
    return {"page": PAGE_ROWS, "print_all": PRINT_ALL, "labels": labels,
            "severities": [L[f"sev_{sev}"] for sev in SEVERITIES], "severity_names": list(SEVERITIES),
            "statuses": list(STATUSES), "status_labels": [L[f"status_{status}"] for status in STATUSES]}


def _first_by_rule(violations: Sequence[Mapping[str, Any]], in_report_order: list[int], data: Mapping[str, Any],
                   words: Words, rule_titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """For each rule with findings, its first FIRST_PER_RULE in report order (``in_report_order``:
    the violations' positions in it) and how many it has; ``data`` is the page's findings, whose rule
    codes number the rules in the order they first come."""
    groups = []
    for (rule_id, _), (first, total) in zip(data["rules"], first_positions(data["rule"], FIRST_PER_RULE)):
        shown = [_violation_row(violations[in_report_order[i]], words) for i in first]
        groups.append({"rule_id": rule_id, "rule_title": rule_titles.get(rule_id, ""), "rows": shown,
                       "total": total, "note": words.L["first_of"].format(shown=len(shown), total=format_count(total))})
    return groups


def _as_of(run: Mapping[str, Any]) -> date | None:
    """The as-of day in the export's calendar."""
    try:
        return date.fromisoformat(str(run.get("as_of_date") or run.get("as_of") or "")[:10])
    except ValueError:
        return None


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
        "period": _period_text(run, lang),
        "source": localized(run.get("generated_from"), lang),
        "timezone": str(run.get("timezone") or ""),
        "inputs": [{name: str(item.get(name) or "") for name in ("path", "role", "sha256")}
                   for item in as_records(run.get("inputs"))],
        "records": [{"table": str(k), "count": format_count(n)} for k, n in records.items()],
        "schema_version": str(results.get("schema_version", "")),
    }


def _period_text(run: Mapping[str, Any], lang: str) -> str:
    period = as_mapping(run.get("period"))
    if not period.get("from") or not period.get("to"):
        return ""
    return LABELS[lang]["period_range"].format(start=period["from"], end=period["to"])


def _verdict(L: Mapping[str, str], counts: Mapping[str, int], rules: list[Mapping[str, Any]],
             violations: list[Mapping[str, Any]], by_severity: Mapping[str, int]) -> dict[str, str]:
    extras = []
    if counts["waiver_findings"]:
        extras.append(L["verdict_waiver_findings"].format(n=counts["waiver_findings"]))
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
        "drafted": r.get("clause_source") == "drafted" or r.get("clause_status") == "drafted",
        "in_scope": _figure(r.get("in_scope")),
        "activated": _figure(r.get("activated")),
        "checked_nothing": r.get("activated") is not None and activated == 0,
        "violations": as_int(r.get("violations"), 0),
        "not_evaluable": _figure(r.get("not_evaluable")),
        "rate": pct,
        "bar": round(bar, 1),
    }


def _figure(value: Any) -> int | None:
    """A rule's count, or None where it is not known (a team's share of the records in scope)."""
    return None if value is None else as_int(value, 0)


@dataclass(frozen=True, slots=True)
class ViolationRow:
    """One finding as the page shows it without its script."""

    severity: str
    rule_id: str
    table: str
    key: str
    owner: str
    supervisor: str
    message: str
    evidence: list[tuple[str, str]]
    fingerprint: str


def _violation_row(v: Mapping[str, Any], words: Words) -> ViolationRow:
    table = str(v.get("table") or "")
    return ViolationRow(
        severity=severity(v.get("severity")),
        rule_id=str(v.get("rule_id") or ""),
        table=words.table(table),
        key=format_value(v.get("key")),
        owner=_person_text(v, "owner", words.L),
        supervisor=_person_text(v, "supervisor", words.L),
        message=localized(v.get("message"), words.lang),
        evidence=evidence_pairs(v.get("evidence"), words, table),
        fingerprint=str(v.get("fingerprint") or ""),
    )


def _person_text(v: Mapping[str, Any], role: str, L: Mapping[str, str]) -> str:
    _, pid, name = person(v, role)
    return f"{name} {pid}" if name and pid else (name or pid or L["none_person"])


def _waived_row(v: Mapping[str, Any], words: Words) -> dict[str, Any]:
    waiver = as_mapping(v.get("waiver"))
    return {"row": _violation_row(v, words), "reason": str(waiver.get("reason") or ""),
            "approved_by": str(waiver.get("approved_by") or ""), "expires": str(waiver.get("expires") or "")}


def _waiver_finding_row(f: Mapping[str, Any], lang: str) -> dict[str, str]:
    return {"kind": str(f.get("kind") or ""), "rule_id": str(f.get("rule_id") or ""), "key": format_value(f.get("key")),
            "where": f"{f.get('file') or ''}:{f.get('line') or ''}", "message": localized(f.get("message"), lang),
            "approved_by": str(f.get("approved_by") or ""), "expires": str(f.get("expires") or "")}
