"""Reading a CRM export through its mapping into canonical tables, with data-quality findings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .coerce import (blank_to_na, coerce_column, empty_findings, findings_frame, label_message, shorten)
from .model import DataModel, TableSpec
from .problems import Problem, UserError, did_you_mean
from .schema_check import load_valid

ROW = "_row"          # source row number as a spreadsheet shows it (header is row 1)


class DataError(UserError):
    """The export cannot be read at all (exit code 3)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


@dataclass(frozen=True)
class Mapping:
    tables: dict
    timezone: str
    encoding: str
    as_of: str | None
    source: str
    file: str


@dataclass
class Dataset:
    tables: dict[str, pd.DataFrame]       # indexed by key (text), data-model columns plus ROW
    findings: pd.DataFrame                # data-quality findings, FINDING_COLUMNS
    files: list[Path]                     # every file read, for the run's evidence
    timezone: str
    as_of: str | None = None
    source: str = ""


def load_mapping(path: Path, model: DataModel, display: str | None = None) -> Mapping:
    shown = display or str(path)
    raw = load_valid(path, shown, "mapping")
    problems = []
    for table, spec in raw["tables"].items():
        mark = raw["tables"].key_mark(table)
        if table not in model.tables:
            problems.append(Problem(shown, mark.line, mark.col, f"unknown table '{table}' of the data model", "unknown-table"))
            continue
        for export_col, col in spec["columns"].items():
            if col not in model.tables[table].columns:
                m = spec["columns"].value_mark(export_col)
                problems.append(Problem(shown, m.line, m.col, f"unknown field '{col}' of {table}", "unknown-field"))
    if problems:
        raise UserError(problems)
    return Mapping(dict(raw["tables"]), raw.get("timezone", "UTC"), raw.get("encoding", "utf-8-sig"),
                   raw.get("as_of"), raw.get("source", path.parent.name), shown)


def load_dataset(folder: Path, mapping: Mapping, model: DataModel) -> Dataset:
    tables, findings, files = {}, [empty_findings()], []
    for name, spec in model.tables.items():
        tmap = mapping.tables.get(name)
        if tmap is None:
            tables[name] = empty_table(spec)
            continue
        path = folder / tmap["file"]
        raw = read_export(path, tmap.get("encoding", mapping.encoding), tmap.get("sheet"))
        files.append(path)
        frame, found = build_table(raw, spec, tmap, mapping.timezone, tmap["file"])
        tables[name] = frame
        findings.append(found)
    findings.append(dangling_references(tables, model, mapping))
    all_findings = pd.concat([f for f in findings if len(f)] or [empty_findings()], ignore_index=True)
    return Dataset(tables, all_findings, files, mapping.timezone, mapping.as_of, mapping.source)


def read_export(path: Path, encoding: str, sheet: str | None = None) -> pd.DataFrame:
    if not path.exists():
        raise DataError(f"{path}: file not found; check the data folder and the mapping's file names")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            return pd.read_csv(path, dtype=str, keep_default_na=False, engine="pyarrow", encoding=encoding)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False, encoding=encoding)
        if suffix == ".json":
            return pd.read_json(path, dtype=False, encoding=encoding)
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=sheet or 0, dtype=object)
    except ImportError as exc:
        raise DataError(f"{path}: reading {suffix} files needs an extra package ({exc.name}); "
                        "install it with pip install 'checker[xlsx]'") from None
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as {suffix[1:]} ({_first_line(exc)}); "
                        "check the file and the mapping's encoding") from None
    raise DataError(f"{path}: unsupported file type '{suffix}'; use .csv, .xlsx, .json, .jsonl or .parquet")


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def empty_table(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.columns})
    return build_table(frame, spec, {"columns": {c: c for c in spec.columns}}, "UTC", "")[0]


