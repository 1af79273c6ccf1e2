"""Planted lapses of the second escalation of an overdue instalment (policy 3.3.16, PAY-003): the
manager never told, told a day late, or the second escalation sent to the supervisor again, and
paid a day late with nobody told; compliant, the manager told late on the last day allowed, and
paid on the last day allowed with a public holiday in between (calendar days count holidays).

These are planted last, on the collection drawn by collection.py. Few overdue instalments are
left that no other case chose, so these take overdue deals whatever else was planted on them:
they change only the payment and the manager's escalation, which no other rule reads. They avoid
the deals with a data defect (those are not evaluable), and each takes a deal whose manager was
told as drawn, before the last day, so no deal is taken twice."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .collection import last_day_allowed
from .planting import Kind, Planted, on_deals, with_defect
from .state import Sample
from .workdays import DAY

EVENING = 21 * 60
MORNING = 9 * 60 + 30


def _told_as_drawn(s: Sample) -> np.ndarray:
    """Deals whose manager was told before the last day allowed, which lies before the year's
    last days (so a day late still falls in the year), without a data defect."""
    last = last_day_allowed(s)
    return (s.has(S.OVERDUE) & s.has(S.MANAGER_TOLD) & (s.recipient[:, S.MANAGER_TOLD] == s.roster.sales_manager)
            & (s.t[:, S.MANAGER_TOLD] < last * DAY) & ((last + 2) * DAY < s.cal.as_of) & ~with_defect(s))


def _take(s: Sample, rng: np.random.Generator, n: int, prefer: np.ndarray | None = None) -> np.ndarray:
    pool = _told_as_drawn(s)
    if prefer is not None and (pool & prefer).any():
        pool &= prefer
    free = np.flatnonzero(pool)
    return np.sort(rng.choice(free, size=min(n, free.size), replace=False))


def _not_paid(s: Sample, d: np.ndarray) -> None:
    s.present[d, S.PAID] = False


def manager_never_told(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n)
    s.present[d, S.MANAGER_TOLD] = False
    _not_paid(s, d)
    return d, [on_deals("PAY-003", d)]


def manager_told_a_day_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n)
    s.retime(d, S.MANAGER_TOLD, (last_day_allowed(s)[d] + 1) * DAY + MORNING)
    _not_paid(s, d)
    return d, [on_deals("PAY-003", d)]


def supervisor_told_again(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n)
    s.recipient[d, S.MANAGER_TOLD] = s.roster.supervisor_of(s.seat[d])
    _not_paid(s, d)
    return d, [on_deals("PAY-003", d)]


def manager_told_on_the_last_day(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n)
    s.retime(d, S.MANAGER_TOLD, last_day_allowed(s)[d] * DAY + EVENING)
    return d, []


def paid_a_day_late_untold(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n)
    _paid_instead(s, d, (last_day_allowed(s)[d] + 1) * DAY + MORNING)
    return d, [on_deals("PAY-003", d)]


def paid_on_the_last_day_across_a_holiday(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, n, prefer=_holiday_inside(s))
    _paid_instead(s, d, last_day_allowed(s)[d] * DAY + EVENING)
    return d, []


def _paid_instead(s: Sample, d: np.ndarray, t: np.ndarray) -> None:
    """Nobody told the manager; the payment came at `t`."""
    s.present[d, S.MANAGER_TOLD] = False
    s.present[d, S.PAID] = True
    s.retime(d, S.PAID, t)


def _holiday_inside(s: Sample) -> np.ndarray:
    """Deals whose days from falling overdue to the last day allowed take in a public holiday
    (a weekday off)."""
    days = np.arange(s.cal.year_days + 1)
    off = ~np.isin(days, s.cal.all_workdays) & (np.array([s.cal.date_of(int(x)).weekday() for x in days]) < 5)
    before = np.concatenate([[0], np.cumsum(off)])
    first = np.clip(s.t[:, S.OVERDUE] // DAY + 1, 0, days.size)
    last = np.clip(last_day_allowed(s) + 1, 0, days.size)
    return before[last] > before[first]


V, B = "violation", "boundary"
KINDS = (
    Kind("manager_never_told", V, 2, "回款逾期超过30日仍未收回,未上报销售经理",
         "an instalment still unpaid 30 days after falling overdue, never escalated to the sales manager",
         manager_never_told),
    Kind("manager_told_a_day_late", V, 1, "逾期后第31日才上报销售经理", "escalated to the sales manager on the 31st day",
         manager_told_a_day_late),
    Kind("supervisor_told_again", V, 1, "逾期30日后再次上报的对象是销售主管而非销售经理",
         "the second escalation sent to the supervisor again, not to the sales manager", supervisor_told_again),
    Kind("paid_a_day_late_untold", V, 1, "逾期后第31日才收回且未上报销售经理",
         "paid on the 31st day after falling overdue, the sales manager never told", paid_a_day_late_untold),
    Kind("manager_told_on_the_last_day", B, 1, "逾期后第30日晚间上报销售经理(合规)",
         "escalated to the sales manager in the evening of the 30th day (compliant)", manager_told_on_the_last_day),
    Kind("paid_on_the_last_day_across_a_holiday", B, 1, "逾期后第30日(其间含法定节假日)收回,无需上报销售经理(合规)",
         "paid on the 30th calendar day after falling overdue, a public holiday in between: no escalation needed "
         "(compliant)", paid_on_the_last_day_across_a_holiday),
)
