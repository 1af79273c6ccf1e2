"""Turning outcome frames into the results document."""
from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from .. import __version__
from ..engine import RuleOutcome, record_keys
from ..ordering import key_order
from ..isotime import iso_times
from ..kinds import KINDS
from ..kinds._common import NOT_EVALUABLE, PART, PASS, VIOLATION
from ..load.dataset import Mapping
from ..load.findings import combine
from ..load.keys import NONE, Tables
from ..model import DataModel
from ..policy import Clause, render_text
from ..rules import SEVERITIES, Rule, RulePack
from ..views_people import roster_positions
from .columns import Blocks, NotEvaluableBlock, ViolationBlock
from .context import RecordContext, keys_at, vocabulary
from .messages import fingerprints, messages_for, reason_text
from .timelines import Timelines, timelines
from .types import Results, RuleSummary
from .values import plain, plain_values, texts_of

SCHEMA_VERSION = 1


@contextmanager
def collector_paused() -> Iterator[None]:
    """Results are hundreds of thousands of small dicts and lists without cycles: the cyclic
    garbage collector, triggered again and again while they are made, would only walk them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class People:
    """The roster as results show it: keys, names and each person's supervisor."""

    def __init__(self, model: DataModel, tables: Tables):
        roster = model.roster
        if roster is None:
            self.keys = self.names = np.zeros(0, dtype=object)
            self.supervisor = np.zeros(0, dtype=np.int64)
            return
        table = tables[roster.table]
        self.keys = table[model.tables[roster.table].key].to_numpy(dtype=object)
        names = table["name"] if "name" in table.columns else pd.Series(None, index=table.index, dtype=object)
        self.names = names.to_numpy(dtype=object, na_value=None)
        self.supervisor = tables.code(roster.table, roster.supervisor, len(table))


def build_results(pack: RulePack, outcomes: dict[str, RuleOutcome], tables: Tables, findings: pd.DataFrame,
                  clauses: dict[str, Clause], run: dict, tz: str | None = None,
                  reason_context: dict[str, str] | None = None, mapping: Mapping | None = None,
                  time_lines: Callable[[list], Timelines | dict] | None = None) -> Results:
    """reason_context fills the placeholders of not-evaluable reasons (see messages.reason_text);
    the mapping gives the export's own words for tables and columns (context.vocabulary);
    time_lines gives the time lines of cases by their keys when the tables do not hold the
    cases' events (the dask engine's, built where the events are).
    Building a large run's results is many small objects: call it inside collector_paused()."""
    people, context = People(pack.model, tables), RecordContext(pack.model, tables)
    rules, violation_blocks, unknown_blocks = [], [], []
    for rule in pack.rules:
        outcome = outcomes[rule.id]
        rules.append(_rule_summary(rule, outcome, clauses.get(rule.clause), pack.params))
        violation_blocks.append(_violations(rule, outcome.reported, tables, people, context, tz))
        unknown_blocks.append(_not_evaluable(rule, outcome.reported, tables, pack.model, reason_context or {}))
    violations, not_evaluable = Blocks(violation_blocks), Blocks(unknown_blocks)
    findings = _with_kind_findings(findings, pack, outcomes, tables, mapping)
    dq = [{k: plain(v) for k, v in r.items()} for r in
          findings.sort_values(["file", "row", "column", "kind"], kind="stable").to_dict("records")]
    by_severity = {s: 0 for s in reversed(SEVERITIES)}
    for summary in rules:
        by_severity[summary["severity"]] += summary["violations"]
    results: Results = {
        "schema_version": SCHEMA_VERSION,
        "run": {"tool_version": __version__, **run,
                "records": {name: int(len(tables[name])) for name in sorted(tables)}},
        "summary": {"rules": len(rules), "violations": len(violations), "by_severity": by_severity,
                    "not_evaluable": len(not_evaluable), "data_quality": len(dq), "waived": 0},
        "rules": rules,
        "violations": violations,
        "not_evaluable": not_evaluable,
        "data_quality": dq,
        "waived": [],
        "resolved": [],
    }
    cases = context.case_positions()
    if len(cases):
        results["timelines"] = timelines(pack.model, tables, tz, cases) if time_lines is None else \
            time_lines(keys_at(tables, pack.model, pack.model.case_table(), cases))
    results["vocabulary"] = vocabulary(pack.model, mapping)
    return results


def _with_kind_findings(findings: pd.DataFrame, pack: RulePack, outcomes: dict[str, RuleOutcome], tables: Tables,
                        mapping: Mapping | None) -> pd.DataFrame:
    """The load's findings and those only a kind sees in its records (a kind's optional findings()),
    each cell once however many rules found it."""
    source_of = mapping.source_of if mapping else lambda table, column: (table, column)
    found = [KINDS[r.kind].findings(r.spec, outcomes[r.id].reported, r.applies_to, tables, source_of)
             for r in pack.rules if hasattr(KINDS[r.kind], "findings")]
    return combine([findings, *(f for f in found if f is not None)]).drop_duplicates(["kind", "file", "row", "column"])


