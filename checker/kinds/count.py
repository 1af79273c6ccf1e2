"""The number of matching records is {arg}.

The in-scope records of the judged table are counted: all together (one record keyed
`all`), per value of the `per` field (one record per value, keyed by it; `groups` names
values that must appear, so a group with no records is counted as 0), or with `per: day`,
per day of the audit period up to the as-of day, counting the records active that day
(`active: {from, to}`: date fields, an empty one open-ended; runs of consecutive days with
the same count are one record, keyed `first..last`). A count below `min` is `too_few`, above
`max` is `too_many` (bounds are numbers or params.NAME). Every record is activated.

A record whose scope cannot be decided, or whose group or dates are empty, may or may not be
counted: a count is not evaluable when the verdict depends on such records. The records of
this kind are groups, so a count rule has no owner.

Options: per (a field, or day; optional), groups (with a field; optional), active (with day),
min, max (at least one).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import PART, outcome_frame, param_or_number
from ._dates import local_days

KIND = "count"
TAKES_UNDECIDED = True   # it counts the records the scope could not decide itself
_BOUND = {"oneOf": [{"type": "integer", "minimum": 0},
                    {"type": "string", "pattern": "^params\\.[A-Za-z_][A-Za-z0-9_]*$"}]}
SCHEMA = {
    "type": "object", "additionalProperties": False, "anyOf": [{"required": ["min"]}, {"required": ["max"]}],
    "description": "The number of in-scope records, overall, per group or per day, lies within bounds",
    "properties": {
        "per": {"type": "string", "description": "A field to count per value of, or day"},
        "groups": {"oneOf": [{"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                             {"type": "string", "pattern": "^params\\.[A-Za-z_][A-Za-z0-9_]*$"}],
                   "description": "Values of the field that must appear (counted as 0 when absent)"},
        "active": {"type": "object", "additionalProperties": False, "required": ["from", "to"],
                   "description": "With per: day, the date fields between which a record counts",
                   "properties": {"from": {"type": "string"}, "to": {"type": "string"}}},
        "min": _BOUND, "max": _BOUND,
    },
}
MESSAGES = {
    "too_few": {"zh": "符合条件的记录数少于下限 {min}", "en": "fewer matching records than the minimum of {min}"},
    "too_many": {"zh": "符合条件的记录数多于上限 {max}", "en": "more matching records than the maximum of {max}"},
}
REASONS = {"undecided_rows": {"en": "records that may or may not count (an empty field) decide the count",
                              "zh": "可能计入也可能不计入的记录(字段为空)会改变计数结论"}}
NEEDS = ("option:per", "option:active")
EXAMPLE = """
id: ORG-001
title: {zh: 每天有且只有一名在职经理, en: Exactly one manager is in post on every day}
clause: "2.1.1"
severity: high
applies_to: employees
when: role == "sales_manager"
check:
  count: {per: day, active: {from: active_from, to: active_to}, min: 1, max: 1}
tests:
  - name: a gap between two managers, and a week with two
    as_of: "2025-03-31"
    data:
      employees:
        - {id: E1, role: sales_manager, active_to: "2025-01-31"}
        - {id: E2, role: sales_manager, active_from: "2025-02-10", active_to: "2025-03-07"}
        - {id: E3, role: sales_manager, active_from: "2025-03-01"}
        - {id: E4, role: sales_rep}
    expect: [2025-02-01..2025-02-09, 2025-03-01..2025-03-07]
