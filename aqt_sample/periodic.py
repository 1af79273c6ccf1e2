"""The plans and reports each filer owes, period by period, and the ones the sample misses: the
answer key of the pack's periodic rules (PLAN, RPT), worked out from the generator's own filings.

A period is owed when the filer is employed on its first day and on its deadline day; it is missed
when no filing of its type names it by the deadline (the end of the day before the period starts,
or of the given day after it ends); one whose deadline is after the as-of time is not due yet.
Keys are `employee id/period`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .planning import PERIOD_TYPES, Filings
from .state import Expect, Sample
from .workdays import DAY


@dataclass(frozen=True)
class Duty:
    table: str                  # "plans" or "reports"
    roles: tuple[str, ...]
    period_type: str            # "year", "quarter" or "month"
    days_after_end: int | None  # None: due before the period starts


def duties(report_due_days: int) -> dict[str, Duty]:
    return {
        "PLAN-001": Duty("plans", ("sales_manager",), "year", None),
        "PLAN-002": Duty("plans", ("sales_manager",), "quarter", None),
        "PLAN-003": Duty("plans", ("sales_manager",), "month", None),
        "PLAN-004": Duty("plans", ("sales_supervisor", "sales_rep"), "month", None),
        "RPT-001": Duty("reports", ("sales_manager",), "month", report_due_days),
        "RPT-002": Duty("reports", ("sales_supervisor",), "month", report_due_days),
        "RPT-003": Duty("reports", ("sales_rep",), "month", report_due_days),
    }


def missed_filings(sample: Sample, ids: np.ndarray, report_due_days: int) -> list[Expect]:
    """One Expect per periodic rule, its index holding the finding keys."""
    return [Expect(rule, "keys", np.array(_missed(sample, ids, duty), dtype=object))
            for rule, duty in duties(report_due_days).items()]


def _missed(s: Sample, ids: np.ndarray, duty: Duty) -> list[str]:
    filings: Filings = getattr(s, duty.table)
    wanted = filings.period_type == PERIOD_TYPES.index(duty.period_type)
    keys = []
    for label, first, last in _periods(s.cal.epoch.year, duty.period_type):
        start, end = s.cal.day_of(first), s.cal.day_of(last)
        due_day = start - 1 if duty.days_after_end is None else end + duty.days_after_end
        deadline = (due_day + 1) * DAY
        if deadline > s.cal.as_of:
            continue
        in_time = wanted & (filings.period == label) & (filings.t < deadline)
        for e, role in enumerate(s.roster.roles):
            employed = s.roster.start[e], s.roster.end[e]
            owed = role in duty.roles and all(employed[0] <= day <= employed[1] for day in (start, due_day))
            if owed and not np.any(in_time & (filings.employee == e)):
                keys.append(f"{ids[e]}/{label}")
    return keys


def _periods(year: int, kind: str) -> list[tuple[str, date, date]]:
    months = [(date(year, m, 1), date(year + (m == 12), m % 12 + 1, 1)) for m in range(1, 13)]
    day_before = [(first, date.fromordinal(after.toordinal() - 1)) for first, after in months]
    if kind == "month":
        return [(f"{year}-{first.month:02d}", first, last) for first, last in day_before]
    if kind == "quarter":
        return [(f"{year}-Q{q + 1}", day_before[3 * q][0], day_before[3 * q + 2][1]) for q in range(4)]
    return [(str(year), day_before[0][0], day_before[11][1])]
