"""'{step}' was done by someone without the required role.

For each case in scope, every event of `step` is done by an actor who, at the event time,
holds one of `roles` in the roster (a role is held from valid_from to the end of valid_to;
an empty valid_to means still held). An actor who had left, or had not yet joined, does not
hold a role. Activated when the step occurs.

On partial data: an event without an actor, or whose actor is not in the roster, makes the
case not evaluable unless another event of the step was done by someone in the roster
without the role (the case is then a violation, whoever did the other).

Options: step (step), roles (list of roles).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.keys import NONE
from ..ordering import run_starts
from ._common import case_outcomes, scatter

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
title: {zh: 合同由具备相应岗位的人员起草, en: Contracts are drafted by someone holding an allowed role}
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
REASONS = {"no_actor": {"en": "an event of the step has no actor, or an actor missing from the roster",
                        "zh": "该步骤的某条活动缺少执行人,或执行人不在花名册中"}}
NEEDS = ("event_log", "roster")


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        ctx.step(["check", KIND, "step"], spec["step"])
        for i, role in enumerate(spec["roles"]):
            ctx.role(["check", KIND, "roles", i], role)


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    views = ctx.views
    occ = views.occurrences_in(spec["step"], scope)
    case, at, actor = occ.case, occ.time, occ.actor
    role = views.role_at(actor, at)
    unknown = ~views.in_roster(actor)
    wrong = np.flatnonzero(~unknown & ~np.isin(role, views.role_codes(spec["roles"])))
    first = wrong[run_starts(case[wrong])]        # the earliest wrong event of each case
    n, cases = views.cases, case[first]
    who = scatter(n, cases, actor[first], NONE)[scope]
    return case_outcomes(scope, ctx, scatter(n, case, True, False)[scope], who != NONE, "wrong_role",
                         views.person_keys(who),
                         {"actor": ("person", who), "role_at_time": ("role", scatter(n, cases, role[first], NONE)[scope]),
                          f"{spec['step']}.at": ("time", scatter(n, cases, at[first], np.iinfo("int64").min)[scope])},
                         also_unusable=scatter(n, case[unknown], True, False)[scope] & (who == NONE),
                         also_reason="no_actor")
