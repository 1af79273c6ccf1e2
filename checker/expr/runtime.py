"""Evaluating checked expressions over pandas Series, with Kleene (three-valued) nulls.

Every value is a Series on a RangeIndex with one dtype per type: boolean -> "boolean",
number -> "Float64", string -> "string", and datetime/duration -> "Int64" nanoseconds
(datetimes as UTC). Integer nanoseconds make nulls, comparisons and mixed time zones
uniform, and let arithmetic overflow become null instead of an exception.
"""
from __future__ import annotations

import operator
from functools import reduce
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..load.buffers import column_text, stored_text
from .types import KIND_TYPE

_DTYPES = {"boolean": "boolean", "number": "Float64", "string": "string", "datetime": "Int64",
           "duration": "Int64", "null": "object"}
_NS = 1_000_000_000
_NS_LIMIT = 9.2e18  # just inside the int64 nanosecond range; beyond it a result becomes null
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def check_tz(tz: str | None) -> None:
    if tz is not None:
        try:
            pd.Timestamp("2000-01-01").tz_localize(tz)
        except Exception:
            raise ValueError(f"unknown time zone {tz!r}") from None


def utc_ns(value: object, tz: str | None) -> int | None:
    """A point in time as UTC nanoseconds; naive values are wall-clock time in ``tz``."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is None and tz is not None:
        ts = ts.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    try:
        ns = ts.as_unit("ns").value
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return ns if abs(ns) <= _NS_LIMIT else None


def _safe_ns(value: object, tz: str | None) -> int | None:
    try:
        return None if _plain(value, "datetime") is None else utc_ns(value, tz)
    except (ValueError, TypeError, OverflowError):
        return None


class Env:
    """The data one evaluation reads, converted once per column."""

    def __init__(self, frame: pd.DataFrame, as_of: object, tz: str | None) -> None:
        self.frame, self.n, self.tz, self._as_of = frame, len(frame), tz, as_of
        self._cache: dict[str, pd.Series] = {}

    def column(self, name: str, kind: str) -> pd.Series:
        if name not in self._cache:
            if name not in self.frame.columns:
                raise KeyError(f"column {name!r} is not in the table")
            raw = self.frame[name]
            if isinstance(raw, pd.DataFrame):  # duplicated header: the first one wins
                raw = raw.iloc[:, 0]
            raw = raw.reset_index(drop=True)
            try:
                self._cache[name] = _load(raw, KIND_TYPE[kind], self.tz)
            except Exception:  # odd storage: fall back to converting value by value
                self._cache[name] = _load(pd.Series([_plain(v, KIND_TYPE[kind]) for v in raw], dtype=object),
                                          KIND_TYPE[kind], self.tz)
        return self._cache[name]

    def as_of(self) -> pd.Series:
        ns = _to_ns(pd.Series([self._as_of], dtype=object), self.tz)[0]
        return full(ns, "datetime", self.n)


# A compiled node: reads the data it needs from the environment, returns its Series
# (or, for a list, its Series one per item).
Run = Callable[[Env], object]


def _plain(v: object, type_: str) -> object:
    try:
        if v is None or (np.ndim(v) == 0 and bool(pd.isna(v))):
            return None
        if type_ == "number":
            return float(v)
        if type_ == "boolean":
            return v if isinstance(v, (bool, np.bool_)) else {"true": True, "false": False}.get(str(v).lower())
        return str(v) if type_ == "string" else pd.Timestamp(v)
    except Exception:
        return None


def _load(s: pd.Series, type_: str, tz: str | None) -> pd.Series:
    if type_ == "number":
        if not pd.api.types.is_numeric_dtype(s.dtype):
            s = pd.to_numeric(s.astype(object), errors="coerce")
        return s.astype("Float64")
    if type_ == "string":
        return _strings(s)
    if type_ == "boolean":
        return s.astype("boolean")
    return _to_ns(s, tz)


def _strings(s: pd.Series) -> pd.Series:
    """A text column as arrow-backed strings; labels (categoricals) are spelt by arrow's take
    of the few categories, not by converting every row."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return pd.Series(pd.arrays.ArrowStringArray(column_text(s)))
    return s.astype(_DTYPES["string"])


def _arrow_strings(values: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([values])))


def _arrow_of(s: pd.Series) -> pa.ChunkedArray | None:
    """The arrow data behind an arrow-backed text column (None for any other column)."""
    return stored_text(s) if isinstance(s.array, pd.arrays.ArrowStringArray) else None


def _booleans(values: pa.ChunkedArray) -> pd.Series:
    """An arrow boolean result as the runtime's nullable boolean column, without a row-by-row pass."""
    known = pc.fill_null(values, False).to_numpy(zero_copy_only=False)
    return pd.Series(pd.arrays.BooleanArray(known, pc.is_null(values).to_numpy(zero_copy_only=False)))


