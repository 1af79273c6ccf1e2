"""Forbidden step occurred: {found}.

For each case in scope, none of the listed steps occurs. Every case in scope is activated;
the evidence names the steps found and the time each first occurred. A case whose event
log cannot be trusted (an event of an unknown step, or of a listed step with an unreadable
time) is not evaluable, since the unreadable event may be one of the forbidden steps; an
unreadable time of another step changes nothing.

On partial data: a case where a readable event of a forbidden step occurs is a violation,
whatever the unreadable events; only a case that would pass is not evaluable for them.

Options: steps (list of steps).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import case_outcomes, step_lists

KIND = "absent"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["steps"],
    "description": "None of the listed steps occurs",
    "properties": {"steps": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True,
                             "description": "Steps that must not occur"}},
}
MESSAGES = {"found": {"zh": "出现了不应有的步骤:{arg}", "en": "forbidden step occurred: {arg}"}}
REASONS: dict = {}
NEEDS = ("event_log",)
EXAMPLE = """
id: PROC-020
title: {zh: 输单不得签订合同, en: A lost deal has no signed contract}
clause: "3.3.6"
severity: high
applies_to: deals
when: stage == "lost"
check:
  absent: {steps: [contract_signed]}
tests:
  - name: a lost deal with a signature
    data:
      deals: [{id: D1, stage: lost}, {id: D2, stage: lost}, {id: D3, stage: won}]
      events:
        - {id: A1, deal_id: D1, step: contract_signed, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D2, step: negotiation, at: "2025-03-01 10:00"}
        - {id: A3, deal_id: D3, step: contract_signed, at: "2025-03-01 10:00"}
    expect: [D1]
"""


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        for i, step in enumerate(spec["steps"]):
            ctx.step(["check", KIND, "steps", i], step)


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    stats = [ctx.views.stats(s) for s in spec["steps"]]
    present = np.stack([s.count[scope] > 0 for s in stats], axis=1)
    violated = present.any(axis=1)
    found = np.full(len(scope), None, dtype=object)
    found[violated] = step_lists(present[violated], spec["steps"])
    evidence = {"found": ("value", found)}
    evidence.update({f"{step}.first_at": ("time", s.first[scope]) for step, s in zip(spec["steps"], stats)})
    return case_outcomes(scope, ctx, True, violated, "found", found, evidence, settled=violated)
