"""Work-day arithmetic for deadlines counted in work days."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .schema_check import load_valid

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class Calendar:
    weekend: tuple[str, ...] = ("sat", "sun")
    holidays: frozenset = field(default_factory=frozenset)
    workdays: frozenset = field(default_factory=frozenset)

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
        local_days = known.dt.tz_localize(None).dt.normalize() if known.dt.tz else known.dt.normalize()
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


def load_calendar(path: Path | None, display: str | None = None) -> Calendar:
    if path is None or not path.exists():
        return Calendar()
    shown = display or str(path)
    raw = load_valid(path, shown, "calendar", empty={})
    day = lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v)  # noqa: E731
    return Calendar(tuple(raw.get("weekend", ("sat", "sun"))),
                    frozenset(day(d) for d in raw.get("holidays", ())),
                    frozenset(day(d) for d in raw.get("workdays", ())))
