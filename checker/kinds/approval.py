"""No approval at the level the amount requires before '{before}'.

Authority matrix: for each case in scope where step `before` occurs, an approval of `type`
with the approved decision must exist strictly before the first `before`, given by an
approver who, at approval time, holds a role whose level is at least that of the role the
case's amount requires. Tiers are read in order: the first whose `up_to` is at least the
amount applies (a tier without `up_to` takes every larger amount). A case without an amount
is not evaluable. Activated when `before` occurs.

With `after`, the approval must also come strictly later than the first occurrence of each
listed step (a tie is not later; a step that never occurred leaves no approval that counts).
With `not_by`, an approval does not count when it is given by someone who did one of the
`steps` in the case, or by the person a listed `fields` of the record names (segregation of
duties). A case that only such an approval could fail, but where one of those people is not
known (an event of the step without an actor, an empty field), is not evaluable.

The finding says what was lacking, checked in this order: an approval at the level before
`before` (missing), one of them after the `after` steps (not_after), one of those by someone
allowed (excluded). Its evidence lists the approvals of `type` it looked at, every approved one
of the case in time order: `approvers` (who), `approver_roles` (the role each held then, empty
when the roster does not hold it) and `approved_at` (when), one item per approval.

Options: type (approval type), before (step), amount (numeric field), tiers (params.NAME),
after (steps), not_by ({steps, fields}).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..isotime import iso_times
from ..load.keys import NONE
from ..ordering import time_order
from ..views import NAT
from ..views_people import roster_positions
from ._common import case_outcomes

KIND = "approval"
STEPS = {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True}
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["type", "before", "amount", "tiers"],
    "description": "An approval by a high enough role, by amount tier, precedes a step",
    "properties": {
        "type": {"type": "string", "description": "Approval type, a value of the approvals table's type column"},
        "before": {"type": "string", "description": "The step the approval must precede"},
        "amount": {"type": "string", "description": "Numeric field of the judged table that picks the tier"},
        "tiers": {"type": "string", "pattern": r"^params\.[a-z][a-z0-9_]*$",
                  "description": "params.NAME of the authority matrix: [{up_to: N, role: R}, ..., {role: R}]"},
        "after": {**STEPS, "description": "Steps whose first occurrence the approval must follow"},
        "not_by": {"type": "object", "additionalProperties": False, "minProperties": 1,
                   "description": "Whose approval does not count: who did one of the steps, or whom a field names",
                   "properties": {
                       "steps": {**STEPS, "description": "Steps of the case whose actors may not approve"},
                       "fields": {**STEPS, "description": "Fields of the judged table naming people who may not approve"}}},
    },
}
MESSAGES = {
    "missing": {"zh": "“{before}”前缺少{arg}及以上级别的审批", "en": "no approval by {arg} or above before '{before}'"},
    "not_after": {"zh": "缺少在“{after}”之后、“{before}”之前作出的{arg}及以上级别的审批",
                  "en": "no approval by {arg} or above after '{after}' and before '{before}'"},
    "excluded": {"zh": "{arg}及以上级别的审批均由不得审批本记录的人员作出",
                 "en": "every approval by {arg} or above was given by someone who may not approve this record"},
}
EXAMPLE = """
id: APPR-001
title: {zh: 合同按金额分级审批后方可签订, en: A contract is approved at the level its amount requires before signing}
clause: "3.3.4"
severity: critical
applies_to: deals
check:
  approval: {type: contract, before: contract_signed, amount: amount, tiers: params.contract_approval_tiers,
             after: [contract_reviewed], not_by: {steps: [contract_drafted], fields: [owner_id]}}
