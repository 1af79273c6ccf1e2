"""`response`: every `if` is followed by a strictly later `then`, by its deadline if any; with
`then_where`, only the `then` events that meet it answer. With `of: fields`, a deal's own
closed_at answers its own created_at, and one timed before it makes the deal not evaluable."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from .common import (NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, times_of,
                     untrusted, workday_deadline)
from .worlds import TIES, pairs, step_sets

# More cases than most kinds: deadlines, the as-of time and repeated triggers make many edges.
EXAMPLES = 220
WITHIN = st.sampled_from([{"days": 1}, {"workdays": 1}, {"days": 2}, {"workdays": 0}, {"days": 7}, {"workdays": 2},
                          None, {"workdays": 0}, {"workdays": 3}, {"days": 0}, {"days": "params.archive_within_days"},
                          {"workdays": "params.review_within_workdays"}])
# Which answers count: those by a sales manager (unknown for an actor missing from the roster or
# without a role), or also every negotiation, as "escalated to the manager, unless paid" reads.
THEN_WHERE = {'actor.role == "sales_manager"': lambda e, w: _is_manager(e, w),
              'step == "negotiation" or actor.role == "sales_manager"':
                  lambda e, w: True if e["step"] == "negotiation" else _is_manager(e, w)}


@st.composite
def _specs(draw) -> dict:
    trigger, then = draw(pairs())
    within, ties = draw(WITHIN), draw(TIES)
    where = draw(st.sampled_from([None, None, *THEN_WHERE]))
    return {"if": trigger, "then": draw(step_sets(trigger, then)), **({"within": within} if within else {}),
            **({"ties": ties} if ties else {}), **({"then_where": where} if where else {})}


@st.composite
def _field_specs(draw) -> dict:
    within, ties = draw(st.one_of(WITHIN, st.sampled_from([{"hours": 24}, {"hours": 0}, {"hours": 49}]))), draw(TIES)
    return {"if": "created_at", "then": "closed_at", "of": "fields", **({"within": within} if within else {}),
            **({"ties": ties} if ties else {})}


SPECS = st.one_of(_specs(), _field_specs())


def deadline(at: dt.datetime, within: dict | None, world: World) -> dt.datetime | None:
    if not within:
        return None
    (unit, amount), = within.items()
    n = world.params[amount.removeprefix("params.")] if isinstance(amount, str) else amount
    if unit == "hours":
        return at + dt.timedelta(hours=n)
    if unit == "days":   # calendar days after the trigger's day, to the end of the last one
        return dt.datetime.combine(at.date() + dt.timedelta(days=n), dt.time.max, tzinfo=at.tzinfo)
    return workday_deadline(at, n, world.calendar)


def evaluate(spec: dict, case: str, world: World) -> Result:
    if spec.get("of") == "fields":
        return _on_fields(spec, world.deals[case], world)
    log = case_log(world, case)
    if untrusted(log, spec["if"], spec["then"]):
        return NOT_EVALUABLE_RESULT
    triggers = times_of(log, spec["if"])
    if not triggers:
        return NOT_ACTIVATED
    steps = [spec["then"]] if isinstance(spec["then"], str) else spec["then"]
    answering = [e for e in log if e["step"] in steps]
    meets = THEN_WHERE.get(spec.get("then_where"), lambda e, w: True)
    surely = [e["at"] for e in answering if meets(e, world) is True]
    if not _fails(spec, triggers, surely, world):
        return judged(False)
    maybe = surely + [e["at"] for e in answering if meets(e, world) is None]
    return judged(True) if _fails(spec, triggers, maybe, world) else NOT_EVALUABLE_RESULT


def _on_fields(spec: dict, deal: dict, world: World) -> Result:
    at, answer = deal[spec["if"]], deal[spec["then"]]
    if at is None:
        return NOT_ACTIVATED
    if answer is not None and answer < at:
        return NOT_EVALUABLE_RESULT
    return judged(_fails(spec, [at], [] if answer is None else [answer], world))


def _fails(spec: dict, triggers: list[dt.datetime], answers: list[dt.datetime], world: World) -> bool:
    """Some trigger has no later answer by its deadline (none at all, without a deadline)."""
    tie_follows = spec.get("ties") == "in_order"
    for at in triggers:
        later = [a for a in answers if a > at or (tie_follows and a == at)]
        due = deadline(at, spec.get("within"), world)
        if not later:
            if due is None or due < world.as_of:
                return True
        elif due is not None and min(later) > due:
            return True
    return False


def _is_manager(event: dict, world: World) -> bool | None:
    role = world.roster.get(event["actor"], {}).get("role") if event["actor"] else None
    return None if role is None else role == "sales_manager"
