"""The number of matching records is {arg}.

The in-scope records of the judged table are counted: all together (one record keyed
`all`), per value of the `per` field (one record per value, keyed by it; `groups` names
values that must appear, so a group with no records is counted as 0), or with `per: day`,
per day of the audit period up to the as-of day, counting the records active that day
(`active: {from, to}`: date fields, an empty one open-ended; runs of consecutive days with
the same count are one record, keyed `first..last`). A count below `min` is `too_few`, above
`max` is `too_many` (bounds are numbers or params.NAME). Every record is activated.

A record whose scope cannot be decided, or whose group or dates are empty, may or may not be
counted: a count is not evaluable when the verdict depends on such records. A record without
a key (a data-quality finding) cannot be told from the others and may repeat one of them: it
is left out of the count, the evidence `left_out` says how many such records could have
counted, and a count whose verdict they could change is not evaluable. The records of this
kind are groups, so a count rule has no owner.

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
                              "zh": "可能计入也可能不计入的记录(字段为空)会改变计数结论"},
           "keyless_rows": {"en": "records without a key, left out of the count (they may repeat others), decide it",
                            "zh": "缺少编号的记录未计入(可能与其他记录重复),但会改变计数结论"}}
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
    # A record without a key cannot be told apart from the others (it may repeat one of them):
    # it is left out of the count, and may or may not count like an undecided one.
    keyless = np.isin(scope, ctx.tables.keyless.get(ctx.rule.applies_to, scope[:0]))
    sure, maybes = scope[~keyless], (ctx.undecided, scope[keyless])
    if spec.get("per") == "day":
        keys, low, (undecided, left_out) = _per_day(spec, sure, maybes, ctx)
    elif spec.get("per"):
        keys, low, (undecided, left_out) = _per_group(spec, sure, maybes, ctx)
    else:
        keys, low = np.array(["all"], dtype=object), np.array([len(sure)])
        undecided, left_out = (np.array([len(rows)]) for rows in maybes)
    lowest, highest = _bound(spec, "min", ctx, 0), _bound(spec, "max", ctx, np.iinfo(np.int64).max)
    # Every count from low to high is possible: the verdict is sure only when they all agree.
    passes, fails = _sure_verdicts(low, low + undecided + left_out, lowest, highest)
    decided_without_keyless = np.logical_or(*_sure_verdicts(low, low + undecided, lowest, highest))
    evidence = {"count": ("value", low.astype(object))}
    if keyless.any():
        evidence["left_out"] = ("value", left_out.astype(object))
    frame = outcome_frame(np.full(len(keys), -1, dtype=np.int64), True, ~passes, ~passes & ~fails,
                          np.where(decided_without_keyless, "keyless_rows", "undecided_rows"),
                          np.where(low > highest, "too_many", "too_few"), None, evidence)
    frame[PART] = keys
    return frame


def _sure_verdicts(low: np.ndarray, high: np.ndarray, lowest: int, highest: int) -> tuple[np.ndarray, np.ndarray]:
    """Where every count from low to high passes, and where every one fails."""
    return (low >= lowest) & (high <= highest), (high < lowest) | (low > highest)


def _bound(spec: dict, name: str, ctx, default: int) -> int:
    return param_or_number(spec.get(name, default), ctx.params)


def _per_group(spec: dict, sure: np.ndarray, maybes: tuple[np.ndarray, ...], ctx):
    """Counts per value of the field: the sure ones, and how many more each set of `maybes`
    could add (its records of the group, and in every group those whose field is empty; a
    sure record with an empty field is one more the first set, the undecided, could add)."""
    values = ctx.tables[ctx.rule.applies_to][spec["per"]].astype(object)
    groups = spec.get("groups", [])
    named = ctx.params[groups.removeprefix("params.")] if isinstance(groups, str) else groups
    parts = [values.iloc[rows] for rows in (sure, *maybes)]
    keys = np.array(sorted(set().union(*(set(part.dropna().astype(str)) for part in parts)) | {str(g) for g in named}),
                    dtype=object)
    low = _tally(parts[0].dropna().astype(str), keys)
    extra = [_tally(part.dropna().astype(str), keys) + int(part.isna().sum()) for part in parts[1:]]
    extra[0] += int(parts[0].isna().sum())
    return keys, low, extra


def _tally(values: pd.Series, keys: np.ndarray) -> np.ndarray:
    counts = values.value_counts()
    return np.array([int(counts.get(k, 0)) for k in keys], dtype=np.int64)


def _per_day(spec: dict, sure: np.ndarray, maybes: tuple[np.ndarray, ...], ctx):
    """Counts per day of the audit period, and how many more each set of `maybes` could add,
    as runs of days where none of them changes."""
    first = np.datetime64(ctx.period.first, "D")
    last = min(np.datetime64(ctx.period.last, "D"), local_days(pd.Series([ctx.as_of]), ctx.tz)[0])
    days = int((last - first).astype(int)) + 1
    if days <= 0:
        none = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=object), none, [none for _ in maybes]
    table = ctx.tables[ctx.rule.applies_to]
    start = local_days(table[spec["active"]["from"]], ctx.tz)
    end = local_days(table[spec["active"]["to"]], ctx.tz)
    daily = np.stack([_active_per_day(start[rows], end[rows], first, days) for rows in (sure, *maybes)])
    change = np.flatnonzero(np.append(True, (daily[:, 1:] != daily[:, :-1]).any(axis=0)))
    ends = np.append(change[1:], days) - 1
    labels = [f"{first + int(a)}..{first + int(b)}" for a, b in zip(change, ends)]
    return np.array(labels, dtype=object), daily[0][change], list(daily[1:, change])


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
