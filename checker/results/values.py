"""Whole columns of engine values (codes, microseconds, numpy scalars) as the plain JSON
values results show: text keys, ISO times with their offset, null for what is missing."""
from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from ..load.keys import NONE
from ..views import NAT, as_times


def iso_times(micros: np.ndarray, tz: str | None) -> list[str | None]:
    """ISO 8601 text of each time in the run's zone (as datetime.isoformat writes it: a fraction
    only when there is one, the offset as +HH:MM), None for NAT."""
    micros = np.asarray(micros, dtype=np.int64)
    known = micros != NAT
    out = np.full(len(micros), None, dtype=object)
    if not known.any():
        return out.tolist()
    aware = as_times(micros[known], tz)
    wall = aware.dt.tz_localize(None) if tz else aware
    stamps = wall.to_numpy(dtype="datetime64[us]")
    text = np.datetime_as_string(stamps, unit="us").astype(object)
    whole = (stamps.view(np.int64) % 1_000_000) == 0
    text[whole] = np.datetime_as_string(stamps[whole], unit="s").astype(object)
    if tz:
        text = text + _offsets(wall.to_numpy(dtype="datetime64[us]").view(np.int64) - micros[known])
    out[known] = text
    return out.tolist()


def _offsets(seconds_us: np.ndarray) -> np.ndarray:
    """'+08:00' for an offset of 8 hours, spelt once per distinct offset."""
    distinct, which = np.unique(seconds_us // 60_000_000, return_inverse=True)
    spelt = np.array([f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in distinct], dtype=object)
    return spelt[which.reshape(-1)]


def texts_of(codes: np.ndarray, labels: np.ndarray) -> list[str | None]:
    """The label of each code (None for NONE)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), None, dtype=object)
    known = codes != NONE
    out[known] = labels[codes[known]]
    return out.tolist()


def plain_values(values: np.ndarray | pd.Series) -> list:
    """JSON-safe values: NaN and NA as null, whole floats as integers, times as ISO text.
    Plain number and text columns are converted whole; other columns value by value."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        with np.errstate(invalid="ignore"):
            whole = finite & (np.abs(values) < 2**53) & (values % 1 == 0)
        out = values.astype(object)
        out[whole] = values[whole].astype(np.int64).tolist()
        out[~finite] = None           # JSON has no NaN or infinity
        return out.tolist()
    objects = values.astype(object).tolist()
    if all(type(v) is str or v is None for v in objects):    # text, the usual evidence: as it is
        return objects
    return [plain(v) for v in objects]


def plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, pd.Timedelta):
        return str(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return None
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)
    return value if isinstance(value, (int, str, list, dict)) else str(value)


def plain_param(value: object) -> object:
    """A parameter's value as JSON holds it (dates as ISO text, nested lists and mappings too)."""
    if isinstance(value, list):
        return [plain_param(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain_param(v) for k, v in value.items()}
    return value.isoformat() if hasattr(value, "isoformat") else value
