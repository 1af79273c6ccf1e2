"""Work-day arithmetic for deadlines counted in work days, and the range of dates the calendar covers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .problems import Problem, UserError
from .schema_check import load_valid

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class Calendar:
    weekend: tuple[str, ...] = ("sat", "sun")
    holidays: frozenset = field(default_factory=frozenset)
    workdays: frozenset = field(default_factory=frozenset)
    covers: tuple[date, date] | None = None  # first and last day it states; None: every day follows the weekend
    source: str | None = None                # the calendar file as people see it

    def is_workday(self, days: pd.DatetimeIndex) -> np.ndarray:
        weekday = np.isin(days.day_of_week, [i for i, d in enumerate(_DAYS) if d not in self.weekend])
        iso = days.strftime("%Y-%m-%d")
        return (weekday & ~np.isin(iso, list(self.holidays))) | np.isin(iso, list(self.workdays))

    def deadline(self, times: pd.Series, n: int) -> pd.Series:
        """The last instant of the n-th work day after each time's local date (NaT stays NaT);
        with n = 0, the last instant of that date itself."""
        known = times.dropna()
        if known.empty:
            return pd.Series(pd.NaT, index=times.index, dtype=times.dtype)
        local_days = _local_days(known)
        if n == 0:
            # No work day to count; searching for the "0th" one would step back to an earlier
            # work day, or wrap around to the end of the span.
            due_day = pd.DatetimeIndex(local_days.to_numpy())
        else:
            span = pd.date_range(local_days.min(), local_days.max() + pd.Timedelta(days=7 * n + 60), freq="D")
            workdays = span[self.is_workday(span)].values
            pos = np.searchsorted(workdays, local_days.values, side="right") + (n - 1)
            due_day = pd.DatetimeIndex(workdays[np.minimum(pos, len(workdays) - 1)])
        end = due_day + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        if known.dt.tz:
            end = end.tz_localize(known.dt.tz)
        # Built from `end` rather than written into a copy of `times`: a second- or
        # millisecond-resolution input cannot hold the microsecond before midnight.
        return pd.Series(end, index=known.index).reindex(times.index)

    def outside(self, times: pd.Series, n: int) -> np.ndarray:
        """True where the deadline of n work days after a time's local date cannot be known from
        the calendar: that date is before the range it covers, or the n-th work day after it (the
        date itself for n = 0) lies beyond the range. False for NaT and for an unbounded calendar."""
        result = np.zeros(len(times), dtype=bool)
        known = times.notna().to_numpy()
        if self.covers is None or not known.any():
            return result
        first, last = (pd.Timestamp(day) for day in self.covers)
        days = _local_days(times[known]).to_numpy(dtype="datetime64[ns]")
        span = pd.date_range(first, last, freq="D")
        workdays = span[self.is_workday(span)].values
        # For n = 0 the position is that of the day itself, never past the end: only `days > last` applies.
        pos = np.searchsorted(workdays, days, side="right") + (n - 1)
        result[known] = (days < first) | (days > last) | (pos >= len(workdays))
        return result

    @property
    def covers_text(self) -> str:
        """Where the calendar comes from and the dates it covers, for not-evaluable reasons."""
        name = self.source or "the work calendar"
        if self.covers is None:
            return f"{name} states no range of dates"
        return f"{name} covers {self.covers[0].isoformat()} to {self.covers[1].isoformat()}"


def _local_days(times: pd.Series) -> pd.Series:
    """Each time's local date (midnight, without a time zone)."""
    local = times.dt.tz_localize(None) if times.dt.tz else times
    return local.dt.normalize()


def load_calendar(path: Path | None, display: str | None = None) -> Calendar:
    if path is None or not path.exists():
        return Calendar()
    shown = display or str(path)
    raw = load_valid(path, shown, "calendar", empty={})
    covers = _covers(raw, shown)
    holidays = frozenset(_iso(d) for d in raw.get("holidays", ()))
    workdays = frozenset(_iso(d) for d in raw.get("workdays", ()))
    if covers is not None:
        _check_inside(raw, covers, shown)
    return Calendar(tuple(raw.get("weekend", ("sat", "sun"))), holidays, workdays, covers, shown)


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _covers(raw: dict, shown: str) -> tuple[date, date] | None:
    if "covers" not in raw:
        return None
    first, last = _day(raw["covers"]["from"]), _day(raw["covers"]["to"])
    if first > last:
        mark = raw["covers"].value_mark("to")
        raise UserError([Problem(shown, mark.line, mark.col,
                                 f"covers: 'to' ({last}) is before 'from' ({first}); swap them", "bad-value")])
    return first, last


def _check_inside(raw: dict, covers: tuple[date, date], shown: str) -> None:
    """A holiday or make-up work day listed outside the stated range means the range was not
    widened when a year was added: deadlines in that year would be called unknowable."""
    problems = []
    for key in ("holidays", "workdays"):
        items = raw.get(key) or []
        for index, item in enumerate(items):
            if not covers[0] <= _day(item) <= covers[1]:
                mark = items.item_mark(index)
                problems.append(Problem(shown, mark.line, mark.col,
                                        f"{key}: {_iso(item)} is outside covers ({covers[0]} to {covers[1]}); "
                                        "widen covers or remove the day", "bad-value"))
    if problems:
        raise UserError(problems)