def _rule_summary(rule: Rule, outcome: RuleOutcome, clause: Clause | None, params: dict) -> RuleSummary:
    passed, failed, unknown = (outcome.counts[k] for k in (PASS, VIOLATION, NOT_EVALUABLE))
    decided = passed + failed
    tolerated = failed if outcome.met else 0
    return {
        "id": rule.id, "title": rule.title, "severity": rule.severity, "clause": rule.clause,
        "clause_title": clause.title if clause else None,
        "clause_text": {lang: render_text(clause, params, lang) for lang in clause.text} if clause else None,
        "clauses": list(rule.clauses),
        # A finding that rests on drafted, unadopted text reads as a proposal, not a breach of policy in force.
        "clause_source": clause.source if clause else None, "clause_status": clause.status if clause else None,
        "kind": rule.kind, "applies_to": rule.applies_to, "file": rule.file,
        "in_scope": outcome.in_scope, "activated": outcome.activated,
        "passed": passed, "violations": failed - tolerated, "not_evaluable": unknown,
        "compliance_rate": round(passed / decided, 4) if decided else None,
        # A rule with a tolerance is met or failed as a whole; records failing a met rule are tolerated.
        "tolerance": outcome.tolerance, "met": outcome.met, "tolerated": tolerated,
        "remediation": rule.remediation,
    }


def _keys_in_order(frame: pd.DataFrame, outcome: str, tables: Tables, model: DataModel,
                   table: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame's rows of one outcome, sorted by record key, and those keys."""
    chosen = frame[(frame["outcome"] == outcome).to_numpy()]
    keys = record_keys(chosen, tables, model, table)
    order = key_order(keys)
    return chosen.iloc[order], keys[order]


def _violations(rule: Rule, frame: pd.DataFrame, tables: Tables, people: People, context: RecordContext,
                tz: str | None) -> ViolationBlock:
    model = context.model
    bad, keys = _keys_in_order(frame, VIOLATION, tables, model, rule.applies_to)
    rows = bad.index.to_numpy()
    table = tables[rule.applies_to]
    owner_ids = [None] * len(rows) if not rule.owner else \
        table[rule.owner].iloc[rows].to_numpy(dtype=object, na_value=None).tolist()
    owners = roster_positions(model, tables, rule.applies_to, rule.owner)[rows] if rule.owner \
        else np.full(len(rows), NONE, dtype=np.int64)
    supervisors = np.where(owners != NONE, people.supervisor[np.maximum(owners, 0)], NONE) if len(people.keys) \
        else owners
    details, args, key_list = bad["detail"].tolist(), bad["arg"].tolist(), keys.tolist()
    messages, message_codes = messages_for(rule, details, args, model)
    fields, names, cases, regions = context.of(rule.applies_to, _record_positions(bad), owners)
    columns = {
        "fingerprint": fingerprints(rule.id, rule.applies_to, key_list, [d or "" for d in details], args),
        "key": key_list, "status": ["open"] * len(rows), "owner_id": owner_ids,
        "owner_name": texts_of(owners, people.names), "supervisor_id": texts_of(supervisors, people.keys),
        "supervisor_name": texts_of(supervisors, people.names)}
    return ViolationBlock(_block_rule(rule), columns, messages, message_codes, _evidence(bad, model, tz),
                          fields, names, cases, regions)


def _block_rule(rule: Rule) -> dict[str, str]:
    return {"rule_id": rule.id, "table": rule.applies_to, "severity": rule.severity, "clause": rule.clause}


def _record_positions(reported: pd.DataFrame) -> np.ndarray:
    """The row of each reported record in its table; NONE where the finding is about a part of
    a record (an entity's period) or a group, which name no row of their own."""
    rows = reported.index.to_numpy()
    if PART not in reported.columns:
        return rows
    return np.where(reported[PART].isna().to_numpy(), rows, NONE)


def _evidence(bad: pd.DataFrame, model: DataModel, tz: str | None) -> dict[str, list]:
    """The violations' evidence by name; people come named already (engine.people_named)."""
    roles = np.array(list(model.roles), dtype=object)
    evidence = {}
    for column in (c for c in bad.columns if c.startswith("ev:")):
        _, kind, name = column.split(":", 2)
        values = bad[column].to_numpy()
        evidence[name] = iso_times(values, tz) if kind == "time" else texts_of(values, roles) if kind == "role" \
            else plain_values(values)
    return evidence


def _not_evaluable(rule: Rule, frame: pd.DataFrame, tables: Tables, model: DataModel,
                   context: dict[str, str]) -> NotEvaluableBlock:
    unknown, keys = _keys_in_order(frame, NOT_EVALUABLE, tables, model, rule.applies_to)
    codes, distinct = pd.factorize(unknown["reason"], sort=False)
    return NotEvaluableBlock(_block_rule(rule), keys.tolist(),
                             [reason_text(rule, code, context) for code in distinct.tolist()], codes.astype(np.int64))
