"""The collection of overdue instalments (policy 3.3.16, second step): an instalment is paid within
the set calendar days of falling overdue, or, when it is not, the sales manager is told of it by
the end of those days; some of those are paid later still.

It is drawn after every other step and case, from a random stream of its own, so that adding it
left the rest of the sample as it was."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .state import CHANNELS, Sample
from .vocab import CHANNELS as STEP_CHANNELS
from .workdays import DAY

WORK_START, LAST_START = 9 * 60, 17 * 60
PAID_IN_TIME_SHARE = 0.5
PAID_FROM_DAY = 5              # the earliest calendar day after falling overdue that a payment comes
TOLD_LEAD_WORKDAYS = (1, 4)    # the manager is told this many work days before the last day allowed
PAID_LATER_SHARE = 0.4         # of the instalments the manager was told of
PAID_LATER_DAYS = (1, 40)      # calendar days after the last day allowed


def last_day_allowed(s: Sample) -> np.ndarray:
    """Per deal, the last calendar day (days from the epoch) by which an overdue instalment is
    paid or the manager told: the day it fell overdue not counted."""
    return s.t[:, S.OVERDUE] // DAY + s.spec.manager_days


def chase_overdue(sample: Sample, rng: np.random.Generator) -> None:
    s, cal = sample, sample.cal
    d = np.flatnonzero(s.has(S.OVERDUE))
    last = last_day_allowed(s)[d]
    paid_in_time = rng.random(d.size) < PAID_IN_TIME_SHARE
    paid_day = s.t[d, S.OVERDUE] // DAY + rng.integers(PAID_FROM_DAY, s.spec.manager_days + 1, d.size)
    # Never inside the supervisor's escalation window (PAY-002), where a payment would stand for
    # the escalation that the cases planted before this were built on.
    paid_day = np.maximum(paid_day, cal.deadline(s.t[d, S.OVERDUE], s.spec.escalation_workdays) // DAY)
    lead = rng.integers(TOLD_LEAD_WORKDAYS[0], TOLD_LEAD_WORKDAYS[1] + 1, d.size)
    told_at = cal.at(np.clip(np.searchsorted(cal.workdays, last) - lead, 0, cal.count - 1),
                     rng.integers(WORK_START, LAST_START + 1, d.size))
    later_day = last + rng.integers(PAID_LATER_DAYS[0], PAID_LATER_DAYS[1] + 1, d.size)
    paid_later = ~paid_in_time & (rng.random(d.size) < PAID_LATER_SHARE)
    paid_at = np.where(paid_in_time, paid_day, later_day) * DAY + rng.integers(WORK_START, LAST_START + 1, d.size)
    channels = np.array([CHANNELS.index(c) for c in STEP_CHANNELS["payment_escalated"]])
    # Near the year's end the manager's turn, or the payment, has not come yet.
    told = ~paid_in_time & (told_at > s.t[d, S.OVERDUE]) & (told_at < cal.as_of)
    paid = (paid_in_time | paid_later) & (paid_at < cal.as_of)
    s.present[d, S.PAID], s.t[d[paid], S.PAID] = paid, paid_at[paid]
    s.actor[d[paid], S.PAID] = s.roster.holder(s.seat[d[paid]], paid_at[paid])
    s.channel[d[paid], S.PAID] = CHANNELS.index("system")
    s.present[d, S.MANAGER_TOLD] = told
    d, told_at = d[told], told_at[told]
    s.t[d, S.MANAGER_TOLD] = told_at
    s.actor[d, S.MANAGER_TOLD] = s.roster.holder(s.seat[d], told_at)
    s.recipient[d, S.MANAGER_TOLD] = s.roster.sales_manager
    s.channel[d, S.MANAGER_TOLD] = channels[rng.integers(channels.size, size=d.size)]
