"""No on-time submission for {arg}.

For each record in scope (an entity, e.g. an employee) and each period of length `every`
(week, month, quarter, year) that shares a day with the audit period, a row of `table`
whose `by` column names the entity, that meets `where` (optional) and belongs to that
period exists with its time `at` no later than the period's deadline. A row belongs to the
period its `period` column names ("2025-W09", "2025-03", "2025-Q1", "2025"); without a
`period` option, to the period holding the local date of `at`.

The deadline is `due`: `{at: start}` is the end of the day before the period starts,
`{at: end}` the end of its last day; `days: N` moves it N calendar days later (earlier when
negative; N a number or params.NAME), the anchor day not counted; `workdays: N` makes it the end of the N-th work day
after the anchor day (by the work calendar). A period whose deadline is after the as-of time
is not yet due and is not judged. With `active: {from, to}` (date fields of the entity), a
period is judged only when the entity is active on its first day and on its deadline day.

Each judged entity-period is one record, keyed `<entity key>/<period code>`, and
activated. No row at all is `missing`; only rows later than the deadline is `late`. The
entity-period is not evaluable when a row of the entity that could have been the on-time
submission cannot be read (an unreadable period or time, or a `where` that reads an empty
field), or when a deadline in work days falls outside the work calendar (unless a row came
by the end of the anchor day, which is on time whatever the calendar says).

Options: every, table, by, where (optional), period (optional), at, due, active (optional).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..expr import compile_expression
from ..problems import did_you_mean
from ..periods import EVERY, Period, periods_touching, positions_of_codes, positions_of_days
from ..views import NAT, US_PER_DAY, as_times, instants
from ._common import AMOUNT, PARAM, PART, outcome_frame, param_or_number, where_on_rows
from ._dates import day_ends, local_days

KIND = "periodic"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["every", "table", "by", "at", "due"],
    "description": "Per entity and period, a submission exists by the period's deadline",
    "properties": {
        "every": {"enum": list(EVERY), "description": "The length of the periods"},
        "table": {"type": "string", "description": "The table of the submissions"},
        "by": {"type": "string", "description": "Its column naming the entity (a foreign key to the judged table)"},
        "where": {"type": "string", "description": "Which of its rows count (a condition on them)"},
        "period": {"type": "string", "description": "Its column naming the period a row is for"},
        "at": {"type": "string", "description": "Its time column: when the row was submitted"},
        "due": {"type": "object", "additionalProperties": False, "required": ["at"],
                "description": "The deadline, relative to the period's start or end",
                "properties": {"at": {"enum": ["start", "end"]},
                               "days": {"anyOf": [{"type": "integer"}, PARAM],
                                        "description": "Calendar days later (earlier if negative)"},
                               "workdays": {**AMOUNT, "description": "Work days later"}},
                "not": {"required": ["days", "workdays"]}},
        "active": {"type": "object", "additionalProperties": False, "required": ["from", "to"],
                   "description": "Date fields of the entity: periods count only while it is active",
                   "properties": {"from": {"type": "string"}, "to": {"type": "string"}}},
    },
}
MESSAGES = {
    "missing": {"zh": "{arg} 期间未提交(应于截止时间前提交)", "en": "nothing submitted for {arg}"},
    "late": {"zh": "{arg} 期间的提交晚于截止时间", "en": "the submission for {arg} came after its deadline"},
}
REASONS = {
    "unreadable_row": {"en": "a submission of this entity has an unreadable period, time or field",
                       "zh": "该对象的某条提交记录的期间、时间或字段无法读取"},
}
NEEDS = ("table:table", "option:active", "calendar")
EXAMPLE = """
id: PLAN-001
title: {zh: 经理须于每月开始前提交月度计划, en: The manager submits each month's plan before it starts}
clause: "2.2.1"
severity: medium
applies_to: employees
when: role == "sales_manager"
check:
  periodic:
    every: month
    table: plans
    by: employee_id
    where: period_type == "month"
    period: period
    at: submitted_at
    due: {at: start}
tests:
  - name: February on time, March late, April missing
    as_of: "2025-04-30"
    data:
      employees: [{id: E1, role: sales_manager}]
      plans:
        - {id: P1, employee_id: E1, period_type: month, period: "2025-01", submitted_at: "2024-12-30 10:00"}
        - {id: P2, employee_id: E1, period_type: month, period: "2025-02", submitted_at: "2025-01-31 23:59"}
        - {id: P3, employee_id: E1, period_type: month, period: "2025-03", submitted_at: "2025-03-01 00:00"}
    expect: [E1/2025-03, E1/2025-04]
"""


def reads(spec: dict, model, params: dict) -> list[tuple[str, set[str]]]:
    """The submissions table and the fields of it the rule reads."""
    fields = {spec[o] for o in ("by", "period", "at") if o in spec}
    if "where" in spec:
        fields |= compile_expression(spec["where"], model.expr_columns(spec["table"]), params, None, "boolean").columns
    return [(spec["table"], fields)]


def validate(spec: dict, ctx) -> None:
    table = spec["table"]
    if table not in ctx.model.tables:
        ctx.report(["check", KIND, "table"], f"unknown table '{table}'{did_you_mean(table, ctx.model.tables)}",
                   "unknown-table")
        return
    if ctx.column(["check", KIND, "by"], spec["by"], table) and \
            ctx.model.tables[table].columns[spec["by"]].references != ctx.rule.applies_to:
        ctx.report(["check", KIND, "by"], f"'{spec['by']}' of {table} does not refer to {ctx.rule.applies_to}, "
                                          f"the judged table", "wrong-reference")
    ctx.column(["check", KIND, "at"], spec["at"], table)
    if "period" in spec:
        ctx.column(["check", KIND, "period"], spec["period"], table)
    if "where" in spec:
        ctx.expression(["check", KIND, "where"], spec["where"], table=table)
    for unit, amount in spec["due"].items():
        if isinstance(amount, str) and unit != "at":
            ctx.param(["check", KIND, "due", unit], amount.removeprefix("params."))
    for end in ("from", "to"):
        if "active" in spec:
            ctx.column(["check", KIND, "active", end], spec["active"][end])


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    periods = periods_touching(spec["every"], ctx.period.first, ctx.period.last)
    anchor = _anchors(spec["due"], periods)
    due, beyond_calendar = _deadlines(spec["due"], anchor, ctx)
    judged = _judged(spec, scope, periods, due, beyond_calendar, anchor, ctx)
    entity, period = np.nonzero(judged)
    first_at, doubtful = _submissions(spec, scope, periods, ctx)
    cell = entity * len(periods) + period
    beyond = beyond_calendar[period]
    # A deadline the calendar cannot tell is still no earlier than the end of its anchor day.
    surely_by = np.where(beyond_calendar, day_ends(anchor, ctx.tz), due)[period]
    on_time = (first_at[cell] != NAT) & (first_at[cell] <= surely_by)
    unusable = ~on_time & (beyond | doubtful[cell])
    late = first_at[cell] != NAT
    codes = np.array([p.code for p in periods], dtype=object)[period]
    frame = outcome_frame(scope[entity], True, ~on_time, unusable, np.where(beyond, "calendar_range", "unreadable_row"),
                          np.where(late, "late", "missing"), codes,
                          {"due": ("time", np.where(beyond, NAT, due[period])), "submitted_at": ("time", first_at[cell])})
    frame[PART] = codes
    return frame


def _anchors(due: dict, periods: list[Period]) -> np.ndarray:
    """The day each period's deadline counts from: the day before it starts, or its last day."""
    return np.array([p.first - dt.timedelta(days=1) if due["at"] == "start" else p.last for p in periods],
                    dtype="datetime64[D]")


def _deadlines(due: dict, anchor: np.ndarray, ctx) -> tuple[np.ndarray, np.ndarray]:
    """Each period's deadline (the last instant of its deadline day, microseconds UTC), and
    whether the work calendar cannot tell it."""
    if "workdays" not in due:
        days = param_or_number(due.get("days", 0), ctx.params)
        return day_ends(anchor + np.timedelta64(days, "D"), ctx.tz), np.zeros(len(anchor), bool)
    noon = as_times(day_ends(anchor, ctx.tz) - US_PER_DAY // 2, ctx.tz)
    n = param_or_number(due["workdays"], ctx.params)
    return instants(ctx.calendar.deadline(noon, n)), ctx.calendar.outside(noon, n)


def _judged(spec: dict, scope: np.ndarray, periods: list[Period], due: np.ndarray, beyond_calendar: np.ndarray,
            anchor: np.ndarray, ctx) -> np.ndarray:
    """Entity x period: which entity-periods are judged: due by the as-of time (a deadline the
    calendar cannot tell, once its anchor day is over), and while the entity is active."""
    as_of = instants(pd.Series([ctx.as_of]))[0]
    due_now = np.where(beyond_calendar, day_ends(anchor, ctx.tz) <= as_of, due <= as_of)
    judged = np.broadcast_to(due_now, (len(scope), len(periods))).copy()
    if "active" in spec:
        table = ctx.tables[ctx.rule.applies_to]
        start = local_days(table[spec["active"]["from"]].iloc[scope], ctx.tz)[:, None]
        end = local_days(table[spec["active"]["to"]].iloc[scope], ctx.tz)[:, None]
        due_day = np.where(beyond_calendar, anchor, _local_day_of(due, ctx.tz))
        for day in (np.array([p.first for p in periods], dtype="datetime64[D]"), due_day):
            judged &= (np.isnat(start) | (start <= day)) & (np.isnat(end) | (day <= end))
    return judged


def _local_day_of(instant: np.ndarray, tz: str | None) -> np.ndarray:
    return local_days(as_times(instant, tz), tz)


def _submissions(spec: dict, scope: np.ndarray, periods: list[Period], ctx) -> tuple[np.ndarray, np.ndarray]:
    """Per entity x period cell (flattened): the earliest readable submission (NAT: none), and
    whether some submission of the entity that could belong there cannot be read."""
    name, cells = spec["table"], len(scope) * len(periods)
    table = ctx.tables[name]
    entity = np.full(len(ctx.tables[ctx.rule.applies_to]), -1, dtype=np.int64)
    entity[scope] = np.arange(len(scope))
    owner = ctx.tables.code(name, spec["by"], len(table))
    rows = np.flatnonzero(owner >= 0)
    rows = rows[entity[owner[rows]] >= 0]
    owner = entity[owner[rows]]
    holds, unknown = where_on_rows(spec.get("where"), name, rows, ctx)
    at = instants(table[spec["at"]].iloc[rows])
    if "period" in spec:
        period, unreadable = positions_of_codes(spec["every"], table[spec["period"]].iloc[rows], periods)
    else:
        period = positions_of_days(spec["every"], local_days(table[spec["at"]].iloc[rows], ctx.tz), periods)
        unreadable = at == NAT
    counted = holds & (period >= 0) & (at != NAT)
    first_at = np.full(cells, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_at, owner[counted] * len(periods) + period[counted], at[counted])
    first_at[first_at == np.iinfo(np.int64).max] = NAT
    doubtful = np.zeros(cells, dtype=bool)
    placed = (period >= 0) & ~counted & (holds | unknown)
    doubtful[owner[placed] * len(periods) + period[placed]] = True
    anywhere = np.zeros(len(scope), dtype=bool)
    anywhere[owner[unreadable & (holds | unknown)]] = True
    return first_at, doubtful | np.repeat(anywhere, len(periods))
