"""'{if}' was not followed by '{then}' in time.

Response: for each case in scope, EVERY occurrence of step `if` must be followed by a `then`
strictly later (ties do not count, unless `ties: in_order`); with `within`, that next `then` must come no later than
the deadline: `days` counts calendar days after the `if` day, the day of the `if` not
counted (as 民法典 art. 201 does), `workdays` counts work days of the calendar after the `if`
day; either way the deadline is the end of the last day counted, in the run's time zone (0
means the end of the `if` day itself); `hours` counts hours from the `if` instant itself. An `if`
with no `then` yet is a violation only once its deadline is before the as-of time. Without
`within` there is no deadline to wait for: an `if` that no `then` follows in the export is a
violation at once, never "still open" at the as-of day (give `within` where an answer may
still come). A case with no `if` passes without being activated.

`then` may be a set of steps, any of which answers: `then: [O_RETURNED, O_CANCELLED]`. With
`ties: in_order`, a `then` at the same instant as the `if` follows it (the default,
`not_in_order`, keeps "strictly later"). With `then_where`, a condition on the events (it may
read related tables: `recipient.role == "sales_manager"`), only the `then` events that meet it
answer: "escalated to the sales manager, unless paid" is
`then: [payment_received, payment_escalated]` with
`then_where: step == "payment_received" or recipient.role == "sales_manager"`.

With `of: fields`, `if` and `then` name two time fields of each judged record instead of steps
(a complaint's received_at and first_response_at): the record's one `then` answers its one `if`.
An empty `if` means the record was not triggered; an empty `then`, that no answer came yet. A
`then` timed strictly before its own `if` (a complaint answered before it was received) cannot be
true: the record is not evaluable, never passed or failed, and its `then` cell is a data-quality
finding (kind `answer_before_trigger`, with the file, row and column of the answer), so the broken
record is listed with the other unusable data.

On partial data: a case whose event log cannot be trusted is not evaluable, since an
unreadable event may be a trigger or an answer. A case that fails on the answers that surely
meet `then_where` but would pass if the events whose condition reads an empty field (say an
escalation without its recipient) met it too is not evaluable.

Options: if (step, or field), then (step or steps, or field), within ({days: N}, {workdays: N} or
{hours: N}; N a number or params.NAME), ties, then_where (optional), of (events, the default, or
fields).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.findings import findings_frame
from ..load.keys import ROW
from ..ordering import case_time_order, run_starts
from ..views import LATEST, NAT, as_times, instants
from ..expr import compile_expression
from ._common import (AMOUNT, STEPS, TIES, case_outcomes, check_steps, events_of, last_of, outcome_frame,
                      param_or_number, scatter, step_set, where_on_rows)
from ._dates import day_ends, local_days

US_PER_HOUR = 3_600_000_000

KIND = "response"
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["if", "then"],
    "description": "Each `if` is followed by a later `then`, optionally within a deadline",
    "properties": {
        "if": {"type": "string", "description": "The triggering step (with of: fields, a time field of the record)"},
        "then": {**STEPS, "description": "The step that must follow each trigger (or a set: any of them; with "
                                          "of: fields, the record's time field of the answer)"},
        "of": {"enum": ["events", "fields"],
               "description": "What if and then name: steps of the event log (default) or the record's time fields"},
        "ties": TIES,
        "then_where": {"type": "string", "description": "Which `then` events answer (a condition on the events)"},
        "within": {"type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
                   "description": "Deadline: calendar days, work days or hours (a number or params.NAME)",
                   "properties": {"days": AMOUNT, "workdays": AMOUNT, "hours": AMOUNT}},
    },
}
MESSAGES = {
    "late": {"zh": "“{if}”之后未在期限内完成“{then}”", "en": "'{then}' did not follow '{if}' within the deadline"},
    "missing": {"zh": "“{if}”之后没有“{then}”", "en": "'{if}' was never followed by '{then}'"},
}
REASONS = {
    "answer_before_trigger": {"en": "its answer is timed before its trigger, which cannot be: the times are wrong",
                              "zh": "响应时间早于触发时间,不可能成立:时间记录有误"},
    "unreadable_answer": {"en": "an event that could answer reads an empty field in the answer's condition",
                          "zh": "某条可能构成响应的活动在响应条件所需字段上为空"},
}
NEEDS = ("event_log", "calendar")
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
    if spec.get("of") == "fields":
        _validate_fields(spec, ctx)
        return
    if not ctx.needs_event_log():
        return
    ctx.step(["check", KIND, "if"], spec["if"])
    check_steps(ctx, ["check", KIND, "then"], spec["then"])
    _validate_within(spec, ctx)
    if "then_where" in spec:
        ctx.expression(["check", KIND, "then_where"], spec["then_where"], table=ctx.model.event_log.table)


def _validate_within(spec: dict, ctx) -> None:
    for unit, amount in spec.get("within", {}).items():
        if isinstance(amount, str):
            value = ctx.param(["check", KIND, "within", unit], amount.removeprefix("params."))
            if value is not None and not (isinstance(value, int) and value >= 0):
                ctx.report(["check", KIND, "within", unit], f"param '{amount}' must be a whole number of {unit}",
                           "bad-param")


def _validate_fields(spec: dict, ctx) -> None:
    """if and then are time fields of the judged table; then_where reads events, so it has no place."""
    for side in ("if", "then"):
        path, name = ["check", KIND, side], spec[side]
        if not isinstance(name, str):
            ctx.report(path, "with of: fields, name one time field", "bad-value")
        elif ctx.column(path, name) and ctx.model.tables[ctx.rule.applies_to].columns[name].type != "datetime":
            ctx.report(path, f"'{name}' is not a time field", "bad-type")
    if "then_where" in spec:
        ctx.report(["check", KIND, "then_where"], "then_where reads events: it does not go with of: fields",
                   "bad-value")
    _validate_within(spec, ctx)


def reads(spec: dict, model, params: dict) -> list[tuple[str, set[str]]]:
    """The fields of the event log that the answers' condition reads."""
    if "then_where" not in spec or spec.get("of") == "fields":
        return []
    table = model.event_log.table
    return [(table, compile_expression(spec["then_where"], model.expr_columns(table), params, None,
                                       "boolean").columns)]


