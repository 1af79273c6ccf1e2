"""aqt's work calendar (rules/calendar.yaml) agrees day by day with the chinesecalendar package,
which follows the State Council's holiday notices, and is exactly what make_calendar writes."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import chinese_calendar
import pandas as pd

from aqt_sample.make_calendar import calendar_yaml
from checker.workdays import load_calendar

CALENDAR = Path(__file__).resolve().parents[1] / "rules" / "calendar.yaml"
FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)


def test_covers_2024_to_2026():
    assert load_calendar(CALENDAR).covers == (FIRST, LAST)


def test_every_day_agrees_with_chinesecalendar():
    days = pd.date_range(FIRST, LAST, freq="D")
    ours = load_calendar(CALENDAR).is_workday(days)
    theirs = [chinese_calendar.is_workday(day.date()) for day in days]
    wrong = [day.date().isoformat() for day, a, b in zip(days, ours, theirs) if a != b]
    assert wrong == []


def test_file_is_what_make_calendar_writes():
    assert CALENDAR.read_text(encoding="utf-8") == calendar_yaml(FIRST.year, LAST.year)
