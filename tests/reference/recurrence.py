"""`recurrence`: per customer, visits inside the audit period (1 January of the as-of year to
the as-of day) at most N days (or work days) apart, counting from the period's start."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from .common import (NOT_EVALUABLE_RESULT, UTC, Calendar, Result, judged, load_model, read_date, read_time,
                     workday_deadline)
from .worlds import PEOPLE, STRANGER, UNKNOWN_STEP, noisy

EXAMPLES = 150
APPLIES_TO = "customers"
STEPS, _ = load_model()
WHEN = st.sampled_from([None, 'tier == "key"'])
SPECS = st.fixed_dictionaries(
    {"step": st.just("customer_visit"), "via": st.just("customer_id"),
     "every": st.sampled_from([{"days": 5}, {"days": 4}, {"workdays": 3}, {"days": 3}, {"workdays": 2},
                               {"days": 7}])},
    optional={"where": st.just('channel in ["phone", "visit"]'), "by_role": st.just("sales_supervisor")})
CUSTOMERS = ["C1", "C2", "C3"]
AS_OF = ["2025-01-07", "2025-01-10", "2025-01-27", "2025-02-07", "2025-02-10"]


@st.composite
def DATASETS(draw) -> tuple[dict, str]:
    """Each customer's visits walk from the period's start in steps of 1 to 5 days (mostly short), so that
    every gap drawn is near the allowed ones; the dirty examples add noise to some fields."""
    dirty = draw(st.integers(0, 2)) == 2
    as_of = draw(st.sampled_from(AS_OF))
    customers = [{"id": c, "tier": noisy(draw, st.sampled_from(["key", "normal"]), [None], dirty)}
                 for c in draw(st.lists(st.sampled_from(CUSTOMERS), unique=True))]
    employees = [{"id": p, "role": draw(st.sampled_from(["sales_supervisor", "sales_supervisor", "sales_rep"])),
                  "active_to": draw(st.sampled_from([None, None, "2025-01-06"]))} for p in PEOPLE[:2]]
    events = []
    for customer in CUSTOMERS:
        day = dt.date(2024, 12, 31)
        while True:
            day += dt.timedelta(days=draw(st.sampled_from([1, 2, 3, 2, 4, 5])))
            if day > dt.date.fromisoformat(as_of) + dt.timedelta(days=2):
                break
            events.append(_visit(draw, f"A{len(events)}", customer, day, dirty))
    return {"customers": customers, "employees": employees, "events": events}, as_of


def _visit(draw, key: str, customer: str, day: dt.date, dirty: bool) -> dict:
    return {"id": key, "customer_id": noisy(draw, st.just(customer), [None, "C9"], dirty),
            "step": draw(st.sampled_from(["customer_visit"] * 12 + ["negotiation"]
                                         + ([None, UNKNOWN_STEP] if dirty else []))),
            "actor_id": noisy(draw, st.sampled_from([PEOPLE[0]] * 8 + [PEOPLE[1]]), [None, STRANGER], dirty),
            "channel": noisy(draw, st.sampled_from(["phone"] * 4 + ["visit"] * 4 + ["email"]), [None], dirty),
            "at": noisy(draw, st.just(f"{day.isoformat()} 10:00"), [None, "soon"], dirty)}


def judge(spec: dict, when: str | None, data: dict, as_of_day: str, calendar: Calendar) -> dict[str, Result]:
    end = dt.date.fromisoformat(as_of_day)
    roster = {e["id"]: e for e in data["employees"]}
    out = {}
    for customer in data["customers"]:
        if when is not None:
            if customer["tier"] is None:
                out[customer["id"]] = NOT_EVALUABLE_RESULT
                continue
            if customer["tier"] != "key":
                continue
        events = [e for e in data["events"] if e["customer_id"] == customer["id"]]
        out[customer["id"]] = _customer(spec, events, roster, dt.date(end.year, 1, 1), end, calendar)
    return out


def _customer(spec, events, roster, first, end, calendar) -> Result:
    days, doubtful = set(), False
    for event in events:
        counts = _counts(spec, event, roster)
        at = read_time(event["at"])
        inside = at is not None and first <= at.date() <= end
        if counts is True and inside:
            days.add(at.date())
        elif counts is not False and (inside or at is None):
            doubtful = True
    points = [first - dt.timedelta(days=1), *sorted(days)]
    n = next(iter(spec["every"].values()))
    for a, b in zip(points, points[1:] + [end + dt.timedelta(days=1)]):
        if "workdays" in spec["every"]:
            due = workday_deadline(dt.datetime.combine(a, dt.time(12), tzinfo=UTC), n, calendar).date()
            if not calendar.knows(a) or not calendar.knows(due):
                if b > a + dt.timedelta(days=n):
                    return NOT_EVALUABLE_RESULT
                continue
        else:
            due = a + dt.timedelta(days=n)
        if b > due:
            return NOT_EVALUABLE_RESULT if doubtful else judged(True)
    return judged(False)


def _counts(spec, event, roster) -> bool | None:
    """Whether the event is an occurrence that counts; None when that cannot be read."""
    step = event["step"] if event["step"] in STEPS else None
    at = read_time(event["at"])
    answers = [None if step is None else step == spec["step"]]
    if "where" in spec:
        answers.append(None if event["channel"] is None else event["channel"] in ("phone", "visit"))
    if "by_role" in spec:
        person = roster.get(event["actor_id"])
        if person is None or at is None:
            answers.append(None)
        else:
            left = read_date(person["active_to"])
            answers.append(person["role"] == spec["by_role"] and (left is None or at.date() <= left))
    if False in answers:
        return False
    return None if None in answers else True
