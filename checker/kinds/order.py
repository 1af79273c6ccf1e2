"""'{then}' happened without an earlier '{first}'.

Precedence: for each case in scope, if step `then` occurs, step `first` must have occurred
strictly earlier than the first `then`. A tie is not earlier (unless `ties: in_order`). A case where `then` never
occurs passes without being activated.

With `since_last: S`, the `first` that comes before the first `then` must also come after
the last S at or before that `then` (a tie with S is not after): "the last draft before
signing was reviewed before signing". A case without any S before `then` is judged as
without the option.

`first` and `then` may each be a set of steps, any of which will do: `then: [A, B]` is judged
at the first A or B, `first: [C, D]` is met by a C or a D. With `ties: in_order`, a `first` at
the same instant as the first `then` counts as earlier (the default, `not_in_order`, keeps
"strictly earlier").

On partial data: a case whose event log cannot be trusted is not evaluable, since an
unreadable event may be an earlier `then` or the `first` it lacks.

Options: first (step or steps), then (step or steps), since_last (step), ties.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..views import NAT
from ._common import STEPS, TIES, case_outcomes, check_steps, events_of, first_of, step_set

KIND = "order"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["first", "then"],
    "description": "If `then` occurs, `first` occurred strictly earlier",
    "properties": {"first": {**STEPS, "description": "The step that must come first (or a set: any of them)"},
                   "then": {**STEPS, "description": "The step that must not come before it (or a set: any of them)"},
                   "since_last": {"type": "string",
                                  "description": "A step whose last occurrence before `then` `first` must follow"},
                   "ties": TIES},
}
MESSAGES = {
    "missing": {"zh": "发生了“{then}”,但此前没有“{first}”", "en": "'{then}' happened with no '{first}' before it"},
    "not_earlier": {"zh": "“{first}”未早于“{then}”", "en": "'{first}' did not happen before '{then}'"},
    "not_since": {"zh": "最后一次“{since_last}”之后、“{then}”之前没有“{first}”",
                  "en": "no '{first}' between the last '{since_last}' and '{then}'"},
}
REASONS: dict = {}
NEEDS = ("event_log",)
EXAMPLE = """
id: PROC-005
title: {zh: 签订前最后一次起草的合同须经审核, en: The last draft before signing is reviewed before signing}
clause: "3.3.6"
severity: high
applies_to: deals
check:
  order: {first: contract_reviewed, then: contract_signed, since_last: contract_drafted}
tests:
  - name: signed before review, and a redraft signed unreviewed
    data:
      deals: [{id: D1}, {id: D2}, {id: D3}]
      events:
        - {id: A1, deal_id: D1, step: contract_reviewed, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D1, step: contract_signed, at: "2025-03-02 10:00"}
        - {id: A3, deal_id: D2, step: contract_signed, at: "2025-03-01 10:00"}
        - {id: A4, deal_id: D2, step: contract_reviewed, at: "2025-03-02 10:00"}
        - {id: A5, deal_id: D3, step: contract_drafted, at: "2025-03-01 09:00"}
        - {id: A6, deal_id: D3, step: contract_reviewed, at: "2025-03-01 10:00"}
        - {id: A7, deal_id: D3, step: contract_drafted, at: "2025-03-01 11:00"}
        - {id: A8, deal_id: D3, step: contract_signed, at: "2025-03-02 10:00"}
    expect: [D2, D3]
"""


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        for part in ("first", "then", "since_last"):
            if part in spec:
                check_steps(ctx, ["check", KIND, part], spec[part])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    views = ctx.views
    first_steps, then_steps = step_set(spec["first"]), step_set(spec["then"])
    then = first_of(views, then_steps)
    first = first_of(views, first_steps)[scope]
    activated = then[scope] != NAT
    earlier = (first != NAT) & (first <= then[scope] if spec.get("ties") == "in_order" else first < then[scope])
    evidence = {f"{'|'.join(first_steps)}.first_at": ("time", first),
                f"{'|'.join(then_steps)}.first_at": ("time", then[scope])}
    if "since_last" not in spec:
        detail = np.where(first != NAT, "not_earlier", "missing")
        return case_outcomes(scope, ctx, activated, activated & ~earlier, detail, None, evidence)
    since = _last_at_or_before(views.events(spec["since_last"]), then, views.cases)
    between = _any_between(events_of(views, first_steps), since, then, views.cases,
                           spec.get("ties") == "in_order")[scope]
    detail = np.where(first == NAT, "missing", np.where(~earlier, "not_earlier", "not_since"))
    evidence[f"{spec['since_last']}.last_before_at"] = ("time", since[scope])
    return case_outcomes(scope, ctx, activated, activated & ~between, detail, None, evidence)


def _last_at_or_before(occ, limit: np.ndarray, cases: int) -> np.ndarray:
    """Per case, the time of the last event at or before the case's `limit` (NAT if none)."""
    last = np.full(cases, NAT, dtype=np.int64)
    keep = (limit[occ.case] != NAT) & (occ.time <= limit[occ.case])
    np.maximum.at(last, occ.case[keep], occ.time[keep])
    return last


def _any_between(occ, after: np.ndarray, before: np.ndarray, cases: int, tie_is_before: bool) -> np.ndarray:
    """Per case, whether an event lies strictly after `after` (any time when NAT) and before
    `before` (strictly, unless a tie counts as before)."""
    low, high = after[occ.case], before[occ.case]
    early = occ.time <= high if tie_is_before else occ.time < high
    inside = (high != NAT) & early & ((low == NAT) | (occ.time > low))
    out = np.zeros(cases, dtype=bool)
    out[occ.case[inside]] = True
    return out