tests:
  - name: too low, before the review, by the drafter, and one that counts
    params:
      contract_approval_tiers: [{up_to: 200000, role: sales_supervisor}, {role: sales_manager}]
    data:
      employees:
        - {id: S1, role: sales_supervisor, active_from: "2024-01-01"}
        - {id: M1, role: sales_manager, active_from: "2024-01-01"}
      deals: [{id: D1, amount: 150000, owner_id: R1}, {id: D2, amount: 900000, owner_id: R1},
              {id: D3, amount: 150000, owner_id: R1}, {id: D4, amount: 150000, owner_id: R1}]
      events:
        - {id: A1, deal_id: D1, step: contract_drafted, actor_id: R1, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D1, step: contract_reviewed, actor_id: M1, at: "2025-03-02 10:00"}
        - {id: A3, deal_id: D1, step: contract_signed, at: "2025-03-05 10:00"}
        - {id: A4, deal_id: D2, step: contract_reviewed, actor_id: M1, at: "2025-03-02 10:00"}
        - {id: A5, deal_id: D2, step: contract_signed, at: "2025-03-05 10:00"}
        - {id: A6, deal_id: D3, step: contract_reviewed, actor_id: M1, at: "2025-03-04 11:00"}
        - {id: A7, deal_id: D3, step: contract_signed, at: "2025-03-05 10:00"}
        - {id: A8, deal_id: D4, step: contract_drafted, actor_id: S1, at: "2025-03-01 10:00"}
        - {id: A9, deal_id: D4, step: contract_reviewed, actor_id: M1, at: "2025-03-02 10:00"}
        - {id: A10, deal_id: D4, step: contract_signed, at: "2025-03-05 10:00"}
      approvals:
        - {id: P1, deal_id: D1, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
        - {id: P2, deal_id: D2, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
        - {id: P3, deal_id: D3, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
        - {id: P4, deal_id: D4, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
    expect: [D2, D3, D4]
"""
REASONS = {"no_amount": {"en": "the amount is missing", "zh": "金额缺失"},
           "excluded_unknown": {"en": "the only approvals that count could be by someone who may not approve: "
                                      "an event of a not_by step has no actor, or a not_by field is empty",
                                "zh": "唯一有效的审批可能出自不得审批的人员:不得审批的步骤缺少执行人,或相应字段为空"}}
NEEDS = ("event_log", "roster", "approvals", "option:amount")


def validate(spec: dict, ctx) -> None:
    if not ctx.needs_event_log():
        return
    log = ctx.model.approvals
    if log is None:
        ctx.report(["check", KIND], "this check needs an approvals section in the data model", "no-approvals")
        return
    type_values = ctx.model.tables[log.table].columns[log.type].values
    if type_values and spec["type"] not in type_values:
        ctx.report(["check", KIND, "type"], f"unknown approval type '{spec['type']}'; use one of: "
                                            + ", ".join(type_values), "bad-value")
    ctx.step(["check", KIND, "before"], spec["before"])
    if ctx.column(["check", KIND, "amount"], spec["amount"]):
        if ctx.model.tables[ctx.rule.applies_to].columns[spec["amount"]].type not in ("number", "integer"):
            ctx.report(["check", KIND, "amount"], f"'{spec['amount']}' is not a number field", "bad-type")
    _validate_tiers(ctx.param(["check", KIND, "tiers"], spec["tiers"].removeprefix("params.")), ctx)
    for i, step in enumerate(spec.get("after", [])):
        ctx.step(["check", KIND, "after", i], step)
    _validate_not_by(spec.get("not_by", {}), ctx)


def _validate_tiers(tiers: object, ctx) -> None:
    path = ["check", KIND, "tiers"]
    if tiers is None:
        return
    if not (isinstance(tiers, list) and tiers and all(isinstance(t, dict) and "role" in t for t in tiers)):
        ctx.report(path, "the tiers param must be a list of {up_to, role} entries", "bad-param")
        return
    for tier in tiers:
        ctx.role(path, tier["role"])
    bounds = [t["up_to"] for t in tiers if "up_to" in t]
    if bounds != sorted(bounds) or "up_to" in tiers[-1] or len(bounds) != len(tiers) - 1:
        ctx.report(path, "tiers must rise by up_to and end with one tier without up_to", "bad-param")


def _validate_not_by(not_by: dict, ctx) -> None:
    for i, step in enumerate(not_by.get("steps", [])):
        ctx.step(["check", KIND, "not_by", "steps", i], step)
    roster = ctx.model.roster.table if ctx.model.roster else None
    for i, field in enumerate(not_by.get("fields", [])):
        path = ["check", KIND, "not_by", "fields", i]
        if ctx.column(path, field) and ctx.model.tables[ctx.rule.applies_to].columns[field].references != roster:
            ctx.report(path, f"'{field}' does not name a person: not_by fields must reference {roster}", "bad-type")


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    views = ctx.views
    tiers = ctx.params[spec["tiers"].removeprefix("params.")]
    levels = np.array([int(r.get("level", 0)) for r in ctx.model.roles.values()] + [-1], dtype=np.int64)
    before = views.stats(spec["before"]).first
    amount = pd.to_numeric(ctx.tables[ctx.rule.applies_to][spec["amount"]], errors="coerce")
    amount = amount.to_numpy(dtype=np.float64, na_value=np.nan)
    need_role = _required_role(amount, tiers, views)
    need_level = np.where(need_role != NONE, levels[need_role], np.iinfo("int64").max)
    sign_off = views.approvals_of(spec["type"])
    level = levels[views.role_at(sign_off.actor, sign_off.time)]      # NONE picks the -1 level
    deadline = before[sign_off.case]
    at_level = (sign_off.time < deadline) & (deadline != NAT) & (level >= need_level[sign_off.case])
    in_turn = at_level & _after_steps(spec.get("after", []), sign_off, views)
    excluded, unknown = _excluded(spec.get("not_by", {}), sign_off, ctx)
    counted = [_cases(views.cases, sign_off.case[ok])[scope] for ok in (at_level, in_turn, in_turn & ~excluded)]
    activated = before[scope] != NAT
    detail = np.where(~counted[0], "missing", np.where(~counted[1], "not_after", "excluded"))
    names = np.array(list(ctx.model.roles) + [None], dtype=object)
    required = names[need_role[scope]]
    evidence = {"amount": ("value", amount[scope]), "required_role": ("value", required),
                f"{spec['before']}.first_at": ("time", before[scope])}
    evidence.update({f"{step}.first_at": ("time", views.stats(step).first[scope]) for step in spec.get("after", [])})
    evidence.update(_looked_at(sign_off, scope[activated & ~counted[2]], scope, ctx))
    reason = np.where(np.isnan(amount[scope]), "no_amount", "excluded_unknown")
    # An unreadable event could be an earlier `before`, so the case is judged like every event-log kind.
    return case_outcomes(scope, ctx, activated, activated & ~counted[2], detail, required, evidence,
                         also_unusable=activated & (np.isnan(amount[scope]) | (counted[2] & unknown[scope])),
                         also_reason=reason)


def _looked_at(sign_off, shown: np.ndarray, scope: np.ndarray, ctx) -> dict[str, tuple[str, np.ndarray]]:
    """Per record of scope, the approvals considered (approver, role then, time), as lists in
    time order (then by approval key), for the `shown` cases only (None elsewhere)."""
    views, log = ctx.views, ctx.model.approvals
    mine = np.flatnonzero(np.isin(sign_off.case, shown))
    order = mine[time_order(sign_off.case[mine], sign_off.time[mine],
                            ctx.tables[log.table][ctx.model.tables[log.table].key], sign_off.row[mine])]
    case, actor, at = sign_off.case[order], sign_off.actor[order], sign_off.time[order]
    roles = np.array(list(ctx.model.roles) + [None], dtype=object)
    columns = {"approvers": views.person_keys(actor), "approver_roles": roles[views.role_at(actor, at)],
               "approved_at": np.array(iso_times(at, ctx.tz), dtype=object)}
    place = np.full(views.cases, -1, dtype=np.int64)
    place[scope] = np.arange(len(scope))
    bounds = list(zip(np.searchsorted(case, shown, side="left").tolist(),
                      np.searchsorted(case, shown, side="right").tolist()))
    out = {}
    for name, values in columns.items():
        lists = np.full(len(scope), None, dtype=object)
        flat = values.tolist()
        lists[place[shown]] = [flat[a:b] for a, b in bounds]
        out[name] = ("value", lists)
    return out


def _required_role(amount: np.ndarray, tiers: list[dict], views) -> np.ndarray:
    """Role code of the first tier whose up_to covers each amount (NONE without an amount)."""
    conditions = [amount <= t["up_to"] if "up_to" in t else ~np.isnan(amount) for t in tiers]
    return np.select(conditions, views.role_codes([t["role"] for t in tiers]), default=NONE)


def _cases(n: int, cases: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[cases] = True
    return out


def _after_steps(steps: list[str], sign_off, views) -> np.ndarray:
    """Per approval: later than the first occurrence of every step in `steps`."""
    ok = np.ones(len(sign_off.case), dtype=bool)
    for step in steps:
        first = views.stats(step).first[sign_off.case]
        ok &= (first != NAT) & (first < sign_off.time)
    return ok


def _excluded(not_by: dict, sign_off, ctx) -> tuple[np.ndarray, np.ndarray]:
    """Per approval, whether its approver may not approve the case; per case, whether one of
    the people who may not is unknown."""
    views = ctx.views
    excluded = np.zeros(len(sign_off.case), dtype=bool)
    unknown = np.zeros(views.cases, dtype=bool)
    for field in not_by.get("fields", []):
        person = roster_positions(ctx.model, ctx.tables, ctx.rule.applies_to, field)
        excluded |= (person[sign_off.case] == sign_off.actor) & (sign_off.actor != NONE)
        unknown |= person == NONE
    if not_by.get("steps"):
        done = [views.events(step) for step in not_by["steps"]]
        case = np.concatenate([occ.case for occ in done])
        actor = np.concatenate([occ.actor for occ in done])
        unknown[case[actor == NONE]] = True
        excluded |= _pairs_in(sign_off.case, sign_off.actor, case[actor != NONE], actor[actor != NONE])
    return excluded, unknown


def _pairs_in(case: np.ndarray, person: np.ndarray, in_case: np.ndarray, in_person: np.ndarray) -> np.ndarray:
    """For each (case, person), whether the same pair is among the (in_case, in_person) pairs:
    each pair is one integer, looked up by binary search in the sorted others."""
    people = int(max(person.max(initial=0), in_person.max(initial=0))) + 1
    known = np.sort(in_case * people + in_person)
    pairs = case * people + person
    at = np.minimum(np.searchsorted(known, pairs), max(len(known) - 1, 0))
    return (known[at] == pairs) & (person != NONE) if len(known) else np.zeros(len(pairs), dtype=bool)
