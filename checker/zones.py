"""Wall-clock time and UTC of whole columns of microseconds, by a table of each hour's offset.

A zone changes its offset a few times a year at most, and a column of a few years spans a few
tens of thousands of hours, so each hour's offset is asked of pandas once and every time of
that hour takes it by one look-up; only times in an hour where the offset changes (or a wall
hour the zone skips or shows twice) are placed by pandas one column of them at a time. The
results are pandas' own: a wall-clock time that the zone skips or shows twice is NAT.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

NAT = np.iinfo(np.int64).min
_HOUR = 3_600_000_000
# Beyond this many hours (a century) the table would cost more than it saves.
_MOST_HOURS = 24 * 366 * 100


def utc_of_wall(wall: np.ndarray, tz: str) -> np.ndarray:
    """UTC microseconds of wall-clock microseconds of tz; NAT for NAT and for wall-clock times
    that tz skips or shows twice."""
    return _by_hour(wall, tz, _utc_of)


def wall_of_utc(utc: np.ndarray, tz: str) -> np.ndarray:
    """Wall-clock microseconds in tz of UTC microseconds; NAT for NAT."""
    return _by_hour(utc, tz, _wall_of)


def _utc_of(micros: np.ndarray, tz: str) -> np.ndarray:
    index = pd.DatetimeIndex(micros.view("datetime64[us]"))
    return index.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").as_unit("us").asi8


def _wall_of(micros: np.ndarray, tz: str) -> np.ndarray:
    index = pd.DatetimeIndex(micros.view("datetime64[us]")).tz_localize("UTC")
    return index.tz_convert(tz).tz_localize(None).as_unit("us").asi8


def _by_hour(micros: np.ndarray, tz: str, exact) -> np.ndarray:
    """exact(micros, tz) computed through a table of what it adds at each hour's start: an hour
    whose start and end have the same (known) offset has it throughout."""
    micros = np.asarray(micros, dtype=np.int64)
    known = micros != NAT
    every = bool(known.all())
    if not len(micros) or not (every or known.any()):
        return micros.copy()
    hours = micros // _HOUR
    low, high = (int(hours.min()), int(hours.max())) if every else (int(hours[known].min()), int(hours[known].max()))
    if high - low > _MOST_HOURS:
        return _exact_where(micros, known, tz, exact)
    starts = np.arange(low, high + 2, dtype=np.int64) * _HOUR
    placed = exact(starts, tz)
    offset = np.where(placed == NAT, NAT, placed - starts)
    steady = (offset[:-1] != NAT) & (offset[:-1] == offset[1:])
    at = np.subtract(hours, low, out=hours)
    if not every:
        at[~known] = 0
    out = micros + np.take(offset[:-1], at)
    if steady.all():
        if not every:
            out[~known] = NAT
        return out
    hard = ~np.take(steady, at)
    if not every:
        out[~known] = NAT
        hard &= known
    out[hard] = exact(micros[hard], tz)
    return out


def _exact_where(micros: np.ndarray, known: np.ndarray, tz: str, exact) -> np.ndarray:
    out = np.full(len(micros), NAT, dtype=np.int64)
    out[known] = exact(micros[known], tz)
    return out
