"""Whole columns of engine values (codes, microseconds, numpy scalars) as the plain JSON
values results show: text keys, numbers, null for what is missing (times: checker/isotime.py)."""
from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

from ..load.keys import NONE


def texts_of(codes: np.ndarray, labels: np.ndarray) -> list[str | None]:
    """The label of each code (None for NONE)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), None, dtype=object)
    known = codes != NONE
    out[known] = labels[codes[known]]
    return out.tolist()


_PLAIN_ALREADY = frozenset({str, type(None), list})


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
    # Text, the usual evidence, and lists the kinds made (the approvals an approval rule looked
    # at) are plain already: kept as they are.
    if set(map(type, objects)) <= _PLAIN_ALREADY:
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
