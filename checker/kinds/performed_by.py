"""'{step}' was done by someone without the required role.

For each case in scope, every event of `step` is done by an actor who, at the event time,
holds one of `roles` in the roster (a role is held from valid_from to the end of valid_to;
an empty valid_to means still held). An actor who had left, or had not yet joined, does not
hold a role. Events without an actor, or whose actor is not in the roster, make the case
not evaluable. Activated when the step occurs.

Options: step (step), roles (list of roles).
"""
from __future__ import annotations

import pandas as pd

from ._common import case_outcomes

KIND = "performed_by"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["step", "roles"],
    "description": "Every event of the step is done by someone holding one of the roles at that time",
    "properties": {"step": {"type": "string", "description": "The step to check"},
                   "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True,
                             "description": "Roles allowed to perform it"}},
}
MESSAGES = {"wrong_role": {"zh": "“{step}”的执行人当时不具备所需岗位({roles})",
                           "en": "'{step}' was done by someone who did not hold a required role ({roles}) at the time"}}
EXAMPLE = """
id: ROLE-001
title: {zh: 合同由销售部人员起草, en: Contracts are drafted by sales staff}
clause: "3.3.1"
severity: medium
applies_to: deals
check:
  performed_by: {step: contract_drafted, roles: [sales_rep, sales_supervisor, sales_manager]}
tests:
  - name: drafted by legal, and by a rep after leaving
    data:
      employees:
        - {id: E1, role: sales_rep, active_from: "2024-01-01"}
        - {id: E2, role: legal_counsel, active_from: "2024-01-01"}
        - {id: E3, role: sales_rep, active_from: "2024-01-01", active_to: "2025-02-28"}
      deals: [{id: D1}, {id: D2}, {id: D3}]
      events:
        - {id: A1, deal_id: D1, step: contract_drafted, actor_id: E1, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D2, step: contract_drafted, actor_id: E2, at: "2025-03-01 10:00"}
        - {id: A3, deal_id: D3, step: contract_drafted, actor_id: E3, at: "2025-03-01 10:00"}
    expect: [D2, D3]
"""
REASON = "an event of the step has no actor, or an actor missing from the roster"


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        ctx.step(["check", KIND, "step"], spec["step"])
        for i, role in enumerate(spec["roles"]):
            ctx.role(["check", KIND, "roles", i], role)


def evaluate(spec: dict, keys: pd.Index, ctx) -> pd.DataFrame:
    events = ctx.views.occurrences(spec["step"])
    events = events[events["case"].isin(keys)]
    role = ctx.views.role_at(events["actor"], events["time"])
    unknown = events["actor"].isna() | ~events["actor"].isin(ctx.views.roster.index)
    wrong = ~unknown & ~role.isin(spec["roles"])
    bad = events.assign(role=role)[wrong].sort_values(["case", "time"]).groupby("case", observed=True).first()
    return case_outcomes(keys, ctx, pd.Series(True, index=pd.Index(events["case"].unique())),
                         pd.Series(True, index=bad.index), "wrong_role:" + bad["actor"].astype(str),
                         {"actor": bad["actor"], "role_at_time": bad["role"], f"{spec['step']}.at": bad["time"]},
                         also_unusable=pd.Series(True, index=pd.Index(events.loc[unknown, "case"].unique())),
                         also_reason=REASON)
