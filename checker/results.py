"""Turning outcome frames into the results document (results.json's contract)."""
from __future__ import annotations

import hashlib
import math
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .kinds import KINDS
from .kinds._common import NOT_EVALUABLE, PASS, VIOLATION
from .model import DataModel
from .policy import Clause, render_text
from .rules import SEVERITIES, Rule, RulePack

SCHEMA_VERSION = 1


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_results(pack: RulePack, outcomes: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame],
                  findings: pd.DataFrame, clauses: dict[str, Clause], run: dict) -> dict:
    roster = _roster_names(pack.model, tables)
    rules, violations, not_evaluable = [], [], []
    for rule in pack.rules:
        frame = outcomes[rule.id]
        rules.append(_rule_summary(rule, frame, clauses.get(rule.clause), pack.params))
        violations += _violations(rule, frame, tables, roster, pack.model)
        not_evaluable += _not_evaluable(rule, frame)
    dq = [_jsonable_row(r) for r in findings.sort_values(["file", "row", "column", "kind"], kind="stable")
          .to_dict("records")]
    by_severity = {s: 0 for s in reversed(SEVERITIES)}
    for v in violations:
        by_severity[v["severity"]] += 1
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {"tool_version": __version__, **run,
                "records": {name: int(len(t)) for name, t in sorted(tables.items())}},
        "summary": {"rules": len(rules), "violations": len(violations), "by_severity": by_severity,
                    "not_evaluable": len(not_evaluable), "data_quality": len(dq), "waived": 0},
        "rules": rules,
        "violations": violations,
        "not_evaluable": not_evaluable,
        "data_quality": dq,
        "waived": [],
        "resolved": [],
    }


def _rule_summary(rule: Rule, frame: pd.DataFrame, clause: Clause | None, params: dict) -> dict:
    counts = frame["outcome"].value_counts()
    passed, failed, unknown = (int(counts.get(k, 0)) for k in (PASS, VIOLATION, NOT_EVALUABLE))
    decided = passed + failed
    return {
        "id": rule.id, "title": rule.title, "severity": rule.severity, "clause": rule.clause,
        "clause_title": clause.title if clause else None,
        "clause_text": {lang: render_text(clause, params, lang) for lang in ("zh", "en")} if clause else None,
        "kind": rule.kind, "applies_to": rule.applies_to, "file": rule.file,
        "in_scope": int(len(frame)), "activated": int(frame["activated"].sum()),
        "passed": passed, "violations": failed, "not_evaluable": unknown,
        "compliance_rate": round(passed / decided, 4) if decided else None,
        "remediation": rule.remediation,
    }


def _violations(rule: Rule, frame: pd.DataFrame, tables: dict, roster: pd.DataFrame, model: DataModel) -> list[dict]:
    bad = frame[frame["outcome"] == VIOLATION]
    if bad.empty:
        return []
    owners = _owners(rule, bad.index, tables)
    evidence_cols = [c for c in bad.columns if c.startswith("ev:")]
    out = []
    # One dict per violation for the report: output formatting, not rule evaluation.
    for key, row, owner in zip(bad.index, bad.itertuples(index=False), owners):
        detail = str(getattr(row, "detail") or "")
        supervisor = roster["supervisor"].get(owner) if owner else None
        out.append({
            "fingerprint": fingerprint(rule.id, rule.applies_to, key, detail),
            "rule_id": rule.id, "table": rule.applies_to, "key": str(key), "severity": rule.severity,
            "clause": rule.clause, "status": "open",
            "owner_id": owner, "owner_name": _name(roster, owner),
            "supervisor_id": _plain(supervisor), "supervisor_name": _name(roster, supervisor),
            "message": rule.message or message_for(rule, detail, model),
            "evidence": {c[3:]: _plain(v) for c, v in zip(evidence_cols, [bad.at[key, c] for c in evidence_cols])},
        })
    return sorted(out, key=lambda v: (v["rule_id"], v["key"]))


def _not_evaluable(rule: Rule, frame: pd.DataFrame) -> list[dict]:
    unknown = frame[frame["outcome"] == NOT_EVALUABLE]
    return [{"rule_id": rule.id, "table": rule.applies_to, "key": str(k), "reason": {"en": str(r), "zh": _zh_reason(str(r))}}
            for k, r in sorted(zip(unknown.index.astype(str), unknown["reason"]))]


def _zh_reason(reason: str) -> str:
    return {"the scope condition reads an empty field": "适用条件所需字段为空",
            "the amount is missing": "金额缺失",
            "a field the condition reads is empty": "条件所需字段为空"}.get(
        reason, "该记录的数据缺失或无法读取:" + reason)


def fingerprint(rule_id: str, table: str, key: str, detail: str) -> str:
    return hashlib.sha256(f"{rule_id}\x1f{table}\x1f{key}\x1f{detail}".encode()).hexdigest()[:16]


def message_for(rule: Rule, detail: str, model: DataModel) -> dict:
    code, _, arg = detail.partition(":")
    templates = KINDS[rule.kind].MESSAGES
    template = templates.get(code) or next(iter(templates.values()))
    spec = rule.spec if isinstance(rule.spec, dict) else {rule.kind: rule.spec}
    out = {}
    for lang in ("zh", "en"):
        fields = {k: _label(v, model, lang) for k, v in spec.items()}
        out[lang] = template[lang].format_map(_Default(fields, arg=_label(arg.split(","), model, lang) if arg else ""))
    return out


class _Default(dict):
    def __init__(self, fields: dict, arg: str):
        super().__init__(fields, arg=arg)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _label(value: object, model: DataModel, lang: str) -> str:
    if isinstance(value, list):
        return "、".join(_label(v, model, lang) for v in value) if lang == "zh" else ", ".join(
            _label(v, model, lang) for v in value)
    text = str(value)
    if lang == "zh":
        return model.steps.get(text, {}).get("zh") or model.roles.get(text, {}).get("zh") or text
    return text


def _owners(rule: Rule, keys: pd.Index, tables: dict) -> list[str | None]:
    if not rule.owner:
        return [None] * len(keys)
    return [_plain(v) for v in tables[rule.applies_to][rule.owner].reindex(keys).astype(object)]


def _roster_names(model: DataModel, tables: dict) -> pd.DataFrame:
    if not model.roster:
        return pd.DataFrame(columns=["name", "supervisor"])
    table = tables[model.roster.table]
    names = table["name"] if "name" in table.columns else pd.Series(None, index=table.index)
    return pd.DataFrame({"name": names.astype(object), "supervisor": table[model.roster.supervisor].astype(object)})


def _name(roster: pd.DataFrame, person: object) -> str | None:
    return _plain(roster["name"].get(person)) if person is not None else None


def _jsonable_row(row: dict) -> dict:
    return {k: _plain(v) for k, v in row.items()}


def _plain(value: object) -> object:
    """A JSON-safe plain value: times as ISO text, NaN/NA as null, numpy scalars as Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return str(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else (int(value) if float(value).is_integer() else float(value))
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    return value if isinstance(value, (int, str, list, dict)) else str(value)