def _to_ns(s: pd.Series, tz: str | None) -> pd.Series:
    if not (isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype)):
        values = s.astype(object)
        try:
            s = pd.to_datetime(values, errors="coerce", format="mixed")
            if s.dtype == object:
                raise ValueError("mixed time zones")
        except (ValueError, TypeError):  # naive and zoned values mixed: each one on its own
            ns = [_safe_ns(v, tz) for v in values]
            return _ints(np.array([v or 0 for v in ns]), np.array([v is None for v in ns]))
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(None)
    elif tz is not None:
        s = s.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert(None)
    arr = s.to_numpy()
    per = {"s": _NS, "ms": 10**6, "us": 1000, "ns": 1}[np.datetime_data(arr.dtype)[0]]
    ints, bad = arr.view("int64"), np.isnat(arr)
    bad = bad | ~(np.abs(ints.astype(float) * per) <= _NS_LIMIT)
    return _ints(np.where(bad, 0, ints) * per, bad)


def _ints(values: np.ndarray, bad: np.ndarray) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(values.astype("int64"), np.asarray(bad, dtype=bool)))


def _floats(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=float, na_value=np.nan)


def _float_ns(values: np.ndarray) -> pd.Series:
    bad = ~(np.abs(values) <= _NS_LIMIT)  # NaN and infinities fail this too
    return _ints(np.round(np.where(bad, 0.0, values)), bad)


def full(value: object, type_: str, n: int) -> pd.Series:
    """A constant as a Series of ``n`` rows in the runtime dtype of ``type_``."""
    if type_ == "string" and isinstance(value, str):
        column = _arrow_strings(pa.repeat(pa.scalar(value, pa.large_string()), n))
        column.attrs["constant"] = value      # lets a comparison use the scalar itself
        return column
    return pd.Series(value, index=pd.RangeIndex(n), dtype=_DTYPES[type_])


def arith(sym: str, ta: str, tb: str, a: pd.Series, b: pd.Series) -> pd.Series:
    fn = _OPS[sym]
    if ta == tb == "number":
        result = fn(a, b)
        return result.mask((b == 0).fillna(False)) if sym == "/" else result
    fa, fb = _floats(a), _floats(b)
    if sym in "+-":  # exact integer nanoseconds, with overflow turned into null
        bad = ~(np.abs(fn(fa, fb)) <= _NS_LIMIT)
        ia, ib = (x.to_numpy(dtype="int64", na_value=0) for x in (a, b))
        return _ints(fn(np.where(bad, 0, ia), np.where(bad, 0, ib)), bad)
    if sym == "*":
        return _float_ns(fa * fb)
    quotient = np.where(fb == 0, np.nan, fa / np.where(fb == 0, 1.0, fb))
    return _float_ns(quotient) if tb == "number" else pd.Series(pd.array(quotient, dtype="Float64"))


def duration(n: pd.Series, seconds: int) -> pd.Series:
    return _float_ns(_floats(n) * (seconds * _NS))


_ARROW_COMPARE = {operator.eq: pc.equal, operator.ne: pc.not_equal, operator.lt: pc.less,
                  operator.le: pc.less_equal, operator.gt: pc.greater, operator.ge: pc.greater_equal}


def compare_values(fn: Callable, x: pd.Series, y: pd.Series) -> pd.Series:
    ax, ay = _arrow_of(x), _arrow_of(y)
    if ax is not None and ay is not None and fn in _ARROW_COMPARE:
        constant = y.attrs.get("constant")
        return _booleans(_ARROW_COMPARE[fn](ax, pa.scalar(constant, pa.large_string()) if constant is not None else ay))
    return fn(x, y).astype("boolean")


def isin(x: pd.Series, items: list[pd.Series], negate: bool) -> pd.Series:
    found = reduce(operator.or_, (compare_values(operator.eq, x, i) for i in items),
                   pd.Series(False, index=pd.RangeIndex(len(x)), dtype="boolean"))
    return ~found if negate else found


def is_null(x: pd.Series, negate: bool) -> pd.Series:
    missing = x.isna()
    return (~missing if negate else missing).astype("boolean")


def is_blank(x: pd.Series, type_: str) -> pd.Series:
    if type_ == "string":
        return (x.str.strip() == "").astype("boolean").fillna(True)
    return x.isna().astype("boolean")


def string_func(func: str, s: pd.Series) -> pd.Series:
    if func == "len":
        return s.str.len().astype("Float64")
    return getattr(s.str, func)()


def fill(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.where(a.notna(), b)


def output(values: pd.Series, type_: str, tz: str | None, index: pd.Index) -> pd.Series:
    """The runtime Series in the dtype callers see, on the index of the frame evaluated."""
    if type_ in ("datetime", "duration"):
        ints = values.to_numpy(dtype="int64", na_value=np.iinfo("int64").min)  # that value is NaT
        if type_ == "duration":
            return pd.Series(ints.view("timedelta64[ns]"), index=index)
        out = pd.Series(ints.view("datetime64[ns]"))
        return pd.Series((out.dt.tz_localize("UTC").dt.tz_convert(tz) if tz else out).array, index=index)
    return pd.Series(values.astype(_DTYPES[type_]).array, index=index)