def build_table(raw: pd.DataFrame, spec: TableSpec, tmap: dict, tz: str, file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed table indexed by key, plus findings for every value that could not be used."""
    rows = pd.Series(range(2, len(raw) + 2), index=raw.index)
    out, findings = pd.DataFrame(index=raw.index), []
    export_of = {col: exp for exp, col in tmap["columns"].items()}
    for col, cspec in spec.columns.items():
        export_col = export_of.get(col)
        if export_col is not None and export_col not in raw.columns:
            findings.append(findings_frame(spec.name, file, pd.Series([1]), export_col, pd.Series([None]),
                                           "missing_column", f"column '{export_col}' is not in the file"))
        if export_col is None or export_col not in raw.columns:
            out[col] = coerce_column(pd.Series(pd.NA, index=raw.index, dtype="string"), cspec, {}, None, tz)[0]
            continue
        values, bad, expected = coerce_column(raw[export_col], cspec, tmap.get("values", {}).get(col, {}),
                                              tmap.get("formats", {}).get(col), tz)
        out[col] = values
        if bad.any():
            shown = shorten(raw.loc[bad, export_col])
            messages = (shown.map(lambda v: label_message(cspec, v, tmap.get("values", {}).get(col, {})))
                        if cspec.type in ("enum", "step", "role") else "'" + shown + f"' is not {expected}")
            findings.append(findings_frame(spec.name, file, rows[bad], export_col, shown,
                                           "unknown_value" if cspec.type in ("enum", "step", "role") else "unparseable",
                                           messages))
    out[ROW] = rows
    out, key_findings = _index_by_key(out, spec, file, export_of.get(spec.key, spec.key))
    return out, pd.concat(findings + [key_findings, empty_findings()], ignore_index=True)


def _index_by_key(frame: pd.DataFrame, spec: TableSpec, file: str, key_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    key = blank_to_na(frame[spec.key]) if len(frame) else frame[spec.key].astype("string")
    missing = key.isna()
    # A row without a key still counts: it gets a placeholder key naming its row.
    key = key.mask(missing, "row-" + frame[ROW].astype(str))
    duplicated = key.duplicated(keep="first")
    found = [findings_frame(spec.name, file, frame.loc[missing, ROW], key_col, pd.Series("", index=key[missing].index),
                            "missing_key", "row has no key; it is judged under a placeholder key 'row-N'"),
             findings_frame(spec.name, file, frame.loc[duplicated, ROW], key_col, key[duplicated],
                            "duplicate_key", "key already used by an earlier row; this row is left out of the checks")]
    frame = frame.loc[~duplicated].copy()
    frame[spec.key] = key[~duplicated]
    frame.index = pd.Index(key[~duplicated].astype(str).to_numpy())
    return frame, pd.concat(found, ignore_index=True)


def dangling_references(tables: dict[str, pd.DataFrame], model: DataModel, mapping: Mapping | None,
                        only_filled_targets: bool = False) -> pd.DataFrame:
    """Foreign keys that point nowhere become findings, and null for the rules.

    only_filled_targets: skip references into empty tables (rule test cases give only the
    tables they need)."""
    found = []
    for name, spec in model.tables.items():
        frame = tables[name]
        for col in (c for c in spec.columns.values() if c.references):
            target = tables.get(col.references)
            if target is None or not len(frame) or (only_filled_targets and not len(target)):
                continue
            values = frame[col.name]
            dangling = values.notna() & ~values.isin(target.index)
            if not dangling.any():
                continue
            file, export_col = _source_of(mapping, name, col.name)
            found.append(findings_frame(name, file, frame.loc[dangling, ROW], export_col, values[dangling],
                                        "dangling_reference", _dangling_messages(values[dangling], target.index,
                                                                                 col.references)))
            frame.loc[dangling, col.name] = pd.NA
    return pd.concat(found + [empty_findings()], ignore_index=True)


def _dangling_messages(values: pd.Series, keys: pd.Index, table: str) -> pd.Series:
    """One message per distinct bad value (suggestions are looked up once per value, not per row)."""
    distinct = values.astype(str).unique()
    suggest = keys if len(distinct) <= 1000 and len(keys) <= 10000 else pd.Index([])
    messages = {v: f"'{v}' is not a key of {table}{did_you_mean(v, suggest.astype(str))}" for v in distinct}
    return values.astype(str).map(messages)


def _source_of(mapping: Mapping | None, table: str, col: str) -> tuple[str, str]:
    if mapping is None or table not in mapping.tables:
        return table, col
    tmap = mapping.tables[table]
    export_col = next((e for e, c in tmap["columns"].items() if c == col), col)
    return tmap["file"], export_col


def as_of_timestamp(day: str, tz: str | None) -> pd.Timestamp:
    """The instant an as-of date stands for: the last instant of that day, so a deadline
    that ends with that day has not passed yet."""
    stamp = pd.Timestamp(day) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp.tz_localize(tz) if tz else stamp


def latest_day(tables: dict[str, pd.DataFrame]) -> str | None:
    """The latest date found in any date or time column, as YYYY-MM-DD."""
    latest = [t[c].max() for t in tables.values() for c in t.columns
              if pd.api.types.is_datetime64_any_dtype(t[c]) and t[c].notna().any()]
    return max(latest).strftime("%Y-%m-%d") if latest else None
