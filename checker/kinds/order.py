"""'{then}' happened without an earlier '{first}'.

Precedence: for each case in scope, if step `then` occurs, step `first` must have occurred
strictly earlier (first occurrence against first occurrence). A tie is not earlier. A case
where `then` never occurs passes without being activated.

Options: first (step), then (step).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..views import NAT
from ._common import case_outcomes

KIND = "order"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["first", "then"],
    "description": "If `then` occurs, `first` occurred strictly earlier",
    "properties": {"first": {"type": "string", "description": "The step that must come first"},
                   "then": {"type": "string", "description": "The step that must not come before it"}},
}
MESSAGES = {
    "missing": {"zh": "发生了“{then}”,但此前没有“{first}”", "en": "'{then}' happened with no '{first}' before it"},
    "not_earlier": {"zh": "“{first}”未早于“{then}”", "en": "'{first}' did not happen before '{then}'"},
}
REASONS: dict = {}
NEEDS = ("event_log",)
EXAMPLE = """
id: PROC-005
title: {zh: 合同须经审核后方可签订, en: A contract is reviewed before it is signed}
clause: "3.3.6"
severity: high
applies_to: deals
check:
  order: {first: contract_reviewed, then: contract_signed}
tests:
  - name: signed before review
    data:
      deals: [{id: D1}, {id: D2}]
      events:
        - {id: A1, deal_id: D1, step: contract_reviewed, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D1, step: contract_signed, at: "2025-03-02 10:00"}
        - {id: A3, deal_id: D2, step: contract_signed, at: "2025-03-01 10:00"}
        - {id: A4, deal_id: D2, step: contract_reviewed, at: "2025-03-02 10:00"}
    expect: [D2]
"""


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        for part in ("first", "then"):
            ctx.step(["check", KIND, part], spec[part])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    first = ctx.views.stats(spec["first"]).first[scope]
    then = ctx.views.stats(spec["then"]).first[scope]
    activated = then != NAT
    violated = activated & ~((first != NAT) & (first < then))
    detail = np.where(first != NAT, "not_earlier", "missing")
    return case_outcomes(scope, ctx, activated, violated, detail, None,
                         {f"{spec['first']}.first_at": ("time", first), f"{spec['then']}.first_at": ("time", then)})
