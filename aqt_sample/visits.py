"""Account follow-ups (回访) by the account's rep, and what the visit rules make of them.

Each account is followed up by phone, e-mail or a visit every two to three months; supervisors
do not visit key accounts on their own, which is the sample's standing gap against 2.2.2.5.
The answer key of the recurrence rules (VIS, FUP) is worked out here from the same events: a
follow-up is due by day N of the year, and then within N days of the last one, until the
as-of day."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted
from .state import CHANNELS, Expect, Prospecting, Sample
from .workdays import DAY

FIRST_WITHIN = (20, 80)      # days into the year of an account's first follow-up
NEXT_WITHIN = (50, 85)       # days between two follow-ups
FOLLOW_UP_CHANNELS = ("phone", "email", "visit")
KEY_VISIT_DAYS = 30
FOLLOW_UP_DAYS = 90
VISIT_TIME = 10 * 60


def follow_up_accounts(sample: Sample, rng: np.random.Generator) -> None:
    cal, customers = sample.cal, sample.customers
    who, days = [], []
    for c in range(customers.count):
        day = int(rng.integers(*FIRST_WITHIN))
        while day < cal.year_days:
            who.append(c)
            days.append(day)
            day += int(rng.integers(*NEXT_WITHIN))
    who = np.array(who, dtype=np.int64)
    t = np.array(days, dtype=np.int64) * DAY + rng.integers(9 * 60, 18 * 60, who.size)
    options = np.array([CHANNELS.index(c) for c in FOLLOW_UP_CHANNELS])
    channel = options[rng.integers(options.size, size=who.size)]
    _add(sample, who, t, sample.roster.holder(customers.seat[who], t), channel)
    sample.customers_used = np.zeros(customers.count, dtype=bool)


def _add(s: Sample, who: np.ndarray, t: np.ndarray, actor: np.ndarray, channel: np.ndarray) -> None:
    p, step = s.prospecting, s.spec.steps.index("customer_visit")
    s.prospecting = Prospecting(np.concatenate([p.customer, who]), np.concatenate([p.step, np.full(who.size, step)]),
                                np.concatenate([p.actor, actor]), np.concatenate([p.t, t]),
                                np.concatenate([p.channel, channel]))


def _free_accounts(s: Sample, rng: np.random.Generator, n: int, mask: np.ndarray) -> np.ndarray:
    free = np.flatnonzero(mask & ~s.customers_used)
    chosen = np.sort(rng.choice(free, size=min(n, free.size), replace=False))
    s.customers_used[chosen] = True
    return chosen


def never_followed_up(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Key accounts nobody followed up all year: no call, no e-mail, no visit, on no deal either."""
    c = _free_accounts(s, rng, n, s.customers.key & ~_unreadable_follow_up(s))
    p = s.prospecting
    keep = ~((p.step == s.spec.steps.index("customer_visit")) & np.isin(p.customer, c))
    s.prospecting = Prospecting(p.customer[keep], p.step[keep], p.actor[keep], p.t[keep], p.channel[keep])
    s.present[np.isin(s.customer, c), S.VISIT] = False
    return c, [Expect("FUP-001", "customers", c)]


def supervisor_visits_on_the_last_day(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A key account its supervisor visits on the last day allowed, every time: compliant."""
    c = _free_accounts(s, rng, n, s.customers.key)
    days = np.arange(KEY_VISIT_DAYS - 1, s.cal.year_days, KEY_VISIT_DAYS)
    who = np.repeat(c, days.size)
    t = np.tile(days, c.size) * DAY + VISIT_TIME
    _add(s, who, t, s.roster.supervisor_of(s.customers.seat[who]), np.full(who.size, CHANNELS.index("visit")))
    return c, []


def lapses(s: Sample) -> list[Expect]:
    """The accounts the recurrence rules find: every key account without supervisor visits on time
    (VIS-001), every account without a follow-up on time (FUP-001)."""
    p, visit = s.prospecting, s.spec.steps.index("customer_visit")
    deal_visit = s.has(S.VISIT)
    customer = np.concatenate([p.customer[p.step == visit], s.customer[deal_visit]])
    t = np.concatenate([p.t[p.step == visit], s.t[deal_visit, S.VISIT]])
    actor = np.concatenate([p.actor[p.step == visit], s.actor[deal_visit, S.VISIT]])
    channel = np.concatenate([p.channel[p.step == visit], s.channel[deal_visit, S.VISIT]])
    supervisor = np.isin(actor, s.roster.supervisors) & (channel == CHANNELS.index("visit"))
    followed = np.isin(channel, [CHANNELS.index(c) for c in FOLLOW_UP_CHANNELS])
    judged = ~_unreadable_follow_up(s)
    key = s.customers.key
    every_customer = s.customers.count
    return [Expect("VIS-001", "customers", np.flatnonzero(key & _lapsed(customer[supervisor], t[supervisor] // DAY,
                                                                         every_customer, KEY_VISIT_DAYS, s.cal.year_days))),
            Expect("FUP-001", "customers", np.flatnonzero(judged & _lapsed(customer[followed], t[followed] // DAY,
                                                                           every_customer, FOLLOW_UP_DAYS, s.cal.year_days)))]


def _unreadable_follow_up(s: Sample) -> np.ndarray:
    """Accounts with an event whose step cannot be read but whose channel is a follow-up's: it might
    be the missing follow-up, so the account is not evaluable (a supervisor's visit it cannot be:
    those steps are all a rep's or logged by the system)."""
    follow_up = np.isin(s.channel, [CHANNELS.index(c) for c in FOLLOW_UP_CHANNELS])
    hit = np.zeros(s.customers.count, dtype=bool)
    for deals, slot, column, _ in s.event_text:
        if column == "step":
            hit[s.customer[deals[follow_up[deals, slot]]]] = True
    return hit


def _lapsed(customer: np.ndarray, day: np.ndarray, customers: int, every: int, year_days: int) -> np.ndarray:
    """Per customer: day `every` - 1 is the first due day; each visit moves it to its own day +
    `every`; lapsed when a visit comes after the day due, or the year ends past it."""
    low = int(day.min(initial=0))
    span = int(day.max(initial=0)) - low + 1
    who, days = np.divmod(np.unique(customer.astype(np.int64) * span + (day - low)), span)
    days = days + low
    first = np.r_[True, who[1:] != who[:-1]] if len(who) else np.zeros(0, dtype=bool)
    due = np.where(first, every - 1, np.r_[0, days[:-1]] + every)     # the day due before each visit
    late = np.zeros(customers, dtype=bool)
    late[who[days > due]] = True
    last = np.r_[first[1:], True] if len(who) else first
    end_due = np.full(customers, every - 1, dtype=np.int64)
    end_due[who[last]] = days[last] + every
    return late | (end_due < year_days)


KINDS = (
    Kind("key_account_never_followed_up", "violation", 8, "重点客户全年未回访", "a key account never followed up all year",
         never_followed_up),
    Kind("supervisor_visits_on_the_last_day", "boundary", 1, "销售主管每30天(最后一天)拜访重点客户(合规)",
         "a key account its supervisor visits on the 30th day each time (compliant)", supervisor_visits_on_the_last_day),
)
