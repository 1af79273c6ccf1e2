"""'{if}' was not followed by '{then}' in time.

Response: for each case in scope, EVERY occurrence of step `if` must be followed by a `then`
strictly later (ties do not count); with `within`, that next `then` must come no later than
the deadline: `days` counts exact 24-hour days from the `if` time, `workdays` counts work
days of the calendar after the `if` day (the deadline is the end of the last one). An `if`
with no `then` yet is a violation only once its deadline is before the as-of time. A case
with no `if` passes without being activated.

Options: if (step), then (step), within ({days: N} or {workdays: N}; N a number or params.NAME).
"""
from __future__ import annotations

import pandas as pd

from ._common import case_outcomes

KIND = "response"
_AMOUNT = {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^params\.[a-z][a-z0-9_]*$"}]}
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["if", "then"],
    "description": "Each `if` is followed by a later `then`, optionally within a deadline",
    "properties": {
        "if": {"type": "string", "description": "The triggering step"},
        "then": {"type": "string", "description": "The step that must follow each trigger"},
        "within": {"type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
                   "description": "Deadline: calendar days or work days (a number or params.NAME)",
                   "properties": {"days": _AMOUNT, "workdays": _AMOUNT}},
    },
}
MESSAGES = {
    "late": {"zh": "“{if}”之后未在期限内完成“{then}”", "en": "'{then}' did not follow '{if}' within the deadline"},
    "missing": {"zh": "“{if}”之后没有“{then}”", "en": "'{if}' was never followed by '{then}'"},
}
EXAMPLE = """
id: PROC-007
title: {zh: 合同起草后须及时审核, en: Every drafted contract is reviewed within 3 work days}
clause: "3.3.3"
severity: medium
applies_to: deals
check:
  response: {if: contract_drafted, then: contract_reviewed, within: {workdays: 3}}
tests:
  - name: draft, review, draft again
    as_of: "2025-03-31"
    data:
      deals: [{id: D1}, {id: D2}]
      events:
        - {id: A1, deal_id: D1, step: contract_drafted, at: "2025-03-03 10:00"}
        - {id: A2, deal_id: D1, step: contract_reviewed, at: "2025-03-04 10:00"}
        - {id: A3, deal_id: D2, step: contract_drafted, at: "2025-03-03 10:00"}
        - {id: A4, deal_id: D2, step: contract_reviewed, at: "2025-03-04 10:00"}
        - {id: A5, deal_id: D2, step: contract_drafted, at: "2025-03-05 10:00"}
    expect: [D2]
"""


def validate(spec: dict, ctx) -> None:
    if not ctx.needs_event_log():
        return
    ctx.step(["check", KIND, "if"], spec["if"])
    ctx.step(["check", KIND, "then"], spec["then"])
    for unit, amount in spec.get("within", {}).items():
        if isinstance(amount, str):
            value = ctx.param(["check", KIND, "within", unit], amount.removeprefix("params."))
            if value is not None and not (isinstance(value, int) and value >= 0):
                ctx.report(["check", KIND, "within", unit], f"param '{amount}' must be a whole number of {unit}",
                           "bad-param")


def evaluate(spec: dict, keys: pd.Index, ctx) -> pd.DataFrame:
    triggers = ctx.views.occurrences(spec["if"])
    triggers = triggers[triggers["case"].isin(keys)]
    answers = ctx.views.occurrences(spec["then"])[["case", "time"]].rename(columns={"time": "then_at"})
    # An event without a time cannot be placed on the timeline (its case is not evaluable
    # anyway), and merge_asof refuses null keys.
    timed, answers = triggers.dropna(subset=["time"]), answers.dropna(subset=["then_at"])
    matched = pd.merge_asof(timed.sort_values("time"), answers.sort_values("then_at"),
                            left_on="time", right_on="then_at", by="case",
                            direction="forward", allow_exact_matches=False)
    matched["due"] = _deadline(matched["time"], spec.get("within"), ctx)
    open_past_due = matched["then_at"].isna() & (matched["due"].isna() | (matched["due"] < ctx.as_of))
    late = matched["then_at"].notna() & matched["due"].notna() & (matched["then_at"] > matched["due"])
    matched["bad"] = open_past_due | late
    matched["detail"] = pd.Series("late", index=matched.index).where(late, "missing")
    first_bad = matched[matched["bad"]].sort_values(["case", "time"]).groupby("case", observed=True).first()
    activated = pd.Series(True, index=pd.Index(triggers["case"].unique()))
    return case_outcomes(keys, ctx, activated, pd.Series(True, index=first_bad.index), first_bad["detail"],
                         {f"{spec['if']}.at": first_bad["time"], "deadline": first_bad["due"],
                          f"{spec['then']}.next_at": first_bad["then_at"]})


def _deadline(times: pd.Series, within: dict | None, ctx) -> pd.Series:
    if not within:
        return pd.Series(pd.NaT, index=times.index, dtype=times.dtype)
    unit, amount = next(iter(within.items()))
    n = int(ctx.params[amount.removeprefix("params.")] if isinstance(amount, str) else amount)
    if unit == "days":
        return times + pd.Timedelta(days=n)
    return ctx.calendar.deadline(times, n)
