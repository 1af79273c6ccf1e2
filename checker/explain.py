"""Human-readable views of the rule pack: one rule explained, and clause coverage."""
from __future__ import annotations

from .kinds import KINDS
from .policy import render_text
from .project import Project
from .rules import Rule


def explain_rule(rule: Rule, project: Project, lang: str) -> str:
    clause = project.clauses.get(rule.clause)
    lines = [f"{rule.id}: {rule.title[lang]}", f"  severity: {rule.severity}    file: {rule.file}:{rule.line}",
             f"  clause {rule.clause}: " + (f"{clause.title[lang]}\n    {render_text(clause, project.pack.params, lang)}"
                                            if clause else "(not in the policy)"),
             f"  judges: each record of '{rule.applies_to}'" + (f" where {rule.when}" if rule.when else ""),
             f"  check: {rule.kind} {rule.spec}"]
    doc = (KINDS[rule.kind].__doc__ or "").strip().split("\n\n")
    if len(doc) > 1:
        lines.append("  meaning: " + " ".join(doc[1].split()))
    lines.append(f"  data it needs: {', '.join(_needs(rule, project))}")
    if rule.remediation:
        lines.append(f"  remediation: {rule.remediation[lang]}")
    lines.append(f"  test cases: {len(rule.tests)}")
    return "\n".join(lines)


def _needs(rule: Rule, project: Project) -> list[str]:
    model = project.pack.model
    needs = [f"{rule.applies_to}"]
    if rule.kind in ("order", "exists", "response", "different_actors", "performed_by", "approval"):
        needs.append(f"{model.event_log.table} ({model.event_log.step}, {model.event_log.time})")
    if rule.kind in ("performed_by", "approval"):
        needs.append(f"{model.roster.table} ({model.roster.role}, {model.roster.valid_from}, {model.roster.valid_to})")
    if rule.kind == "approval":
        needs.append(model.approvals.table)
    return needs


def coverage_table(project: Project) -> str:
    by_clause: dict[str, list[str]] = {}
    for rule in project.pack.rules:
        by_clause.setdefault(rule.clause, []).append(rule.id)
    rows, counts = [], {"automated": 0, "manual": 0, "uncovered": 0}
    for cid, clause in sorted(project.clauses.items(), key=lambda kv: [int(p) for p in kv[0].split(".")]):
        rules = by_clause.get(cid, [])
        status = "automated" if rules else ("uncovered" if clause.automatable else "manual")
        counts[status] += 1
        rows.append(f"{cid:<9} {status:<10} {', '.join(rules) or '-':<28} {clause.title['en']}")
    header = f"{'clause':<9} {'status':<10} {'rules':<28} title"
    total = ", ".join(f"{n} {k}" for k, n in counts.items())
    return "\n".join([header, *rows, "", f"{len(project.clauses)} clauses: {total}"])
