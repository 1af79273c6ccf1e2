"""Human-readable views of the rule pack: one rule explained, with its clause and the data it needs."""
from __future__ import annotations

from .expr import compile_expression
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


OPTION = "option:"   # a NEEDS entry "option:amount": the field of the judged table the amount option names

# What each NEEDS entry reads, named in the pack's own data model. The judged table's entries
# ("expression", "expression:<option>", "option:<name>") are shown with the judged table itself.
_SOURCES = {
    "event_log": lambda m, p: _columns(m.event_log.table, m.event_log.case, m.event_log.step, m.event_log.actor,
                                       m.event_log.time),
    "roster": lambda m, p: _columns(m.roster.table, m.roster.role, m.roster.supervisor, m.roster.valid_from,
                                    m.roster.valid_to),
    "approvals": lambda m, p: _columns(m.approvals.table, m.approvals.case, m.approvals.type, m.approvals.approver,
                                       m.approvals.decision, m.approvals.time),
    "calendar": lambda m, p: f"work calendar: {p.calendar.covers_text}",
}
# The same entries in words that hold in any pack, for docs/rules.md.
_MEANINGS = {
    "event_log": "the event log (its case, step, actor and time columns)",
    "roster": "the roster (role, supervisor, valid from and to)",
    "approvals": "the approvals (case, type, approver, decision and time)",
    "calendar": "the work calendar",
    "expression": "the fields of the judged table that its expression reads",
}
EXPRESSION_OPTION = "expression:"   # "expression:where": the fields the expression in the `where` option reads
TABLE_OPTION = "table:"             # "table:table": the table its `table` option names (the kind's reads() says what of it)


def need_meaning(entry: str) -> str | None:
    """What a NEEDS entry reads, in words; None for an entry explain cannot interpret."""
    if entry.startswith(OPTION) and len(entry) > len(OPTION):
        return f"the field of the judged table named by its `{entry.removeprefix(OPTION)}` option"
    if entry.startswith(EXPRESSION_OPTION) and len(entry) > len(EXPRESSION_OPTION):
        return f"the fields (of the judged table and those it refers to) that its " \
               f"`{entry.removeprefix(EXPRESSION_OPTION)}` expression reads"
    if entry.startswith(TABLE_OPTION) and len(entry) > len(TABLE_OPTION):
        return f"the table named by its `{entry.removeprefix(TABLE_OPTION)}` option, and the fields of it " \
               f"that its other options name"
    return _MEANINGS.get(entry)


def _needs(rule: Rule, project: Project) -> list[str]:
    """The data the rule reads: the judged table with the fields it reads, then what each entry
    of the kind's NEEDS stands for in this data model."""
    fields = sorted(_fields_read(rule, project))
    needs = [_columns(rule.applies_to, *fields) if fields else rule.applies_to]
    module = KINDS[rule.kind]
    sources = [_SOURCES[entry](project.pack.model, project) for entry in module.NEEDS if entry in _SOURCES]
    others = module.reads(rule.spec, project.pack.model, project.pack.params) if hasattr(module, "reads") else []
    return needs + [_columns(table, *sorted(columns)) for table, columns in others
                    if not any(s.startswith(f"{table} (") for s in sources)] \
        + [_with_fields(source, others) for source in sources]


def _with_fields(source: str, others: list[tuple[str, set[str]]]) -> str:
    """A NEEDS source such as "events (deal_id, step, actor_id, at)" with the further fields
    of that table the kind reads (its reads()) added at the end."""
    for table, fields in others:
        if source.startswith(f"{table} ("):
            shown = source[len(table) + 2:-1].split(", ")
            return _columns(table, *shown, *sorted(set(fields) - set(shown)))
    return source


def _fields_read(rule: Rule, project: Project) -> set[str]:
    """Fields of the judged table that the scope, the check's expression and its field options read."""
    needs = KINDS[rule.kind].NEEDS
    expressions = ([rule.when] if rule.when else []) + ([rule.spec] if "expression" in needs else []) \
        + [rule.spec[e.removeprefix(EXPRESSION_OPTION)] for e in needs
           if e.startswith(EXPRESSION_OPTION) and e.removeprefix(EXPRESSION_OPTION) in rule.spec]
    columns = project.pack.model.expr_columns(rule.applies_to)
    read = {c for text in expressions
            for c in compile_expression(text, columns, project.pack.params, None, "boolean").columns}
    return read | {name for entry in needs if entry.startswith(OPTION)
                   for name in option_fields(rule.spec.get(entry.removeprefix(OPTION)))}


def option_fields(value: object) -> set[str]:
    """The field names an option holds: one name, or the names of a mapping ({from, to})."""
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value.values()} if isinstance(value, dict) else set()


def _columns(table: str, *columns: str) -> str:
    return f"{table} ({', '.join(columns)})"

