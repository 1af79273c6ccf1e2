"""Values known when an expression is compiled: parameters and date(...)/datetime(...) literals.

Both become constants in the runtime's representation (datetimes as UTC nanoseconds), so a
wrong parameter or a malformed date is reported before any data is read.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from .parse import ExprError
from .runtime import utc_ns


def param_type(name: str, value: object, offset: int, tz: str | None) -> tuple[str, object]:
    """The expression type and value of parameter ``name``; a list gives ("list", [(type, value), ...])."""
    def scalar(v: object) -> tuple[str, object] | None:
        if v is None:
            return "null", None
        if isinstance(v, (bool, np.bool_)):
            return "boolean", bool(v)
        if isinstance(v, (int, float, np.integer, np.floating)):
            return "number", float(v)
        if isinstance(v, str):
            return "string", v
        if isinstance(v, (_dt.date, np.datetime64)):
            ns = utc_ns(v, tz)
            return None if ns is None else ("datetime", ns)
        if isinstance(v, (_dt.timedelta, np.timedelta64)):
            return "duration", pd.Timedelta(v).value
        return None
    if isinstance(value, dict) or (isinstance(value, (list, tuple)) and any(isinstance(v, dict) for v in value)):
        raise ExprError(f"parameter '{name}' is a table of values and cannot be used in an expression", offset)
    try:
        if isinstance(value, (list, tuple)):
            items = [scalar(v) for v in value]
            if any(i is None or i[0] == "null" for i in items) or len({i[0] for i in items}) > 1:
                raise ExprError(f"parameter '{name}' must be a list of values of one type", offset)
            return "list", items
        item = scalar(value)
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):
        item = None
    if item is None:
        raise ExprError(f"parameter '{name}' holds a {type(value).__name__} value, which expressions cannot use",
                        offset)
    return item


def parse_when(func: str, text: str, tz: str | None, offset: int) -> int:
    """The argument of date(...) or datetime(...) as UTC nanoseconds, read as wall-clock time in ``tz``."""
    try:
        value = _dt.date.fromisoformat(text) if func == "date" else _dt.datetime.fromisoformat(text)
        ns = utc_ns(value, tz)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        form = "YYYY-MM-DD" if func == "date" else "YYYY-MM-DDTHH:MM"
        what = "date" if func == "date" else "date and time"
        raise ExprError(f"'{text}' is not a valid {what}; write it as {form}", offset) from None
    if ns is None:
        raise ExprError(f"'{text}' is outside the supported range of dates", offset)
    return ns
