"""No approval at the level the amount requires before '{before}'.

Authority matrix: for each case in scope where step `before` occurs, an approval of `type`
with the approved decision must exist strictly before the first `before`, given by an
approver who, at approval time, holds a role whose level is at least that of the role the
case's amount requires. Tiers are read in order: the first whose `up_to` is at least the
amount applies (a tier without `up_to` takes every larger amount). A case without an amount
is not evaluable. Activated when `before` occurs.

Options: type (approval type), before (step), amount (numeric field), tiers (params.NAME).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.keys import NONE
from ..views import NAT
from ._common import case_outcomes

KIND = "approval"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["type", "before", "amount", "tiers"],
    "description": "An approval by a high enough role, by amount tier, precedes a step",
    "properties": {
        "type": {"type": "string", "description": "Approval type, a value of the approvals table's type column"},
        "before": {"type": "string", "description": "The step the approval must precede"},
        "amount": {"type": "string", "description": "Numeric field of the judged table that picks the tier"},
        "tiers": {"type": "string", "pattern": r"^params\.[a-z][a-z0-9_]*$",
                  "description": "params.NAME of the authority matrix: [{up_to: N, role: R}, ..., {role: R}]"},
    },
}
MESSAGES = {"missing": {"zh": "“{before}”前缺少{arg}及以上级别的审批", "en": "no approval by {arg} or above before '{before}'"}}
EXAMPLE = """
id: APPR-001
title: {zh: 合同按金额分级审批后方可签订, en: A contract is approved at the level its amount requires before signing}
clause: "3.3.4"
severity: critical
applies_to: deals
check:
  approval: {type: contract, before: contract_signed, amount: amount, tiers: params.contract_approval_tiers}
tests:
  - name: big deal approved by a supervisor
    params:
      contract_approval_tiers: [{up_to: 200000, role: sales_supervisor}, {role: sales_manager}]
    data:
      employees:
        - {id: S1, role: sales_supervisor, active_from: "2024-01-01"}
        - {id: M1, role: sales_manager, active_from: "2024-01-01"}
      deals: [{id: D1, amount: 150000}, {id: D2, amount: 900000}, {id: D3, amount: 900000}]
      events:
        - {id: A1, deal_id: D1, step: contract_signed, at: "2025-03-05 10:00"}
        - {id: A2, deal_id: D2, step: contract_signed, at: "2025-03-05 10:00"}
        - {id: A3, deal_id: D3, step: contract_signed, at: "2025-03-05 10:00"}
      approvals:
        - {id: P1, deal_id: D1, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
        - {id: P2, deal_id: D2, type: contract, approver_id: S1, decision: approved, at: "2025-03-04 10:00"}
        - {id: P3, deal_id: D3, type: contract, approver_id: M1, decision: approved, at: "2025-03-04 10:00"}
    expect: [D2]
"""
REASONS = {"no_amount": {"en": "the amount is missing", "zh": "金额缺失"}}
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
    ok = (sign_off.time < before[sign_off.case]) & (before[sign_off.case] != NAT) & (level >= need_level[sign_off.case])
    approved = np.zeros(views.cases, dtype=bool)
    approved[sign_off.case[ok]] = True
    activated = before[scope] != NAT
    names = np.array(list(ctx.model.roles) + [None], dtype=object)
    required = names[need_role[scope]]
    # An unreadable event could be an earlier `before`, so the case is judged like every event-log kind.
    return case_outcomes(scope, ctx, activated, activated & ~approved[scope], "missing", required,
                         {"amount": ("value", amount[scope]), "required_role": ("value", required),
                          f"{spec['before']}.first_at": ("time", before[scope])},
                         also_unusable=activated & np.isnan(amount[scope]), also_reason="no_amount")


def _required_role(amount: np.ndarray, tiers: list[dict], views) -> np.ndarray:
    """Role code of the first tier whose up_to covers each amount (NONE without an amount)."""
    conditions = [amount <= t["up_to"] if "up_to" in t else ~np.isnan(amount) for t in tiers]
    return np.select(conditions, views.role_codes([t["role"] for t in tiers]), default=NONE)
