"""Required step missing: {missing}.

For each case in scope, every listed step occurs at least once. Every case in scope is
activated.

With `if: X` (responded existence), only a case where step X occurs is activated and judged:
"if an offer is sent, it is also accepted or declined" is `exists: {if: offer_sent, steps:
[...]}`, whatever the order of the events. A case without X passes without being activated.

On partial data: a case whose event log cannot be trusted (an event of an unknown step, or
of a step the rule names with an unreadable time) passes when every listed step occurs in
its readable events, since an unreadable event cannot take an occurrence away; one that
lacks a step is not evaluable, since the unreadable event may be it (or, with `if`, the X
that would activate the case).

Options: steps (list of steps), if (step, optional).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import case_outcomes, step_lists

KIND = "exists"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["steps"],
    "description": "Each listed step occurs at least once",
    "properties": {"steps": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True,
                             "description": "Steps that must occur"},
                   "if": {"type": "string", "description": "Judge only cases where this step occurs"}},
}
MESSAGES = {"missing": {"zh": "缺少必需步骤:{arg}", "en": "required step missing: {arg}"}}
REASONS: dict = {}
NEEDS = ("event_log",)
EXAMPLE = """
id: PROC-006
title: {zh: 赢单须有完整的合同流程, en: "A won deal has a drafted, reviewed and signed contract"}
clause: "3.3.6"
severity: high
applies_to: deals
when: stage == "won"
check:
  exists: {steps: [contract_drafted, contract_reviewed, contract_signed]}
tests:
  - name: won without review
    data:
      deals: [{id: D1, stage: won}, {id: D2, stage: won}, {id: D3, stage: lost}]
      events:
        - {id: A1, deal_id: D1, step: contract_drafted, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D1, step: contract_reviewed, at: "2025-03-02 10:00"}
        - {id: A3, deal_id: D1, step: contract_signed, at: "2025-03-03 10:00"}
        - {id: A4, deal_id: D2, step: contract_drafted, at: "2025-03-01 10:00"}
        - {id: A5, deal_id: D2, step: contract_signed, at: "2025-03-03 10:00"}
    expect: [D2]
"""


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        for i, step in enumerate(spec["steps"]):
            ctx.step(["check", KIND, "steps", i], step)
        if "if" in spec:
            ctx.step(["check", KIND, "if"], spec["if"])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    absent = np.stack([ctx.views.stats(s).count[scope] == 0 for s in spec["steps"]], axis=1)
    activated = ctx.views.stats(spec["if"]).count[scope] > 0 if "if" in spec else True
    violated = absent.any(axis=1)
    missing = step_lists(absent[violated], spec["steps"])
    arg = np.full(len(scope), None, dtype=object)
    arg[violated] = missing
    return case_outcomes(scope, ctx, activated, violated, "missing", arg, {"missing": ("value", arg)},
                         settled=~violated)

