"""The same person did '{first}' and '{second}'.

Segregation of duties: for each case in scope, no actor of step `first` is also an actor of
step `second`. Activated when both steps occur. Events of these steps without an actor make
the case not evaluable.

Options: first (step), second (step).
"""
from __future__ import annotations

import pandas as pd

from ._common import case_outcomes

KIND = "different_actors"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["first", "second"],
    "description": "No one performs both steps of a case",
    "properties": {"first": {"type": "string", "description": "One duty, e.g. contract_drafted"},
                   "second": {"type": "string", "description": "The duty that must be done by someone else"}},
}
MESSAGES = {"same_actor": {"zh": "同一人既执行了“{first}”又执行了“{second}”",
                           "en": "the same person did '{first}' and '{second}'"}}
EXAMPLE = """
id: SOD-001
title: {zh: 合同起草人不得审核本合同, en: The drafter of a contract does not review it}
clause: "3.3.5"
severity: high
applies_to: deals
check:
  different_actors: {first: contract_drafted, second: contract_reviewed}
tests:
  - name: drafter reviews own contract
    data:
      deals: [{id: D1}, {id: D2}]
      events:
        - {id: A1, deal_id: D1, step: contract_drafted, actor_id: E1, at: "2025-03-01 10:00"}
        - {id: A2, deal_id: D1, step: contract_reviewed, actor_id: E2, at: "2025-03-02 10:00"}
        - {id: A3, deal_id: D2, step: contract_drafted, actor_id: E1, at: "2025-03-01 10:00"}
        - {id: A4, deal_id: D2, step: contract_reviewed, actor_id: E1, at: "2025-03-02 10:00"}
    expect: [D2]
"""
REASON = "an event of a checked step has no actor"


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        ctx.step(["check", KIND, "first"], spec["first"])
        ctx.step(["check", KIND, "second"], spec["second"])


def evaluate(spec: dict, keys: pd.Index, ctx) -> pd.DataFrame:
    first = ctx.views.occurrences(spec["first"])
    second = ctx.views.occurrences(spec["second"])
    both = pd.Index(first["case"].unique()).intersection(pd.Index(second["case"].unique()))
    no_actor = pd.concat([first, second])
    no_actor = pd.Series(True, index=pd.Index(no_actor.loc[no_actor["actor"].isna(), "case"].unique()))
    shared = (first[["case", "actor"]].dropna().drop_duplicates()
              .merge(second[["case", "actor"]].dropna().drop_duplicates(), on=["case", "actor"]))
    shared_actor = shared.sort_values(["case", "actor"]).groupby("case", observed=True)["actor"].first()
    return case_outcomes(keys, ctx, pd.Series(True, index=both), pd.Series(True, index=shared_actor.index),
                         "same_actor:" + shared_actor.astype(str), {"actor": shared_actor},
                         also_unusable=no_actor, also_reason=REASON)
