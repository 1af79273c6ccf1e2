"""Cases whose verdict turns on the work-day calendar or on the year-end cut-off.

A deal is moved whole, by whole work days, so that its draft or signing lands on the day that
matters; gaps counted in work days survive the move, so nothing else about the deal changes."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted, on_deals, pick, room_to_shift, shift
from .state import Sample
from .workdays import DAY, WorkCalendar

LATE_AFTERNOON = 17 * 60 + 30
MORNING = 10 * 60
LONG_BREAK_DAYS = 7


def before_long_break(cal: WorkCalendar, workdays: int) -> int:
    """The last work day whose review deadline reaches across a break of a week or more."""
    spans = cal.workdays[workdays:] - cal.workdays[:-workdays]
    crossing = np.flatnonzero(spans >= workdays + LONG_BREAK_DAYS)
    return int(crossing[-1] if crossing.size else np.argmax(spans))


def _draft_before_break(s: Sample, rng: np.random.Generator, n: int, review_day: int, minute: int) -> np.ndarray:
    k = s.spec.review_workdays
    target = before_long_break(s.cal, k)
    delta, fits = room_to_shift(s, S.DRAFT, target)
    d = pick(s, rng, s.in_stage("contract") & s.has(S.DRAFT) & s.has(S.REVIEW) & fits, n)
    # Not yet approved, and not yet countersigned: countersigning comes after the review (3.3.10).
    s.present[np.ix_(d, (S.CONTRACT_OK, *S.COUNTERSIGN))] = False
    shift(s, d, delta[d])
    s.t[d, S.REVIEW] = s.cal.at(np.full(d.size, target + review_day), minute)
    return d


def review_on_last_day_after_holiday(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    return _draft_before_break(s, rng, n, s.spec.review_workdays, LATE_AFTERNOON), []


def review_a_day_late_after_holiday(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _draft_before_break(s, rng, n, s.spec.review_workdays + 1, MORNING)
    return d, [on_deals("PROC-007", d)]


def review_due_next_year(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Drafted so late that the review falls due in the new year: not yet overdue.

    The first such draft day is taken, not the one due exactly at the cut-off, so the verdict does
    not hang on whether a deadline at the very end of the year counts as already past."""
    cal = s.cal
    due = cal.deadline(cal.workdays * DAY, s.spec.review_workdays)
    target = int(np.flatnonzero(due > cal.as_of)[0])
    delta, fits = room_to_shift(s, S.DRAFT, target)
    d = pick(s, rng, s.in_stage("contract") & s.has(S.DRAFT) & fits, n)
    s.present[np.ix_(d, (S.REVIEW, *S.COUNTERSIGN, S.CONTRACT_OK, S.TERMS_OK))] = False
    shift(s, d, delta[d])
    return d, []


def archive_due_after_year_end(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Signed within the last week of the year and not archived yet: not yet overdue."""
    cal = s.cal
    target = int(np.searchsorted(cal.workdays, (cal.as_of - s.spec.archive_days * DAY) // DAY))
    delta, fits = room_to_shift(s, S.SIGN, target)
    d = pick(s, rng, s.has(S.SIGN) & fits, n)
    s.present[np.ix_(d, (S.ARCHIVE, *S.AFTER_ARCHIVE))] = False
    shift(s, d, delta[d])
    return d, []


V, B = "violation", "boundary"
KINDS = (
    Kind("review_a_day_late_after_holiday", V, 1,
         "节前起草,节后第4个工作日才审核(调休日计入工作日)",
         "drafted before a holiday, reviewed on the 4th work day after it (make-up days count)",
         review_a_day_late_after_holiday),
    Kind("review_on_last_day_after_holiday", B, 1,
         "节前起草,节后第3个工作日审核(调休日计入工作日)",
         "drafted before a holiday, reviewed on the 3rd work day after it (make-up days count)",
         review_on_last_day_after_holiday),
    Kind("review_due_next_year", B, 1, "年末起草尚未审核,审核期限在次年",
         "drafted at year end, not reviewed yet, due in the new year", review_due_next_year),
    Kind("archive_due_after_year_end", B, 1, "年末最后一周签订,尚未归档",
         "signed in the last week of the year, not archived yet", archive_due_after_year_end),
)
