"""Turning outcome frames into the results document."""
from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from .. import __version__
from ..engine import RuleOutcome, record_keys
from ..kinds._common import NOT_EVALUABLE, PART, PASS, VIOLATION
from ..load.dataset import Mapping
from ..load.keys import NONE, Tables
from ..model import DataModel
from ..policy import Clause, render_text
from ..rules import SEVERITIES, Rule, RulePack
from ..views import roster_positions
from .context import RecordContext, vocabulary
from .messages import fingerprint, messages_for, reason_text
from .timelines import timelines
from .types import NotEvaluable, Results, RuleSummary, Violation
from .values import iso_times, plain, plain_values, texts_of

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
        self.supervisor = tables.codes.get((roster.table, roster.supervisor),
                                           np.full(len(table), NONE, dtype=np.int64))


def build_results(pack: RulePack, outcomes: dict[str, RuleOutcome], tables: Tables, findings: pd.DataFrame,
                  clauses: dict[str, Clause], run: dict, tz: str | None = None,
                  reason_context: dict[str, str] | None = None, mapping: Mapping | None = None) -> Results:
    """reason_context fills the placeholders of not-evaluable reasons (see messages.reason_text);
    the mapping gives the export's own words for tables and columns (context.vocabulary).
    Building a large run's results is many small objects: call it inside collector_paused()."""
    people, context = People(pack.model, tables), RecordContext(pack.model, tables)
    rules, violations, not_evaluable = [], [], []
    for rule in pack.rules:
        outcome = outcomes[rule.id]
        rules.append(_rule_summary(rule, outcome, clauses.get(rule.clause), pack.params))
        violations += _violations(rule, outcome.reported, tables, people, context, tz)
        not_evaluable += _not_evaluable(rule, outcome.reported, tables, pack.model, reason_context or {})
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
        results["timelines"] = timelines(pack.model, tables, tz, cases)
    results["vocabulary"] = vocabulary(pack.model, mapping)
    return results


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
    order = np.argsort(keys, kind="stable")
    return chosen.iloc[order], keys[order]


def _violations(rule: Rule, frame: pd.DataFrame, tables: Tables, people: People, context: RecordContext,
                tz: str | None) -> list[Violation]:
    model = context.model
    bad, keys = _keys_in_order(frame, VIOLATION, tables, model, rule.applies_to)
    if bad.empty:
        return []
    rows = bad.index.to_numpy()
    table = tables[rule.applies_to]
    owner_ids = [None] * len(rows) if not rule.owner else \
        table[rule.owner].iloc[rows].to_numpy(dtype=object, na_value=None).tolist()
    owners = roster_positions(model, tables, rule.applies_to, rule.owner)[rows] if rule.owner \
        else np.full(len(rows), NONE, dtype=np.int64)
    supervisors = np.where(owners != NONE, people.supervisor[np.maximum(owners, 0)], NONE) if len(people.keys) \
        else owners
    details, args = bad["detail"].tolist(), bad["arg"].tolist()
    messages = messages_for(rule, details, args, model)
    evidence = _evidence(bad, model, tz)
    records, cases, regions = context.of(rule.applies_to, _record_positions(bad), owners)
    columns = zip(keys.tolist(), details, args, owner_ids, texts_of(owners, people.names),
                  texts_of(supervisors, people.keys), texts_of(supervisors, people.names), messages, evidence, records)
    # One dict per reported violation: the document's shape, built from whole columns.
    found = [{"fingerprint": fingerprint(rule.id, rule.applies_to, key, detail or "", arg),
              "rule_id": rule.id, "table": rule.applies_to, "key": key, "severity": rule.severity,
              "clause": rule.clause, "status": "open", "owner_id": owner, "owner_name": owner_name,
              "supervisor_id": supervisor, "supervisor_name": supervisor_name, "message": message,
              "evidence": ev, "record": record}
             for key, detail, arg, owner, owner_name, supervisor, supervisor_name, message, ev, record in columns]
    if cases is not None:
        for violation, case in zip(found, cases):
            if case is not None:
                violation["case"] = case
    if regions is not None:
        for violation, region in zip(found, regions):
            violation["region"] = region
    return found


def _record_positions(reported: pd.DataFrame) -> np.ndarray:
    """The row of each reported record in its table; NONE where the finding is about a part of
    a record (an entity's period) or a group, which name no row of their own."""
    rows = reported.index.to_numpy()
    if PART not in reported.columns:
        return rows
    return np.where(reported[PART].isna().to_numpy(), rows, NONE)


def _evidence(bad: pd.DataFrame, model: DataModel, tz: str | None) -> list[dict]:
    """Each violation's evidence; people come named already (engine.people_named)."""
    roles = np.array(list(model.roles), dtype=object)
    names, columns = [], []
    for column in (c for c in bad.columns if c.startswith("ev:")):
        _, kind, name = column.split(":", 2)
        values = bad[column].to_numpy()
        names.append(name)
        columns.append(iso_times(values, tz) if kind == "time" else texts_of(values, roles) if kind == "role"
                       else plain_values(values))
    return [dict(zip(names, row)) for row in zip(*columns)] if columns else [{} for _ in range(len(bad))]


def _not_evaluable(rule: Rule, frame: pd.DataFrame, tables: Tables, model: DataModel,
                   context: dict[str, str]) -> list[NotEvaluable]:
    unknown, keys = _keys_in_order(frame, NOT_EVALUABLE, tables, model, rule.applies_to)
    texts = {code: reason_text(rule, code, context) for code in unknown["reason"].unique()}
    return [{"rule_id": rule.id, "table": rule.applies_to, "key": key, "reason": texts[code]}
            for key, code in zip(keys.tolist(), unknown["reason"].tolist())]