"""


def validate(spec: dict, ctx) -> None:
    if ctx.rule.owner:
        ctx.report(["owner"], "a count rule judges groups of records, which have no owner; remove owner",
                   "owner-of-group")
    per = spec.get("per")
    if per == "day":
        if "active" not in spec:
            ctx.report(["check", KIND, "per"], "per: day counts the records active on each day; "
                                               "add active: {from: FIELD, to: FIELD}", "missing-active")
        for end in ("from", "to"):
            if "active" in spec:
                ctx.column(["check", KIND, "active", end], spec["active"][end])
    elif per is not None:
        ctx.column(["check", KIND, "per"], per)
    if "groups" in spec and per in (None, "day"):
        ctx.report(["check", KIND, "groups"], "groups name values of a field; add per: FIELD", "option-without-per")
    if "active" in spec and per != "day":
        ctx.report(["check", KIND, "active"], "active dates count records per day; add per: day", "option-without-per")
    for bound in ("min", "max", "groups"):
        if isinstance(spec.get(bound), str):
            ctx.param(["check", KIND, bound], spec[bound].removeprefix("params."))


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    undecided = ctx.undecided
    if spec.get("per") == "day":
        keys, low, high = _per_day(spec, scope, undecided, ctx)
    elif spec.get("per"):
        keys, low, high = _per_group(spec, scope, undecided, ctx)
    else:
        keys = np.array(["all"], dtype=object)
        low, high = np.array([len(scope)]), np.array([len(scope) + len(undecided)])
    lowest, highest = _bound(spec, "min", ctx, 0), _bound(spec, "max", ctx, np.iinfo(np.int64).max)
    # Every count from low to high is possible: the verdict is sure only when they all agree.
    surely_passes = (low >= lowest) & (high <= highest)
    surely_fails = (high < lowest) | (low > highest)
    frame = outcome_frame(np.full(len(keys), -1, dtype=np.int64), True, ~surely_passes,
                          ~surely_passes & ~surely_fails, "undecided_rows",
                          np.where(low > highest, "too_many", "too_few"), None,
                          {"count": ("value", low.astype(object))})
    frame[PART] = keys
    return frame


def _bound(spec: dict, name: str, ctx, default: int) -> int:
    return param_or_number(spec.get(name, default), ctx.params)


def _per_group(spec: dict, scope: np.ndarray, undecided: np.ndarray, ctx):
    """Counts per value of the field: the sure ones, and at most with the undecided records
    (and, for every group, the records whose field is empty)."""
    values = ctx.tables[ctx.rule.applies_to][spec["per"]].astype(object)
    groups = spec.get("groups", [])
    named = ctx.params[groups.removeprefix("params.")] if isinstance(groups, str) else groups
    sure, maybe = values.iloc[scope], values.iloc[undecided]
    keys = np.array(sorted(set(sure.dropna().astype(str)) | set(maybe.dropna().astype(str))
                           | {str(g) for g in named}), dtype=object)
    low = _tally(sure.dropna().astype(str), keys)
    unknown_group = int(sure.isna().sum() + maybe.isna().sum())
    return keys, low, low + _tally(maybe.dropna().astype(str), keys) + unknown_group


def _tally(values: pd.Series, keys: np.ndarray) -> np.ndarray:
    counts = values.value_counts()
    return np.array([int(counts.get(k, 0)) for k in keys], dtype=np.int64)


def _per_day(spec: dict, scope: np.ndarray, undecided: np.ndarray, ctx):
    """Counts per day of the audit period, as runs of days with equal counts."""
    first = np.datetime64(ctx.period.first, "D")
    last = min(np.datetime64(ctx.period.last, "D"), local_days(pd.Series([ctx.as_of]), ctx.tz)[0])
    days = int((last - first).astype(int)) + 1
    if days <= 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    table = ctx.tables[ctx.rule.applies_to]
    start = local_days(table[spec["active"]["from"]], ctx.tz)
    end = local_days(table[spec["active"]["to"]], ctx.tz)
    low = _active_per_day(start[scope], end[scope], first, days)
    high = low + _active_per_day(start[undecided], end[undecided], first, days)
    change = np.flatnonzero(np.append(True, (low[1:] != low[:-1]) | (high[1:] != high[:-1])))
    ends = np.append(change[1:], days) - 1
    labels = [f"{first + int(a)}..{first + int(b)}" for a, b in zip(change, ends)]
    return np.array(labels, dtype=object), low[change], high[change]


def _active_per_day(start: np.ndarray, end: np.ndarray, first: np.datetime64, days: int) -> np.ndarray:
    """How many of the records are active on each day (an empty date is open-ended)."""
    begin = np.where(np.isnat(start), 0, (start - first).astype("timedelta64[D]").astype(np.int64))
    finish = np.where(np.isnat(end), days - 1, (end - first).astype("timedelta64[D]").astype(np.int64))
    begin, finish = np.clip(begin, 0, days), np.clip(finish, -1, days - 1)
    live = begin <= finish
    steps = np.zeros(days + 1, dtype=np.int64)
    np.add.at(steps, begin[live], 1)
    np.add.at(steps, finish[live] + 1, -1)
    return np.cumsum(steps[:-1])
