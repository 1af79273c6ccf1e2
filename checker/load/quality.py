"""Data-quality checks on typed columns: numbers outside the range the mapping allows, times
after the as-of day, and times before the creation of a record they are linked to (an event
before its deal was created). A value that fails is
emptied and reported with its file, row and column, so rules that need it count its record as
not evaluable rather than judging it. Records without a key in a table others refer to are
marked unlinked, for the same reason."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .coerce import Coerced, clean_text, outside
from .findings import combine, findings_frame, shorten
from .keys import NONE, ROW
from .times import NAT, instants

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


def _comparable_times(times: pd.Series, like: pd.Series) -> pd.Series:
    """times on the clock of like (an aware and a naive column compare on the wall clock)."""
    if (times.dt.tz is None) == (like.dt.tz is None):
        return times.dt.tz_convert(like.dt.tz) if like.dt.tz is not None else times
    if like.dt.tz is None:
        return times.dt.tz_localize(None)
    return times.dt.tz_localize(like.dt.tz, ambiguous="NaT", nonexistent="NaT")


def _comparable(as_of: pd.Timestamp, column: pd.Series) -> pd.Timestamp:
    """The as-of instant on the column's clock (a naive column is on the export's wall clock)."""
    if column.dt.tz is None:
        return as_of.tz_localize(None)
    return as_of.tz_convert(column.dt.tz) if as_of.tzinfo else as_of.tz_localize(column.dt.tz)


def before_created(tables, model, source_of) -> pd.DataFrame:
    """Findings for times earlier than the creation of a record they are linked to: each date or
    time column of a table is compared with the creation time (the data model's
    `creation_time`) of the record each of its foreign keys names, in another table: an event,
    an approval or a complaint cannot happen to a deal before the deal existed, so such a time
    is wrong. It is emptied in place, and the rules count what reads it as not evaluable.
    (A record of the same table, such as a supervisor, may well be created after the records
    that name it.)"""
    found = []
    for name, spec in model.tables.items():
        for link in spec.columns.values():
            target = model.tables.get(link.references) if link.references not in (None, name) else None
            if target is None or target.creation_time is None:
                continue
            for column in spec.columns.values():
                if column.type in ("date", "datetime"):
                    found.append(_before_creation(tables, name, link.name, column, target, source_of))
    return combine(found)


def _before_creation(tables, name: str, link: str, column, target, source_of) -> pd.DataFrame:
    """The findings of one time column against the creation of the records one foreign key names."""
    frame, codes, created = tables[name], tables.code(name, link), tables[target.name][target.creation_time]
    times = frame[column.name]
    if not len(created) or not pd.api.types.is_datetime64_any_dtype(times) \
            or not pd.api.types.is_datetime64_any_dtype(created):
        return combine([])
    at = _maybe_early(times, created, codes)
    theirs = _comparable_times(created.iloc[codes[at]], times)
    if column.type == "date":    # a day is early only when it is before the day of the creation
        theirs = theirs.dt.normalize()
    exact = (times.iloc[at].to_numpy() < theirs.to_numpy())
    at, theirs = at[exact], theirs[exact]
    if not len(at):
        return combine([])
    file, export_col = source_of(name, column.name)
    shown = [t.isoformat(sep=" ") for t in times.iloc[at]]
    records = frame[link].iloc[at].astype(object).tolist()
    started = [c.isoformat(sep=" ") for c in theirs]
    found = findings_frame(name, file, frame[ROW].to_numpy()[at], export_col, shown, "before_created",
                           [f"time is before {record} was created ({start}); it is left out of the checks"
                            for record, start in zip(records, started)])
    frame.loc[at, column.name] = pd.NaT
    return found


def _maybe_early(times: pd.Series, created: pd.Series, codes: np.ndarray) -> np.ndarray:
    """The positions of the times that may be before the creation of the record their foreign
    key names: compared as integers on one clock when the two columns are both aware (instants)
    or both naive (wall clock), so that only these few are compared exactly (a date column is
    early only before the day of the creation, which never comes after the creation itself)."""
    linked = codes != NONE
    if (times.dt.tz is None) != (created.dt.tz is None):
        return np.flatnonzero(linked & times.notna().to_numpy())
    mine, theirs = instants(times), instants(created)[np.where(linked, codes, 0)]
    return np.flatnonzero(linked & (mine != NAT) & (theirs != NAT) & (mine < theirs))


def keyless_records(tables, findings: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per table, the positions of its records that had no key (their `missing_key` findings,
    on the rows as numbered while loading)."""
    missing = findings[findings["kind"] == "missing_key"]
    return {table: np.flatnonzero(np.isin(tables[table][ROW].to_numpy(),
                                          missing["row"][missing["table"] == table].to_numpy(dtype=np.int64)))
            for table in sorted(set(missing["table"]))}


def unlinked_records(tables, model, findings: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per table that another table refers to, its records that had no key: whatever referred to
    them names a key they lack, so their events or approvals are lost, and the engine counts
    them as not evaluable instead of judging them without."""
    referred = {c.references for spec in model.tables.values() for c in spec.columns.values() if c.references}
    return {table: rows for table, rows in keyless_records(tables, findings).items() if table in referred}
