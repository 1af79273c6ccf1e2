"""`response`: every `if` is followed by a strictly later `then`, by its deadline if any."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from .common import (NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, any_times, case_log, judged, times_of,
                     untrusted, workday_deadline)
from .worlds import TIES, pairs, step_sets

# More cases than most kinds: deadlines, the as-of time and repeated triggers make many edges.
EXAMPLES = 220
WITHIN = st.sampled_from([{"days": 1}, {"workdays": 1}, {"days": 2}, {"workdays": 0}, {"days": 7}, {"workdays": 2},
                          None, {"workdays": 0}, {"workdays": 3}, {"days": 0}, {"days": "params.archive_within_days"},
                          {"workdays": "params.review_within_workdays"}])


@st.composite
def _specs(draw) -> dict:
    trigger, then = draw(pairs())
    within, ties = draw(WITHIN), draw(TIES)
    return {"if": trigger, "then": draw(step_sets(trigger, then)), **({"within": within} if within else {}),
            **({"ties": ties} if ties else {})}


SPECS = _specs()


def deadline(at: dt.datetime, within: dict | None, world: World) -> dt.datetime | None:
    if not within:
        return None
    (unit, amount), = within.items()
    n = world.params[amount.removeprefix("params.")] if isinstance(amount, str) else amount
    if unit == "days":   # calendar days after the trigger's day, to the end of the last one
        return dt.datetime.combine(at.date() + dt.timedelta(days=n), dt.time.max, tzinfo=at.tzinfo)
    return workday_deadline(at, n, world.calendar)


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    triggers = times_of(log, spec["if"])
    if not triggers:
        return NOT_ACTIVATED
    answers = any_times(log, spec["then"])
    tie_follows = spec.get("ties") == "in_order"
    for at in triggers:
        later = [a for a in answers if a > at or (tie_follows and a == at)]
        due = deadline(at, spec.get("within"), world)
        if not later:
            if due is None or due < world.as_of:
                return judged(True)
        elif due is not None and min(later) > due:
            return judged(True)
    return judged(False)
