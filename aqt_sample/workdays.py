"""Time as whole minutes since local midnight on 1 January of the sample year.

China keeps no daylight saving, so local minutes order exactly like instants; plain integers keep
a million deals cheap to schedule."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from checker.problems import UserError
from checker.workdays import Calendar

from .spec import Spec

DAY = 1440
HOUR = 60
LOOKAHEAD_DAYS = 60  # deadlines of late-December drafts fall in January


class WorkCalendar:
    """Work days of the sample year, as the pack's calendar says, plus the clock arithmetic the deadlines need."""

    def __init__(self, spec: Spec) -> None:
        self.epoch = date(spec.as_of.year, 1, 1)
        self.year_days = (spec.as_of - self.epoch).days + 1
        self.as_of = self.year_days * DAY
        dates = [self.epoch + timedelta(days=d) for d in range(self.year_days + LOOKAHEAD_DAYS)]
        _require_covered(spec.calendar, dates[0], dates[-1])
        works = spec.calendar.is_workday(pd.DatetimeIndex(dates))
        self.all_workdays = np.flatnonzero(works)
        self.workdays = self.all_workdays[self.all_workdays < self.year_days]
        self.month = np.array([d.month for d in dates])
        self._dates = dates
        self._date_text = np.array([d.isoformat() for d in dates], dtype=object)
        self._clock_text = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(DAY)], dtype=object)

    @property
    def count(self) -> int:
        """Work days in the sample year; schedule positions run from 0 to count - 1."""
        return int(self.workdays.size)

    def at(self, position: np.ndarray, minute: np.ndarray | int) -> np.ndarray:
        """The instant at `minute` past midnight of the work day at `position`."""
        return self.workdays[position] * DAY + minute

    def position(self, t: np.ndarray) -> np.ndarray:
        """Schedule position of the work day an instant falls on (the next one for a day off)."""
        return np.searchsorted(self.workdays, np.asarray(t) // DAY)

    def deadline(self, t: np.ndarray, workdays: int) -> np.ndarray:
        """End of the `workdays`-th work day after the local date of `t`."""
        nth = np.searchsorted(self.all_workdays, np.asarray(t) // DAY, side="right") + workdays - 1
        return (self.all_workdays[nth] + 1) * DAY

    def text(self, t: np.ndarray) -> np.ndarray:
        """'YYYY-MM-DD HH:MM' for each instant."""
        t = np.asarray(t)
        return self._date_text[t // DAY] + " " + self._clock_text[t % DAY]

    def date_of(self, day: int) -> date:
        return self._dates[day] if 0 <= day < len(self._dates) else self.epoch + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.epoch).days



def _require_covered(calendar: Calendar, first: date, last: date) -> None:
    """Deadlines are planted a few days either side of their limit: a guessed work day would
    plant a violation the checker calls compliant, or the reverse."""
    if calendar.covers and not (calendar.covers[0] <= first and last <= calendar.covers[1]):
        raise UserError(f"the sample needs work days from {first} to {last}, but {calendar.covers_text}; "
                        "extend the calendar (python -m aqt_sample.make_calendar)")
