"""The work calendar: which days are worked, the range it covers, and the deadlines it cannot know."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from checker.problems import UserError
from checker.workdays import Calendar, load_calendar

# February 2026: the Spring Festival week off (16th-23rd), Saturdays 14th and 28th worked.
FEBRUARY = """\
covers: {from: 2026-02-01, to: 2026-02-28}
weekend: [sat, sun]
holidays: [2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20, 2026-02-23]
workdays: [2026-02-14, 2026-02-28]
"""


def calendar_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def february(tmp_path) -> Calendar:
    return load_calendar(calendar_file(tmp_path, FEBRUARY), "rules/calendar.yaml")


def times(*texts: str | None, tz: str | None = None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)).tz_localize(tz) if tz else pd.to_datetime(list(texts)))


def test_loader_reads_the_range_and_the_file_name(february):
    assert february.covers == (date(2026, 2, 1), date(2026, 2, 28))
    assert february.source == "rules/calendar.yaml"
    assert february.covers_text == "rules/calendar.yaml covers 2026-02-01 to 2026-02-28"


def test_a_calendar_without_covers_is_unbounded(tmp_path):
    calendar = load_calendar(calendar_file(tmp_path, "weekend: [sat, sun]\n"))
    assert calendar.covers is None
    assert not calendar.outside(times("1990-01-01 09:00", "2099-12-31 09:00"), 3).any()
    assert Calendar().covers is None and Calendar().covers_text == "the work calendar states no range of dates"


def test_make_up_days_are_worked_and_the_holiday_week_is_not(february):
    days = pd.DatetimeIndex(["2026-02-13", "2026-02-14", "2026-02-15", "2026-02-16", "2026-02-23", "2026-02-24"])
    assert february.is_workday(days).tolist() == [True, True, False, False, False, True]


def test_deadline_counts_over_the_holiday_week(february):
    # Friday 13th: the 3rd work day after it is Wednesday 25th (14th, 24th, 25th).
    due = february.deadline(times("2026-02-13 10:00"), 3)
    assert due.iloc[0] == pd.Timestamp("2026-02-25 23:59:59.999999")


@pytest.mark.parametrize("start, n, outside", [
    ("2026-02-25 10:00", 3, False),   # 26th, 27th, 28th (a worked Saturday): the last covered day
    ("2026-02-26 10:00", 3, True),    # 27th, 28th, then a day in March the calendar does not state
    ("2026-02-13 10:00", 3, False),   # across the holiday week, due on the 25th
    ("2026-02-28 18:00", 1, True),    # the next work day is in March
    ("2026-01-31 10:00", 3, True),    # starts before the range
    ("2026-03-01 10:00", 3, True),    # starts after it
    ("2026-02-01 00:00", 1, False),   # first covered day
    ("2026-02-28 23:59", 0, False),   # n = 0: the day itself, covered
    ("2026-03-01 00:00", 0, True),
    ("2026-01-31 23:59", 0, True),
])
def test_outside_marks_deadlines_the_calendar_cannot_know(february, start, n, outside):
    assert february.outside(times(start), n).tolist() == [outside]


def test_outside_is_false_for_missing_times_and_keeps_row_order(february):
    result = february.outside(times("2026-02-26 10:00", None, "2026-02-02 10:00", "2026-03-02 10:00"), 3)
    assert isinstance(result, np.ndarray) and result.dtype == bool
    assert result.tolist() == [True, False, False, True]


def test_outside_counts_from_the_local_date(february):
    # 00:30 on the 26th in Beijing is still the 25th in UTC: the local date decides.
    local = times("2026-02-26 00:30", "2026-02-25 23:30", tz="Asia/Shanghai")
    assert february.outside(local, 3).tolist() == [True, False]


def test_outside_of_an_empty_series(february):
    assert february.outside(pd.Series([], dtype="datetime64[ns]"), 3).tolist() == []


def test_covers_backwards_is_an_error_at_its_line(tmp_path):
    path = calendar_file(tmp_path, "weekend: [sat, sun]\ncovers: {from: 2026-12-31, to: 2026-01-01}\n")
    with pytest.raises(UserError) as error:
        load_calendar(path, "calendar.yaml")
    assert str(error.value).startswith("calendar.yaml:2:")
    assert "'to' (2026-01-01) is before 'from' (2026-12-31); swap them" in str(error.value)


def test_a_holiday_outside_covers_is_an_error(tmp_path):
    path = calendar_file(tmp_path, "covers: {from: 2026-01-01, to: 2026-12-31}\nholidays:\n  - 2026-10-01\n"
                                   "  - 2027-01-01\n")
    with pytest.raises(UserError) as error:
        load_calendar(path, "calendar.yaml")
    assert str(error.value) == ("calendar.yaml:4:5: holidays: 2027-01-01 is outside covers (2026-01-01 to 2026-12-31); "
                                "widen covers or remove the day")


@pytest.mark.parametrize("covers, message", [
    ("{from: 2026-01-01}", "covers: 'to' is a required property"),
    ("{from: 2026-01-01, until: 2026-12-31}", "unknown key 'until' in covers"),
])
def test_covers_is_checked_by_the_schema(tmp_path, covers, message):
    with pytest.raises(UserError, match=message):
        load_calendar(calendar_file(tmp_path, f"covers: {covers}\n"), "calendar.yaml")
