"""Reading a CRM export through its mapping into canonical, positional, typed tables with
integer-coded keys, plus data-quality findings for every value that could not be used."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import DataModel, TableSpec
from ..problems import did_you_mean
from .buffers import stored_text
from .coerce import clean_text, coerce_column, label_message
from .derive import compile_filter, derived_in_order, derived_source, filter_finding, kept_rows, with_default
from .findings import combine, empty_findings, findings_frame, shorten
from .keys import ROW, KeyTypes, Tables, link, unique_keys
from .mapping import Mapping, load_mapping  # noqa: F401  (callers load both from here)
from .memory import allocators_that_return_memory, give_back_freed_memory
from .quality import after_as_of, before_created, keyless_records, out_of_range, unlinked_records
from .read import DataError, Export
from .sources import Source, per_file, read_source

Phase = Callable[[str], None]


@dataclass
class Dataset:
    tables: Tables                        # positional frames with data-model columns plus ROW
    findings: pd.DataFrame                # data-quality findings, FINDING_COLUMNS
    files: list[Path]                     # every file read, for the run's evidence
    timezone: str
    as_of: str | None = None
    source: str = ""
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)   # the files of each table, see sources.py


def load_dataset(folder: Path, mapping: Mapping, model: DataModel, phase: Phase | None = None,
                 reader: Callable[..., Source] = read_source) -> Dataset:
    """phase(name) is called as each stage ends (read, map and coerce, link keys), for --profile.
    Tables are read and typed one at a time, so only one raw table is held at once. reader
    stands in for read_source (a Parquet dataset's bucket, see parquet.py)."""
    phase = phase or (lambda name: None)
    allocators_that_return_memory()
    frames, findings, files, parts = {}, [empty_findings()], [], {}
    key_types = KeyTypes(frames, model)
    for name, spec in model.tables.items():
        tmap = mapping.tables.get(name)
        if tmap is None:
            frames[name] = empty_table(spec)
            continue
        source = reader(folder, tmap, name, mapping.database_env, mapping.encoding, _label_columns(spec, tmap), files)
        parts[name] = source.files
        phase("read")
        _require_links(source.shown, source.export.table, spec, tmap, model)
        rows, raw, repeats = source.export.row_numbers(), RawColumns(source.export.table), source.export.repeats
        findings.append(_ragged_findings(spec.name, tmap["file"], source.export))
        del source      # the raw table is held by `raw` alone now, which lets each column go once typed
        frames[name], found = build_table(raw, spec, tmap, mapping.timezone, tmap["file"], rows, key_types, repeats)
        findings.append(found)
        del raw
        give_back_freed_memory()
        phase("map and coerce")
    tables, dangling = link(frames, model, mapping.source_of, key_types=key_types)
    early = before_created(tables, model, mapping.source_of)
    findings = combine(findings + [dangling, early])
    tables.unlinked = unlinked_records(tables, model, findings)
    tables.keyless = keyless_records(tables, findings)
    phase("link keys")
    return Dataset(tables, per_file(findings, parts), files, mapping.timezone, mapping.as_of, mapping.source, parts)


def judge_at(data: Dataset, as_of: pd.Timestamp, mapping: Mapping) -> None:
    """Times after the as-of instant become findings and are emptied (see quality.after_as_of)."""
    late = per_file(after_as_of(data.tables, as_of, mapping.source_of), data.parts)
    data.findings = combine([data.findings, late])


def _label_columns(spec: TableSpec, tmap: dict) -> frozenset[str]:
    """Export columns holding labels (enum, step, role, boolean): few distinct values each."""
    return frozenset(export for export, col in tmap["columns"].items()
                     if col in spec.columns and spec.columns[col].type in ("enum", "step", "role", "boolean"))


def empty_table(spec: TableSpec) -> pd.DataFrame:
    raw = pa.table({c: pa.array([], pa.string()) for c in spec.columns})
    return build_table(raw, spec, {"columns": {c: c for c in spec.columns}}, "UTC", "")[0]


def _require_links(path: str, raw: pa.Table, spec: TableSpec, tmap: dict, model: DataModel) -> None:
    """Without its key column a table links to nothing, and without the column naming each
    event's case the event log belongs to no case: every check of the records that depend on
    them would look passed (a step that must not happen never happens), so the export is
    refused instead."""
    log = model.event_log
    _require_column(path, raw, spec, tmap, spec.key, "the key column '{column}' of " + spec.name)
    if log is not None and spec.name == log.table:
        case_table = model.tables[spec.name].columns[log.case].references
        _require_column(path, raw, spec, tmap, log.case,
                        "the column '{column}' that names each event's " + f"{case_table} record")


def _require_column(path: str, raw: pa.Table, spec: TableSpec, tmap: dict, name: str, what: str) -> None:
    if name in tmap.get("derived", {}) or name in tmap.get("defaults", {}):
        return
    export = next((e for e, c in tmap["columns"].items() if c == name), name)
    if export not in raw.column_names:
        raise DataError(f"{path}: {what.format(column=export)} is not in the file"
                        f"{did_you_mean(export, raw.column_names)}; the file's header is "
                        f"{', '.join(raw.column_names[:12])}{' …' if raw.num_columns > 12 else ''}; "
                        "add the column to the export or map the right header to "
                        f"'{name}' in the mapping (check the mapping's encoding too)")


def _ragged_findings(table: str, file: str, export: Export) -> pd.DataFrame:
    ragged = export.ragged
    return findings_frame(table, file, [r.row for r in ragged], "", shorten([r.text for r in ragged]),
                          "unreadable_row", [f"row has {r.fields} fields, the header has {r.expected}; "
                                             "the row is left out of the checks" for r in ragged])


class RawColumns:
    """A raw table's columns, each let go (release) once it is typed, so that a large table is
    not held twice over, raw and typed, while it is typed."""

    def __init__(self, table: pa.Table):
        self.column_names, self.num_rows = list(table.column_names), table.num_rows
        self._columns = dict(zip(table.column_names, table.columns))

    def column(self, name: str) -> pa.ChunkedArray:
        return self._columns[name]

    def release(self, name: str) -> None:
        self._columns.pop(name, None)

    def filter(self, mask: pa.Array) -> RawColumns:
        """The columns not let go yet, of the rows the mask keeps."""
        return RawColumns(pa.table({name: column.filter(mask) for name, column in self._columns.items()}))


def build_table(raw: pa.Table | RawColumns, spec: TableSpec, tmap: dict, tz: str, file: str,
                rows: np.ndarray | None = None, key_types: KeyTypes | None = None,
                repeats: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Positional typed table, plus findings for every value that could not be used.
    rows: the spreadsheet row of each raw row (default: the header is row 1, then one per row).
    Given RawColumns, each raw column but the key's is let go as soon as it is typed. Given
    key_types, a foreign key into a table typed before is coded into its keys as it is typed."""
    rows = np.arange(2, raw.num_rows + 2, dtype=np.int64) if rows is None else rows
    export_of = {col: exp for exp, col in tmap["columns"].items()}
    findings = [findings_frame(spec.name, file, [1], export_of[col], [None], "missing_column",
                               f"column '{export_of[col]}' is not in the file"
                               f"{did_you_mean(export_of[col], raw.column_names)}")
                for col in spec.columns if col in export_of and export_of[col] not in raw.column_names]

    defaults, derived = tmap.get("defaults", {}), tmap.get("derived", {})
    # Made here, before the threads below ask for them.
    keys_of = {col: key_types.of(c.references) for col, c in spec.columns.items() if c.references} if key_types else {}

    def typed_column(col: str, source: pa.ChunkedArray | None = None) -> tuple[pd.Series, pd.DataFrame | None]:
        cspec, export_col = spec.columns[col], export_of.get(col, col if col in derived else None)
        if source is None:
            present = export_col is not None and export_col in raw.column_names
            source = raw.column(export_col) if present else pa.chunked_array([pa.nulls(raw.num_rows, pa.string())])
        if col in defaults:
            source = with_default(source, defaults[col])
        value_map = tmap.get("values", {}).get(col, {})
        typed = coerce_column(source, cspec, value_map, tmap.get("formats", {}).get(col), tz,
                              tmap.get("numbers", {}).get(col), keys_of.get(col))
        bad = _bad_values(spec, cspec, file, export_col, source, typed, rows, value_map) if typed.bad.any() else None
        values, outside = typed.values, None
        if col in tmap.get("ranges", {}):
            values, outside = out_of_range(spec.name, file, export_col, source, typed, rows, tmap["ranges"][col])
        if isinstance(raw, RawColumns) and col != spec.key:
            raw.release(export_col)
        return values, bad if outside is None else combine([f for f in (bad, outside) if f is not None])

    read = [col for col in spec.columns if col not in derived]
    # Arrow and NumPy release the interpreter lock, so columns are typed side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        typed = dict(zip(read, pool.map(typed_column, read)))
    frame = pd.DataFrame({col: values for col, (values, _) in typed.items()}, copy=False)
    for col, expr in derived_in_order(derived, spec, tz):
        typed[col] = typed_column(col, derived_source(expr.evaluate(frame)))
        frame[col] = typed[col][0]
    findings += [bad for _, bad in typed.values() if bad is not None]
    frame = pd.DataFrame({col: typed[col][0] for col in spec.columns}, copy=False)
    frame[ROW] = rows
    if "where" in tmap:
        kept = kept_rows(frame, compile_filter(tmap["where"], spec, tz))
        findings.append(filter_finding(spec.name, file, tmap["where"], kept))
        frame, raw = frame.loc[kept].reset_index(drop=True), raw.filter(pa.array(kept))
    frame, key_findings = _keyed(frame, spec, file, export_of.get(spec.key, spec.key), raw, repeats)
    return frame, combine(findings + [key_findings])


def _bad_values(spec: TableSpec, cspec, file: str, export_col: str, source: pa.ChunkedArray, typed,
                rows: np.ndarray, value_map: dict) -> pd.DataFrame:
    where = np.flatnonzero(typed.bad)
    shown = shorten(clean_text(source.take(pa.array(where))).to_pylist())
    if cspec.type in ("enum", "step", "role"):
        distinct = {v: label_message(cspec, v, value_map) for v in set(shown)}
        kind, messages = "unknown_value", [distinct[v] for v in shown]
    else:
        kind, messages = "unparseable", [f"'{v}' is not {typed.expected}" for v in shown]
    return findings_frame(spec.name, file, rows[where], export_col, shown, kind, messages)


def _keyed(frame: pd.DataFrame, spec: TableSpec, file: str, key_col: str, raw: pa.Table,
           repeats: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table with its key filled in (placeholders for rows without one) and repeated keys
    dropped, with the rows `repeats` names as repeating a record read elsewhere."""
    rows = frame[ROW].to_numpy()
    keys, first, missing = unique_keys(_key_text(frame[spec.key], raw, key_col), rows)
    if repeats is not None and len(repeats):
        first &= ~np.isin(rows, repeats)
    found = [findings_frame(spec.name, file, rows[missing], key_col, [""] * int(missing.sum()), "missing_key",
                            "row has no key; it is shown under a placeholder key 'row-N', and where other "
                            "tables refer to this one the rules count it as not evaluable"),
             findings_frame(spec.name, file, rows[~first], key_col,
                            shorten(pc.filter(keys, pa.array(~first)).to_pylist()), "duplicate_key",
                            "key already used by an earlier row; this row is left out of the checks")]
    frame[spec.key] = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([keys])))
    if not first.all():
        frame = frame.loc[first].reset_index(drop=True)
    return frame, combine(found)


def _key_text(typed: pd.Series, raw: pa.Table, key_col: str) -> pa.ChunkedArray:
    """The key as text: the cleaned text column itself when the key is text (the usual case),
    else the export's own spelling of it (so a numeric key 7 stays "7")."""
    if isinstance(typed.array, pd.arrays.ArrowStringArray):
        return stored_text(typed)
    if key_col in raw.column_names:
        return clean_text(raw.column(key_col))
    return pa.chunked_array([pa.nulls(len(typed), pa.string())])


def as_of_timestamp(day: str, tz: str | None) -> pd.Timestamp:
    """The instant an as-of date stands for: the last instant of that day, so a deadline
    that ends with that day has not passed yet."""
    stamp = pd.Timestamp(day) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp.tz_localize(tz) if tz else stamp


def latest_day(tables) -> str | None:
    """The latest date found in any date or time column, as YYYY-MM-DD."""
    latest = [t[c].max() for t in tables.values() for c in t.columns
              if pd.api.types.is_datetime64_any_dtype(t[c]) and t[c].notna().any()]
    return max(latest).strftime("%Y-%m-%d") if latest else None
