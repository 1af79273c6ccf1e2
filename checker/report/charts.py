"""The report's charts as plain geometry for inline SVG: horizontal bars, one row per thing.

Each chart is a title and rows of a label, coloured segments (x and width in SVG units) and the
value in words; the template draws them as <rect> and <text>, so a chart needs no script and
prints as it shows.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from .catalogue import localized
from .columns import grouped
from .evidence import figure
from .values import SEVERITIES, as_mapping, as_records, format_rate

LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 130, 360, 22
# Enough rows to compare the largest; the full figures are in the tables beside the charts.
MAX_ROWS = 12


def charts(results: Mapping[str, Any], data: Mapping[str, Any], lang: str,
           L: Mapping[str, str]) -> list[dict[str, Any]]:
    """The charts that have something to show, in reading order; ``data`` is the page's findings
    (data.findings_data), whose integer columns are counted here rather than the violations again."""
    rules = as_records(results.get("rules"))
    built = [_compliance(rules, lang, L), _by_supervisor(data, L), _money(data, rules, lang, L),
             _trend(as_records(results.get("trend")), L)]
    return [chart for chart in built if chart["rows"]]


def _chart(chart_id: str, title: str, rows: list[dict[str, Any]], legend: list[dict[str, str]] | None = None) -> dict:
    return {"id": chart_id, "title": title, "rows": rows[:MAX_ROWS], "legend": legend or [],
            "width": LABEL_WIDTH + BAR_WIDTH + 110, "height": ROW_HEIGHT * min(len(rows), MAX_ROWS) + 6,
            "label_width": LABEL_WIDTH, "bar_width": BAR_WIDTH}


def _row(i: int, label: str, parts: Sequence[tuple[float, str, str]], total: float, value: str) -> dict[str, Any]:
    """parts: (amount, css class, tooltip), laid end to end on a scale where ``total`` fills the bar."""
    segments, x = [], float(LABEL_WIDTH)
    for amount, css, tip in parts:
        width = BAR_WIDTH * amount / total if total else 0.0
        segments.append({"x": round(x, 1), "w": round(width, 1), "css": css, "tip": tip})
        x += width
    return {"y": i * ROW_HEIGHT + 3, "label": label, "segments": segments, "value": value,
            "value_x": round(x + 6, 1), "text_y": i * ROW_HEIGHT + 17}


def _compliance(rules: list[Mapping[str, Any]], lang: str, L: Mapping[str, str]) -> dict[str, Any]:
    rated = [r for r in rules if isinstance(r.get("compliance_rate"), (int, float))]
    rated.sort(key=lambda r: (r["compliance_rate"], str(r.get("id"))))
    rows = [_row(i, str(r.get("id") or ""), [
        (float(r["compliance_rate"]), "ok" if r["compliance_rate"] >= 1 else "warn" if r["compliance_rate"] >= .9
         else "bad", localized(r.get("title"), lang))], 1.0, format_rate(r["compliance_rate"]) or "")
        for i, r in enumerate(rated)]
    return _chart("chart-compliance", L["chart_compliance"], rows)


def _by_supervisor(data: Mapping[str, Any], L: Mapping[str, str]) -> dict[str, Any]:
    counted: dict[int, Counter] = {}
    for (person, sev), n in Counter(zip(data["sup"], data["sev"])).items():
        counted.setdefault(person, Counter())[SEVERITIES[sev]] = n
    people = data["people"]
    ranked = sorted(counted, key=lambda p: (-sum(counted[p].values()), people[p][0]))
    top = max((sum(c.values()) for c in counted.values()), default=0)
    rows = [_row(i, _person_label(people[p], L), _severity_parts(counted[p], L), top, str(sum(counted[p].values())))
            for i, p in enumerate(ranked)]
    legend = [{"css": f"sev-{sev}", "label": L[f"sev_{sev}"]} for sev in SEVERITIES]
    return _chart("chart-supervisors", L["chart_supervisors"], rows, legend)


def _severity_parts(counts: Mapping[str, int], L: Mapping[str, str]) -> list[tuple[float, str, str]]:
    return [(counts.get(sev, 0), f"sev-{sev}", f"{L[f'sev_{sev}']} {counts.get(sev, 0)}") for sev in SEVERITIES]


def _person_label(person: Sequence[str], L: Mapping[str, str]) -> str:
    ref, pid, name = person
    return f"{name} {pid}" if name and pid else (name or pid or L["none_person"])


def _money(data: Mapping[str, Any], rules: list[Mapping[str, Any]], lang: str, L: Mapping[str, str]) -> dict[str, Any]:
    # Each rule's amounts added in page order, as a running total would.
    at_stake = {data["rules"][rule][0]: sum(amounts)
                for rule, amounts in enumerate(grouped(data["rule"], data["amount"])) if amounts}
    titles = {str(r.get("id")): localized(r.get("title"), lang) for r in rules}
    ranked = sorted(at_stake, key=lambda rid: (-at_stake[rid], rid))
    top = max(at_stake.values(), default=0)
    rows = [_row(i, rid, [(at_stake[rid], "money", titles.get(rid, ""))], top,
                 L["money"].format(amount=figure(at_stake[rid]))) for i, rid in enumerate(ranked)]
    return _chart("chart-money", L["chart_money"], rows)


def _trend(runs: list[Mapping[str, Any]], L: Mapping[str, str]) -> dict[str, Any]:
    if len(runs) < 2:
        return _chart("chart-trend", L["chart_trend"], [])
    runs = runs[-MAX_ROWS:]
    top = max(int(r.get("violations") or 0) for r in runs)
    by_severity = [as_mapping(r.get("by_severity")) for r in runs]
    rows = [_row(i, str(r.get("as_of") or "")[:10], _severity_parts(counts, L), top, str(r.get("violations") or 0))
            for i, (r, counts) in enumerate(zip(runs, by_severity))]
    return _chart("chart-trend", L["chart_trend"], rows)
