"""Data-quality checks on typed columns: numbers outside the range the mapping allows, and
times after the as-of day. A value that fails is emptied and reported with its file, row and
column, so rules that need it count its record as not evaluable rather than judging it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .coerce import Coerced, clean_text, outside
from .findings import combine, findings_frame, shorten
from .keys import ROW


def out_of_range(table: str, file: str, export_col: str, source: pa.ChunkedArray, typed: Coerced,
                 rows: np.ndarray, bounds: dict) -> tuple[pd.Series, pd.DataFrame | None]:
    """The typed values with those outside bounds ({min, max}) emptied, and their findings."""
    where = np.flatnonzero(outside(typed, bounds.get("min"), bounds.get("max")))
    if not len(where):
        return typed.values, None
    values = typed.values.copy()
    values.iloc[where] = pd.NA
    shown = shorten(clean_text(source.take(pa.array(where))).to_pylist())
    allowed = _range_text(bounds.get("min"), bounds.get("max"))
    return values, findings_frame(table, file, rows[where], export_col, shown, "out_of_range",
                                  [f"'{v}' is outside the allowed range ({allowed})" for v in shown])


def _range_text(low: float | None, high: float | None) -> str:
    if high is None:
        return f"at least {low:g}"
    return f"at most {high:g}" if low is None else f"from {low:g} to {high:g}"


def after_as_of(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, source_of) -> pd.DataFrame:
    """Findings for times later than the as-of instant, which are emptied in place: an export
    judged at a day cannot know what happened after it. source_of(table, column) gives the
    export file and column."""
    found = []
    for name, frame in tables.items():
        for col in frame.columns:
            if col == ROW or not pd.api.types.is_datetime64_any_dtype(frame[col]):
                continue
            late = (frame[col] > _comparable(as_of, frame[col])).to_numpy(dtype=bool, na_value=False)
            if late.any():
                file, export_col = source_of(name, col)
                shown = [t.isoformat(sep=" ") for t in frame[col][late]]
                found.append(findings_frame(name, file, frame[ROW].to_numpy()[late], export_col, shown,
                                            "after_as_of", f"time is after the as-of day {as_of.date()}; "
                                            "it is left out of the checks (check the time or pass a later --as-of)"))
                frame.loc[late, col] = pd.NaT
    return combine(found)


def _comparable(as_of: pd.Timestamp, column: pd.Series) -> pd.Timestamp:
    """The as-of instant on the column's clock (a naive column is on the export's wall clock)."""
    if column.dt.tz is None:
        return as_of.tz_localize(None)
    return as_of.tz_convert(column.dt.tz) if as_of.tzinfo else as_of.tz_localize(column.dt.tz)
