"""Planted complaint-handling lapses and complaints handled exactly on the limit."""
from __future__ import annotations

import numpy as np

from .planting import SETTLED_DAYS, Kind, Planted, pick_complaints
from .state import BLANK, Expect, Sample
from .workdays import DAY, HOUR


def _settled(s: Sample) -> np.ndarray:
    c = s.complaints
    return (c.received < s.cal.as_of - SETTLED_DAYS * DAY) & (c.responded >= 0) & (c.resolved >= 0)


def _response_limit(s: Sample) -> int:
    return s.spec.response_hours * HOUR


def _answer(s: Sample, rng: np.random.Generator, n: int, after: int, resolve_after: int | None = None) -> np.ndarray:
    c = s.complaints
    k = pick_complaints(s, rng, _settled(s), n)
    c.responded[k] = c.received[k] + after
    c.resolved[k] = c.received[k] + (resolve_after if resolve_after is not None else
                                     max(after + HOUR, 2 * DAY) + rng.integers(0, 2 * DAY, k.size))
    return k


def never_answered(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    c = s.complaints
    k = pick_complaints(s, rng, _settled(s), n)
    c.responded[k] = c.resolved[k] = BLANK
    return k, [Expect("CPL-001", "complaints", k), Expect("CPL-002", "complaints", k)]


def answered_after_30_hours(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = _answer(s, rng, n, 30 * HOUR)
    return k, [Expect("CPL-001", "complaints", k)]


def answered_a_minute_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = _answer(s, rng, n, _response_limit(s) + 1)
    return k, [Expect("CPL-001", "complaints", k)]


def resolved_after_8_days(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = _answer(s, rng, n, 2 * HOUR, 8 * DAY)
    return k, [Expect("CPL-002", "complaints", k)]


def resolved_at_midnight_after_the_limit(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = _resolved_before_last_day_ends(s, rng, n, 0)
    return k, [Expect("CPL-002", "complaints", k)]


def never_resolved(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = _answer(s, rng, n, 3 * HOUR)
    s.complaints.resolved[k] = BLANK
    return k, [Expect("CPL-002", "complaints", k)]


def answered_before_receipt(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A response logged an hour before the complaint came in cannot be true: CPL-001 cannot
    judge the complaint (the other complaint rules still can)."""
    return _answer(s, rng, n, -HOUR), []


def serious_handled_by_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    c = s.complaints
    k = pick_complaints(s, rng, _settled(s), n)
    c.serious[k] = True
    c.handler[k] = s.roster.supervisor_of(s.seat[c.deal[k]])
    return k, [Expect("CPL-003", "complaints", k)]


def answered_on_the_limit(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    return _answer(s, rng, n, _response_limit(s)), []


def resolved_on_the_last_day(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Resolved in the last minute of the last day counted: more than the limit's days times 24
    hours after receipt, yet in time, since days are calendar days."""
    return _resolved_before_last_day_ends(s, rng, n, 1), []


def _resolved_before_last_day_ends(s: Sample, rng: np.random.Generator, n: int, minutes: int) -> np.ndarray:
    """Complaints resolved `minutes` before the midnight that ends the last calendar day the
    resolution limit counts (the day of receipt not counted)."""
    k = _answer(s, rng, n, 2 * HOUR, 0)
    s.complaints.resolved[k] = (s.complaints.received[k] // DAY + s.spec.resolution_days + 1) * DAY - minutes
    return k


V, B = "violation", "boundary"
KINDS = (
    Kind("serious_handled_by_supervisor", V, 3, "严重投诉由销售主管处理", "a serious complaint handled by a supervisor",
         serious_handled_by_supervisor),
    Kind("never_answered", V, 1, "投诉从未响应也未解决", "a complaint never answered nor resolved", never_answered),
    Kind("answered_after_30_hours", V, 1, "投诉30小时后才首次响应",
         "a complaint first answered after 30 hours", answered_after_30_hours),
    Kind("answered_a_minute_late", V, 1, "投诉24小时零1分钟后首次响应",
         "a complaint answered 24 hours and 1 minute after receipt", answered_a_minute_late),
    Kind("resolved_after_8_days", V, 1, "投诉8天后才解决", "a complaint resolved after 8 days", resolved_after_8_days),
    Kind("resolved_at_midnight_after_the_limit", V, 1, "投诉在受理次日起第7日结束后的零点才解决",
         "a complaint resolved at the midnight that ends the 7th day after receipt",
         resolved_at_midnight_after_the_limit),
    Kind("never_resolved", V, 1, "投诉已响应但至年底仍未解决",
         "a complaint answered but still open at year end", never_resolved),
    Kind("answered_before_receipt", "defect", 1, "首次响应时间早于受理时间", "a first response timed before the complaint came in",
         answered_before_receipt),
    Kind("answered_on_the_limit", B, 1, "投诉恰好24小时后首次响应(合规)",
         "a complaint answered exactly 24 hours later (compliant)", answered_on_the_limit),
    Kind("resolved_on_the_last_day", B, 1, "投诉在受理次日起第7日23:59解决(合规)",
         "a complaint resolved at 23:59 on the 7th day after receipt (compliant)", resolved_on_the_last_day),
)
