"""The same person did '{first}' and '{second}'.

Segregation of duties: for each case in scope, no actor of step `first` is also an actor of
step `second`. Activated when both steps occur.

With `occurrences: {first: last, second: every}`, only the chosen occurrence of each step
counts: `every` (the default), `first` or `last` (in time order; among events at the same
instant, by event key): "whoever drafted the last version does not review it".

On partial data: an event of these steps without an actor makes the case not evaluable only
when that actor could decide the verdict: a case where one of the steps never occurs passes
without being activated, and one where a known person did both steps is a violation, whatever
the events without an actor.

Options: first (step), second (step), occurrences ({first, second}: every, first or last).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.keys import NONE
from ..ordering import run_starts
from ..views import Occurrences
from ._common import case_outcomes

KIND = "different_actors"
SELECTORS = ["every", "first", "last"]
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["first", "second"],
    "description": "No one performs both steps of a case",
    "properties": {"first": {"type": "string", "description": "One duty, e.g. contract_drafted"},
                   "second": {"type": "string", "description": "The duty that must be done by someone else"},
                   "occurrences": {"type": "object", "additionalProperties": False, "minProperties": 1,
                                   "description": "Which occurrence of each step counts (default: every)",
                                   "properties": {"first": {"enum": SELECTORS}, "second": {"enum": SELECTORS}}}},
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
REASONS = {"no_actor": {"en": "an event of a checked step has no actor, or one missing from the roster",
                        "zh": "所检查步骤的某条活动缺少执行人,或执行人不在花名册中"}}
NEEDS = ("event_log", "roster")


def validate(spec: dict, ctx) -> None:
    if ctx.needs_event_log():
        ctx.step(["check", KIND, "first"], spec["first"])
        ctx.step(["check", KIND, "second"], spec["second"])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    views = ctx.views
    chosen = spec.get("occurrences", {})
    first, second = (_chosen(views, spec[side], chosen.get(side, "every")) for side in ("first", "second"))
    both = _cases_with(first, views.cases) & _cases_with(second, views.cases)
    no_actor = np.zeros(views.cases, dtype=bool)
    no_actor[np.concatenate([first.case[first.actor == NONE], second.case[second.actor == NONE]])] = True
    shared = _first_shared_actor(first, second, views)[scope]
    undecided = both[scope] & no_actor[scope] & (shared == NONE)
    return case_outcomes(scope, ctx, both[scope], shared != NONE, "same_actor", views.person_keys(shared),
                         {"actor": ("person", shared)}, also_unusable=undecided, also_reason="no_actor")


def _chosen(views, step: str, which: str) -> Occurrences:
    """The step's events that count: all of them, or each case's first or last."""
    if which == "every":
        return views.events(step)
    occ = views.occurrences(step)
    starts = run_starts(occ.case)
    picked = starts if which == "first" else np.append(starts[1:], len(occ.case))[:len(starts)] - 1
    return Occurrences(occ.case[picked], occ.time[picked], occ.actor[picked], occ.row[picked])


def _cases_with(occ, cases: int) -> np.ndarray:
    out = np.zeros(cases, dtype=bool)
    out[occ.case] = True
    return out


def _first_shared_actor(first, second, views) -> np.ndarray:
    """Per case, the person (by key order) who did both steps; NONE when nobody did.

    A (case, person) pair is one integer; the pairs of one step are sorted once and those of
    the other looked up in them by binary search."""
    rank = views.person_rank()
    people = len(rank) + 1
    pairs = lambda occ: occ.case[occ.actor != NONE] * people + occ.actor[occ.actor != NONE]  # noqa: E731
    # Both sorted: the searches then walk the pairs from one end to the other.
    done_first, done_second = np.sort(pairs(first)), np.sort(pairs(second))
    at = np.minimum(np.searchsorted(done_second, done_first), max(len(done_second) - 1, 0))
    both = done_first[done_second[at] == done_first] if len(done_second) else done_first[:0]
    shared = np.full(views.cases, NONE, dtype=np.int64)
    case, actor = both // people, both % people
    order = np.lexsort((rank[actor], case))
    starts = run_starts(case[order])
    shared[case[order][starts]] = actor[order][starts]
    return shared
