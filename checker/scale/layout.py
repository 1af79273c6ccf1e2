"""Which tables are split by case, and which rules can be judged one partition at a time.

The case table (the event log's cases: deals) is split by a hash of each case's code. A table
with exactly one foreign key into it (events, approvals, complaints) is co-partitioned: each of
its records goes with its case, so a case's whole history is in one partition. Every other
table (roster, customers, plans, ...) is small beside them and is sent whole to every worker.

A rule is judged by partition when its records are cases or the records of a co-partitioned
table and its kind reads nothing beyond the case: a kind whose records are groups over every
record (TAKES_UNDECIDED) or that reads another table its settings name (a `table:` need), and
a kind on a co-partitioned table that reads the event log or the approvals (keyed by another
entity than the case), are judged on the whole data in the client."""
from __future__ import annotations

from dataclasses import dataclass

from ..expr import compile_expression
from ..kinds import KINDS
from ..load.keys import Tables
from ..model import DataModel
from ..rules import Rule

# What a kind on a co-partitioned table would read by another key than its records' case.
_CASE_VIEWS = frozenset({"event_log", "approvals"})


@dataclass(frozen=True)
class Layout:
    """The split of a dataset by case: the case table, and per co-partitioned table the
    foreign key that names its case. Tables in neither are broadcast."""

    case_table: str | None
    members: dict[str, str]
    references: dict[tuple[str, str], str]    # the table each foreign key points into

    @property
    def split(self) -> tuple[str, ...]:
        """Every table whose records are divided among the partitions."""
        return () if self.case_table is None else (self.case_table, *sorted(self.members))

    def by_case(self, rule: Rule) -> bool:
        """Whether the rule's outcome is the union of its outcomes on each partition."""
        kind = KINDS[rule.kind]
        if getattr(kind, "TAKES_UNDECIDED", False) or any(need.startswith("table:") for need in kind.NEEDS):
            return False
        if rule.applies_to == self.case_table:
            return True
        return rule.applies_to in self.members and not _CASE_VIEWS & _views_read(rule)

    def entity_key(self, rule: Rule, model: DataModel, params: dict) -> str | None:
        """The event log's column naming the rule's records (its `via:`), when each record's
        outcome depends on the events naming it alone (the records are not split, and the
        events' condition reads no other table): such a rule is judged on shards of its
        records, each with the events naming them."""
        log, via = model.event_log, _options(rule).get("via")
        if log is None or not isinstance(via, str) or rule.applies_to in self.split \
                or self.references.get((log.table, via)) != rule.applies_to:
            return None
        if "where" in _options(rule):
            read = compile_expression(rule.spec["where"], model.expr_columns(log.table), params, None, "boolean").columns
            if any("." in column for column in read):
                return None
        return via

    def on_whole_tables(self, rule: Rule) -> bool:
        """Whether the rule reads only tables sent whole, so that any one partition holds all it
        reads (its records, the table its settings name, the roster)."""
        kind = KINDS[rule.kind]
        named = [_options(rule).get(need.partition(":")[2]) for need in kind.NEEDS if need.startswith("table:")]
        return rule.applies_to not in self.split and not _CASE_VIEWS & _views_read(rule) \
            and not set(named) & set(self.split)


def _views_read(rule: Rule) -> set[str]:
    """The shared views the rule's kind reads: a check on each record's own fields (`of:
    fields`, a response between two times of the record) reads no event log."""
    needs = set(KINDS[rule.kind].NEEDS)
    return needs - {"event_log"} if _options(rule).get("of") == "fields" else needs


def _options(rule: Rule) -> dict:
    """A check's options (an assertion's setting is its expression, no options)."""
    return rule.spec if isinstance(rule.spec, dict) else {}


def case_layout(model: DataModel, tables: Tables) -> Layout:
    """The layout of the dataset's tables; no split at all when the model has no cases or the
    case table refers to itself or to a table linked to it (a case would then reach into
    another partition)."""
    case = model.case_table()
    references = {(name, column.name): column.references for name, spec in model.tables.items()
                  for column in spec.columns.values() if column.references}
    if case is None or case not in tables:
        return Layout(None, {}, references)
    into_case = {name: [column.name for column in spec.columns.values() if column.references == case]
                 for name, spec in model.tables.items() if name != case and name in tables}
    members = {name: columns[0] for name, columns in into_case.items() if len(columns) == 1}
    # A member that another member (or the case table) points into would be reached across
    # partitions: it is broadcast instead, and so on until no such link is left.
    while True:
        reached = {column.references for name in (case, *members) for column in model.tables[name].columns.values()
                   if column.references in members and not (name in members and column.name == members[name])}
        if not reached:
            break
        members = {name: column for name, column in members.items() if name not in reached}
    if any(column.references == case for column in model.tables[case].columns.values()):
        return Layout(None, {}, references)
    return Layout(case, members, references)
