"""Calendar periods (week, month, quarter, year) and the audit period: their codes as exports
write them ("2025-W09", "2025-03", "2025-Q1", "2025"), and the periods a date range touches.
Codes are read once per distinct text, never per record."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .problems import UserError

EVERY = ("week", "month", "quarter", "year")
_CODE = {"week": re.compile(r"(\d{4})-W(\d{2})"), "month": re.compile(r"(\d{4})-(\d{2})"),
         "quarter": re.compile(r"(\d{4})-Q([1-4])"), "year": re.compile(r"(\d{4})")}


@dataclass(frozen=True)
class AuditPeriod:
    """The dates an audit covers, both included."""

    first: dt.date
    last: dt.date

    def text(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    def outside(self, days: np.ndarray) -> np.ndarray:
        """Which local days (datetime64[D]) lie outside the period; an empty day (NaT) does
        not: a record that cannot be dated cannot be shown to lie outside."""
        first, last = np.datetime64(self.first, "D"), np.datetime64(self.last, "D")
        return ~np.isnat(days) & ((days < first) | (days > last))


def audit_period(first: str | None, last: str | None, as_of: dt.date,
                 default: dict | None = None) -> AuditPeriod:
    """The audit period of `--from` / `--to` (both optional), else of the pack's `period:`
    (`default`, already checked), else from 1 January of the as-of year to the as-of day."""
    default = default or {}
    start = _day(first, "--from") or _day(default.get("from"), "period.from")
    end = _day(last, "--to") or _day(default.get("to"), "period.to")
    start = start or dt.date((end or as_of).year, 1, 1)
    end = end or as_of
    if start > end:
        raise UserError(f"the audit period ends ({end}) before it starts ({start}); check --from and --to")
    return AuditPeriod(start, end)


def _day(text: str | dt.date | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    if isinstance(text, dt.date):   # an unquoted date in YAML
        return text
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{flag} '{text}' is not a date; use YYYY-MM-DD") from None


@dataclass(frozen=True)
class Period:
    code: str
    first: dt.date
    last: dt.date


def period_of(every: str, day: dt.date) -> Period:
    """The period of the given length that holds the day."""
    if every == "week":
        monday = day - dt.timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6))
    if every == "year":
        return Period(f"{day.year}", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    months = 3 if every == "quarter" else 1
    start_month = (day.month - 1) // months * months + 1
    first = dt.date(day.year, start_month, 1)
    following = dt.date(day.year + (start_month + months > 12), (start_month + months - 1) % 12 + 1, 1)
    code = f"{day.year}-Q{(start_month + 2) // 3}" if every == "quarter" else f"{day.year}-{start_month:02d}"
    return Period(code, first, following - dt.timedelta(days=1))


def periods_touching(every: str, first: dt.date, last: dt.date) -> list[Period]:
    """Every period of the given length that shares a day with first..last, in order."""
    out, day = [], first
    while day <= last:
        period = period_of(every, day)
        out.append(period)
        day = period.last + dt.timedelta(days=1)
    return out


def code_of(every: str, text: str) -> str | None:
    """The canonical code a period text stands for ("2025-3" is not one: codes are written
    in full), or None when it is not a period of that length."""
    match = _CODE[every].fullmatch(text.strip())
    if not match:
        return None
    year, number = int(match.group(1)), int(match.group(2)) if match.lastindex == 2 else 1
    try:
        if every == "week":
            dt.date.fromisocalendar(year, number, 1)
        elif every == "month":
            dt.date(year, number, 1)
    except ValueError:
        return None
    return text.strip()


def positions_of_codes(every: str, texts: pd.Series, periods: list[Period]) -> tuple[np.ndarray, np.ndarray]:
    """For each text, the position of its period in `periods` (-1 when it is another period),
    and whether the text is no period code at all (empty texts are unreadable too)."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    where = {p.code: i for i, p in enumerate(periods)}
    canonical = [code_of(every, str(u)) for u in uniques]
    position = np.array([where.get(c, -1) if c else -1 for c in canonical] + [-1], dtype=np.int64)
    unreadable = np.array([c is None for c in canonical] + [True])
    return position[codes], unreadable[codes]


def positions_of_days(every: str, days: np.ndarray, periods: list[Period]) -> np.ndarray:
    """For each local day (datetime64[D], NaT allowed), the position of the period holding it
    in `periods`, or -1."""
    firsts = np.array([p.first for p in periods], dtype="datetime64[D]")
    lasts = np.array([p.last for p in periods], dtype="datetime64[D]")
    at = np.searchsorted(firsts, days, side="right") - 1
    inside = ~np.isnat(days) & (at >= 0) & (days <= lasts[np.maximum(at, 0)]) if len(periods) else \
        np.zeros(len(days), dtype=bool)
    return np.where(inside, at, -1)
