"""`periodic`: per employee and period of the audit period (1 January of the as-of year to
the as-of day), a plan row for that period, submitted by the period's deadline."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from .common import (NOT_EVALUABLE_RESULT, UTC, Calendar, Result, judged, read_date, read_time,
                     workday_deadline)
from .worlds import PEOPLE, STRANGER, noisy

EXAMPLES = 150
APPLIES_TO = "employees"
WHEN = st.sampled_from([None, 'role == "sales_manager"'])
DUES = [{"at": "start"}, {"at": "end"}, {"at": "end", "days": 3}, {"at": "start", "days": -2},
        {"at": "end", "workdays": 2}, {"at": "start", "workdays": 1}]
SPECS = st.fixed_dictionaries(
    {"every": st.sampled_from(["month", "month", "quarter", "week"]), "table": st.just("plans"),
     "by": st.just("employee_id"), "at": st.just("submitted_at"), "due": st.sampled_from(DUES)},
    optional={"where": st.just('period_type == "month"'), "period": st.just("period"),
              "active": st.just({"from": "active_from", "to": "active_to"})})

# Around month and quarter ends early in the year, with the holiday week of the test calendar.
TIMES = ["2024-12-31 23:59", "2025-01-27 10:00", "2024-12-28 10:00", "2025-01-01 00:00", "2025-01-06 09:00",
         "2025-01-31 23:59", "2025-02-01 00:00", "2025-02-03 10:00", "2025-02-06 18:00", "2025-03-03 12:00",
         "2025-03-31 23:59", "2025-04-01 08:00"]
PERIOD_TEXTS = ["2025-01", "2025-02", "2025-Q1", "2025-W01", "2025-W05", "2025-03", "2025-W06", "2025-04", "2025-Q2"]
# Times around each period's edges: just before it starts, its first instant, its last minute,
# and three days after (the deadlines drawn are within a few days of an edge).
EDGES = {"2025-01": ["2024-12-31 23:59", "2025-01-31 23:59", "2025-01-01 00:00", "2025-02-03 10:00"],
         "2025-02": ["2025-01-31 23:59", "2025-02-28 23:59", "2025-02-01 00:00", "2025-03-03 12:00"],
         "2025-Q1": ["2024-12-28 10:00", "2025-03-31 23:59", "2025-01-01 00:00", "2025-04-01 08:00"],
         "2025-W01": ["2024-12-28 10:00", "2025-01-05 18:00", "2025-01-06 09:00"],
         "2025-W05": ["2025-01-26 10:00", "2025-02-02 12:00", "2025-01-27 10:00", "2025-02-06 18:00"]}
DAYS = ["2025-01-01", "2025-01-31", "2025-02-01", "2025-02-15", "2025-03-31", None]


@st.composite
def DATASETS(draw) -> tuple[dict, str]:
    dirty = draw(st.integers(0, 2)) == 2
    employees = [{"id": p, "role": draw(st.sampled_from(["sales_manager", "sales_manager", "sales_rep"]
                                                        + ([None] if dirty else []))),
                  "active_from": draw(st.sampled_from(DAYS)), "active_to": draw(st.sampled_from(DAYS))}
                 for p in draw(st.lists(st.sampled_from(PEOPLE), unique=True))]
    plans = [{"id": f"P{i}", "employee_id": noisy(draw, st.sampled_from(PEOPLE), [STRANGER, None], dirty),
              "period_type": noisy(draw, st.sampled_from(["month", "month", "quarter"]), [None], dirty),
              "period": noisy(draw, st.sampled_from(PERIOD_TEXTS), ["2025-3", None], dirty),
              "submitted_at": None} for i in range(draw(st.integers(0, 12)))]
    for row in plans:
        near = EDGES.get(row["period"], TIMES) if draw(st.integers(0, 3)) else TIMES
        row["submitted_at"] = noisy(draw, st.sampled_from(near), [None, "soon"], dirty)
    as_of = draw(st.sampled_from(["2025-01-31", "2025-02-05", "2025-01-08", "2025-01-31", "2025-02-28", "2025-04-02",
                                  "2025-12-31"]))
    return {"employees": employees, "plans": plans}, as_of


def judge(spec: dict, when: str | None, data: dict, as_of_day: str, calendar: Calendar) -> dict[str, Result]:
    as_of = dt.datetime.combine(dt.date.fromisoformat(as_of_day), dt.time.max, tzinfo=UTC)
    out = {}
    for person in data["employees"]:
        if when is not None:
            if person["role"] is None:
                out[person["id"]] = NOT_EVALUABLE_RESULT
                continue
            if person["role"] != "sales_manager":
                continue
        rows = [r for r in data["plans"] if r["employee_id"] == person["id"]]
        for code, first, last in periods(spec["every"], dt.date(as_of.year, 1, 1), as_of.date()):
            result = _period(spec, person, rows, code, first, last, as_of, calendar)
            if result is not None:
                out[f"{person['id']}/{code}"] = result
    return out


def _period(spec, person, rows, code, first, last, as_of, calendar) -> Result | None:
    """The outcome of one entity-period, or None when it is not judged."""
    due_rule = spec["due"]
    anchor = first - dt.timedelta(days=1) if due_rule["at"] == "start" else last
    anchor_end = dt.datetime.combine(anchor, dt.time.max, tzinfo=UTC)
    if "workdays" in due_rule:
        due = workday_deadline(anchor_end, due_rule["workdays"], calendar)
        beyond = not calendar.knows(anchor) or not calendar.knows(due.date())
    else:
        due, beyond = anchor_end + dt.timedelta(days=due_rule.get("days", 0)), False
    if (anchor_end if beyond else due) > as_of:
        return None
    if "active" in spec:
        start, end = read_date(person["active_from"]), read_date(person["active_to"])
        for day in (first, anchor if beyond else due.date()):
            if (start and day < start) or (end and day > end):
                return None
    surely_by = anchor_end if beyond else due
    on_time = doubtful = False
    for row in rows:
        where = True if "where" not in spec else (None if row["period_type"] is None
                                                  else row["period_type"] == "month")
        if where is False:
            continue
        at = read_time(row["submitted_at"])
        if "period" in spec:
            text = row["period"]
            readable = text is not None and canonical(spec["every"], text)
            belongs = readable and text == code
        else:
            readable = at is not None
            belongs = readable and first <= at.date() <= last
        if not readable:
            doubtful = True
        elif belongs:
            if where is None or at is None:
                doubtful = True
            elif at <= surely_by:
                on_time = True
    if on_time:
        return judged(False)
    return NOT_EVALUABLE_RESULT if beyond or doubtful else judged(True)


def canonical(every: str, text: str) -> bool:
    """Whether the text is a period code of that length, written in full."""
    try:
        if every == "month":
            return len(text) == 7 and text[4] == "-" and dt.date(int(text[:4]), int(text[5:]), 1) is not None
        if every == "quarter":
            return len(text) == 7 and text[4:6] == "-Q" and text[6] in "1234"
        if every == "week":
            return len(text) == 8 and text[4:6] == "-W" and dt.date.fromisocalendar(int(text[:4]), int(text[6:]), 1) \
                is not None
    except ValueError:
        return False
    return False


def periods(every: str, first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(code, first day, last day) of every period of that length sharing a day with first..last."""
    out, day = [], first
    while day <= last:
        if every == "week":
            start = day - dt.timedelta(days=day.weekday())
            end = start + dt.timedelta(days=6)
            year, week, _ = start.isocalendar()
            code = f"{year}-W{week:02d}"
        else:
            size = 3 if every == "quarter" else 1
            month = (day.month - 1) // size * size + 1
            start = dt.date(day.year, month, 1)
            end = (dt.date(day.year + (month + size > 12), (month + size - 1) % 12 + 1, 1) - dt.timedelta(days=1))
            code = f"{day.year}-Q{(month + 2) // 3}" if every == "quarter" else f"{day.year}-{month:02d}"
        out.append((code, start, end))
        day = end + dt.timedelta(days=1)
    return out
