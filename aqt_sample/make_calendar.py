"""Write aqt's work calendar (rules/calendar.yaml) from the `chinesecalendar` package.

    python -m aqt_sample.make_calendar > rules/calendar.yaml          # 2024-2026
    python -m aqt_sample.make_calendar 2025 2027 > rules/calendar.yaml

chinesecalendar follows the State Council's yearly holiday notices; it is needed only to write the
file (pip install chinesecalendar, or the project's `test` extra), never to check."""
from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 2024, 2026
WEEKEND = ("sat", "sun")


def calendar_yaml(first_year: int, last_year: int) -> str:
    """The calendar file for whole years first_year..last_year, header comments included."""
    holidays, workdays = _exceptions(date(first_year, 1, 1), date(last_year, 12, 31))
    lines = [
        "# yaml-language-server: $schema=../checker/schemas/calendar.schema.json",
        f"# Working days for deadlines counted in work days (mainland China, {first_year}-{last_year}).",
        "# holidays: public holidays that fall on weekdays; workdays: weekend days worked in lieu (调休).",
        "# Written by `python -m aqt_sample.make_calendar` from the chinesecalendar package; a deadline",
        "# that needs a day outside `covers` is not evaluable: extend the range before that happens.",
        f"covers: {{from: {first_year}-01-01, to: {last_year}-12-31}}",
        f"weekend: [{', '.join(WEEKEND)}]",
        "holidays:",
        *(f"  - {day.isoformat()}" for day in holidays),
        "workdays:",
        *(f"  - {day.isoformat()}" for day in workdays),
    ]
    return "\n".join(lines) + "\n"


def _exceptions(first: date, last: date) -> tuple[list[date], list[date]]:
    """Weekdays off (holidays) and weekend days worked (make-up work days) between two dates."""
    is_workday = _chinese_workday()
    holidays, workdays = [], []
    day = first
    while day <= last:
        weekend = day.weekday() >= 5
        works = is_workday(day)
        if weekend and works:
            workdays.append(day)
        elif not weekend and not works:
            holidays.append(day)
        day += timedelta(days=1)
    return holidays, workdays


def _chinese_workday():
    try:
        from chinese_calendar import is_workday
    except ImportError:
        sys.exit("make_calendar: the chinesecalendar package is missing; pip install chinesecalendar")
    return is_workday


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aqt_sample.make_calendar", description=__doc__.splitlines()[0])
    parser.add_argument("first_year", type=int, nargs="?", default=FIRST_YEAR)
    parser.add_argument("last_year", type=int, nargs="?", default=LAST_YEAR)
    args = parser.parse_args(argv)
    if args.first_year > args.last_year:
        parser.error("the first year comes after the last")
    try:
        text = calendar_yaml(args.first_year, args.last_year)
    except NotImplementedError as exc:  # chinesecalendar's word for a year it has no notice for
        sys.exit(f"make_calendar: {exc}")
    sys.stdout.buffer.write(text.encode("utf-8"))  # the file is UTF-8 whatever the terminal's locale
    return 0


if __name__ == "__main__":
    sys.exit(main())