def evaluate(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    if spec.get("of") == "fields":
        return _on_fields(spec, scope, ctx)
    if not spec.get("within") and "then_where" not in spec:
        return _without_deadline(spec, scope, ctx)
    views = ctx.views
    trigger = views.occurrences_in(spec["if"], scope)
    case, at = trigger.case, trigger.time
    answer = events_of(views, step_set(spec["then"]))
    surely, maybe = where_on_rows(spec.get("then_where"), ctx.model.event_log.table, answer.row, ctx)
    tie_follows = spec.get("ties") == "in_order"
    due, unknowable = _deadline(at, spec.get("within"), ctx)
    next_at = _next_answer(case, at, answer.case[surely], answer.time[surely], tie_follows)
    late, open_past_due = _failures(next_at, due, ctx)
    bad = np.flatnonzero(late | open_past_due)
    first_bad = bad[run_starts(case[bad])]        # triggers run in case-then-time order
    cases = case[first_bad]
    n = views.cases
    violated = scatter(n, cases, True, False)[scope]
    detail = scatter(n, cases, np.where(late[first_bad], "late", "missing"), None)[scope]
    activated = scatter(n, case, True, False)[scope]
    reason = np.empty(len(scope), dtype=object)
    reason.fill("calendar_range")      # one text shared: np.full would make one per record
    unusable = scatter(n, case[unknowable], True, False)[scope]
    if maybe.any():
        doubtful = violated & ~_fails_with(case, at, due, answer, surely | maybe, tie_follows, ctx)[scope]
        reason[doubtful & ~unusable] = "unreadable_answer"
        unusable |= doubtful
    return case_outcomes(scope, ctx, activated, violated, detail, None,
                         {f"{spec['if']}.at": ("time", scatter(n, cases, at[first_bad], NAT)[scope]),
                          "deadline": ("time", scatter(n, cases, due[first_bad], NAT)[scope]),
                          f"{_name(spec['then'])}.next_at": ("time", scatter(n, cases, next_at[first_bad], NAT)[scope])},
                         also_unusable=unusable, also_reason=reason)


def _on_fields(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    """Each record's own `then` time against its own `if` time (see the module's docs)."""
    table = ctx.tables[ctx.rule.applies_to]
    at, answer = (instants(table[spec[side]])[scope] for side in ("if", "then"))
    activated = at != NAT
    early = activated & (answer != NAT) & (answer < at)
    follows = activated & (answer != NAT) & ((answer > at) | ((answer == at) & (spec.get("ties") == "in_order")))
    due, unknowable = np.full(len(scope), NAT, dtype=np.int64), np.zeros(len(scope), dtype=bool)
    due[activated], unknowable[activated] = _deadline(at[activated], spec.get("within"), ctx)
    late, open_past_due = _failures(np.where(follows, answer, NAT), due, ctx)
    violated = activated & ~early & (late | open_past_due)
    reason = np.where(early, "answer_before_trigger", "calendar_range")
    return outcome_frame(scope, activated, violated, early | unknowable, reason,
                         np.where(late, "late", "missing"), None,
                         {f"{spec['if']}.at": ("time", np.where(violated, at, NAT)),
                          "deadline": ("time", np.where(violated, due, NAT)),
                          f"{spec['then']}.next_at": ("time", np.where(violated & follows, answer, NAT))})


def findings(spec: dict, reported: pd.DataFrame, table: str, tables, source_of) -> pd.DataFrame | None:
    """With of: fields, the records whose answer is timed before their trigger, as data-quality
    findings on the answer's cell (source_of(table, column) gives the export file and column)."""
    if spec.get("of") != "fields":
        return None
    early = reported.index.to_numpy()[(reported["reason"] == "answer_before_trigger").to_numpy(dtype=bool)]
    if not len(early):
        return None
    frame = tables[table]
    file, column = source_of(table, spec["then"])
    trigger_column = source_of(table, spec["if"])[1]
    answers, triggers = (frame[spec[side]].iloc[early] for side in ("then", "if"))
    shown = [t.isoformat(sep=" ") for t in answers]
    messages = [f"{column} {answer} is before {trigger_column} {trigger.isoformat(sep=' ')}, which cannot be; "
                f"rules that compare the two cannot judge the record (correct either time)"
                for answer, trigger in zip(shown, triggers)]
    return findings_frame(table, file, frame[ROW].to_numpy()[early], column, shown, "answer_before_trigger", messages)


def _failures(next_at: np.ndarray, due: np.ndarray, ctx) -> tuple[np.ndarray, np.ndarray]:
    """Per trigger: answered after its deadline, and unanswered with the deadline past (or none)."""
    late = (next_at != NAT) & (due != NAT) & (next_at > due)
    open_past_due = (next_at == NAT) & ((due == NAT) | (due < ctx.as_of.value // 1000))
    return late, open_past_due


def _fails_with(case: np.ndarray, at: np.ndarray, due: np.ndarray, answer, counted: np.ndarray,
                tie_follows: bool, ctx) -> np.ndarray:
    """Per case of the event log, whether some trigger fails when the `counted` answers answer."""
    next_at = _next_answer(case, at, answer.case[counted], answer.time[counted], tie_follows)
    late, open_past_due = _failures(next_at, due, ctx)
    return scatter(ctx.views.cases, case[late | open_past_due], True, False)


def _without_deadline(spec: dict, scope: np.ndarray, ctx) -> pd.DataFrame:
    """Without a deadline only the last answer matters: the triggers it does not follow are
    those at or after it (all of them when there is none), and the first of those is the
    violation shown. Column arithmetic on the step table, no ordering of events."""
    views = ctx.views
    trigger, last_answer = views.events(spec["if"]), last_of(views, step_set(spec["then"]))
    # NAT is below every time.
    unanswered = trigger.time > last_answer[trigger.case] if spec.get("ties") == "in_order" else \
        trigger.time >= last_answer[trigger.case]
    first_unanswered = np.full(views.cases, LATEST, dtype=np.int64)
    np.minimum.at(first_unanswered, trigger.case[unanswered], trigger.time[unanswered])
    violated = first_unanswered[scope] != LATEST
    none = np.full(len(scope), NAT, dtype=np.int64)
    return case_outcomes(scope, ctx, views.stats(spec["if"]).count[scope] > 0, violated, "missing", None,
                         {f"{spec['if']}.at": ("time", np.where(violated, first_unanswered[scope], NAT)),
                          "deadline": ("time", none), f"{_name(spec['then'])}.next_at": ("time", none)})


def _name(then: str | list[str]) -> str:
    return "|".join(step_set(then))


def _next_answer(case: np.ndarray, at: np.ndarray, answer_case: np.ndarray, answer_at: np.ndarray,
                 tie_follows: bool) -> np.ndarray:
    """For each trigger, the time of the first answer of its case strictly later (at the same
    time or later when a tie follows; NAT when none).

    Triggers and answers are merged in case-time order with answers first among equals (last
    when a tie follows), so the next answer after a trigger in that order is the one sought."""
    both_case, both_at = np.concatenate([answer_case, case]), np.concatenate([answer_at, at])
    is_trigger = np.concatenate([np.zeros(len(answer_case), dtype=bool), np.ones(len(case), dtype=bool)])
    order = case_time_order(both_case, both_at, ~is_trigger if tie_follows else is_trigger)
    total = len(order)
    position = np.where(is_trigger[order], total, np.arange(total))
    following = np.minimum.accumulate(position[::-1])[::-1]
    following = np.append(following[1:], total)
    triggers = np.flatnonzero(is_trigger[order])
    j = following[triggers]
    sorted_case, sorted_at = both_case[order], np.append(both_at[order], NAT)
    found = (j < total) & (sorted_case[np.minimum(j, total - 1)] == sorted_case[triggers])
    out = np.empty(len(case), dtype=np.int64)
    out[order[triggers] - len(answer_case)] = np.where(found, sorted_at[j], NAT)
    return out


def _deadline(at: np.ndarray, within: dict | None, ctx) -> tuple[np.ndarray, np.ndarray]:
    """Each trigger's deadline (NAT without one), and where the work calendar cannot tell it."""
    none = np.zeros(len(at), dtype=bool)
    if not within:
        return np.full(len(at), NAT, dtype=np.int64), none
    unit, amount = next(iter(within.items()))
    n = param_or_number(amount, ctx.params)
    times = as_times(at, ctx.tz)
    if unit == "hours":
        return at + n * US_PER_HOUR, none
    if unit == "days":
        return day_ends(local_days(times, ctx.tz) + np.timedelta64(n, "D"), ctx.tz), none
    return instants(ctx.calendar.deadline(times, n)), ctx.calendar.outside(times, n)
