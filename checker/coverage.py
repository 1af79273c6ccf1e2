"""Clause coverage: which policy clauses the rule pack checks, which are manual and why, which are
uncovered, and which rest on drafted text the policy owner has not adopted yet."""
from __future__ import annotations

import json

from jinja2 import Environment

from .policy import Clause
from .project import Project

FORMATS = ("text", "json", "html")
STATES = ("automated", "manual", "uncovered")


def coverage(project: Project) -> dict:
    """{"clauses": [...], "summary": {...}}: every clause in policy order with the rules citing it."""
    cited: dict[str, list[str]] = {}
    for rule in project.pack.rules:
        for cid in rule.clauses:
            cited.setdefault(cid, []).append(rule.id)
    clauses = [_entry(clause, sorted(cited.get(cid, []))) for cid, clause in
               sorted(project.clauses.items(), key=lambda kv: [int(p) for p in kv[0].split(".")])]
    summary = {state: sum(c["coverage"] == state for c in clauses) for state in STATES}
    summary["drafted"] = sum(c["status"] == "drafted" for c in clauses)
    return {"clauses": clauses, "summary": {"clauses": len(clauses), **summary}}


def _entry(clause: Clause, rules: list[str]) -> dict:
    state = "automated" if rules else ("uncovered" if clause.automatable else "manual")
    return {"id": clause.id, "title": clause.title, "source": clause.source, "status": clause.status,
            "adopted_by": clause.adopted_by, "adopted_on": clause.adopted_on, "incomplete": clause.incomplete,
            "automatable": clause.automatable, "reason": clause.reason, "rules": rules, "coverage": state}


def uncovered(report: dict) -> list[str]:
    """Ids of automatable clauses that no rule cites: the pack's gaps."""
    return [c["id"] for c in report["clauses"] if c["coverage"] == "uncovered"]


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return _HTML.render(report=report)
    return _text(report)


def _text(report: dict) -> str:
    rows = [f"{'clause':<9} {'coverage':<10} {'status':<8} {'rules':<28} title"]
    for c in report["clauses"]:
        status = "drafted" if c["status"] == "drafted" else ""
        rows.append(f"{c['id']:<9} {c['coverage']:<10} {status:<8} {', '.join(c['rules']) or '-':<28} "
                    f"{c['title']['en']}")
    s = report["summary"]
    total = ", ".join(f"{s[state]} {state}" for state in STATES)
    gaps = uncovered(report)
    tail = [f"{s['clauses']} clauses: {total}; {s['drafted']} drafted, not yet adopted "
            "(their findings rest on proposed text)"]
    if gaps:
        tail.append(f"automatable but without a rule: {', '.join(gaps)}")
    return "\n".join([*rows, "", *tail]) + "\n"


_HTML = Environment(autoescape=True).from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Policy clause coverage</title>
<style>
body { font-family: sans-serif; margin: 2em; } table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
.uncovered { background: #fde2e2; } .manual { color: #555; } .drafted { font-style: italic; }
</style></head><body>
<h1>Policy clause coverage</h1>
<p>{{ report.summary.clauses }} clauses: {{ report.summary.automated }} automated, {{ report.summary.manual }} manual,
{{ report.summary.uncovered }} uncovered; {{ report.summary.drafted }} drafted, not yet adopted.</p>
<table>
<thead><tr><th>clause</th><th>title</th><th>coverage</th><th>source / status</th><th>rules</th><th>why manual</th></tr></thead>
<tbody>
{% for c in report.clauses %}<tr class="{{ c.coverage }}{% if c.status == 'drafted' %} drafted{% endif %}">
<td>{{ c.id }}</td><td>{{ c.title.zh }}<br>{{ c.title.en }}</td><td>{{ c.coverage }}</td>
<td>{{ c.source }}{% if c.status == 'drafted' %}, drafted (not adopted){% elif c.adopted_by %}, adopted by {{ c.adopted_by }} on {{ c.adopted_on }}{% endif %}{% if c.incomplete %}, incomplete{% endif %}</td>
<td>{{ c.rules | join(", ") }}</td><td>{% if c.reason %}{{ c.reason.en }}{% endif %}</td></tr>
{% endfor %}</tbody></table>
</body></html>
""")
