"""Turning raw export columns into typed data-model columns.

Every value that cannot be used becomes null and a data-quality finding naming the file,
row and column, so no bad value is silently dropped or silently passes a rule."""
from __future__ import annotations

import pandas as pd

from .model import ColumnSpec
from .problems import did_you_mean

_TRUE = {"true", "yes", "y", "1", "是", "√"}
_FALSE = {"false", "no", "n", "0", "否", "×"}
FINDING_COLUMNS = ["kind", "table", "file", "row", "column", "value", "message"]


def blank_to_na(raw: pd.Series) -> pd.Series:
    text = raw.astype("string").str.strip()
    return text.mask(text == "")


def coerce_column(raw: pd.Series, spec: ColumnSpec, value_map: dict, fmt: str | None,
                  tz: str | None) -> tuple[pd.Series, pd.Series, str]:
    """The typed column, a mask of values that could not be used, and what was expected."""
    if spec.type in ("number", "integer"):
        return _numbers(raw, spec.type)
    if spec.type in ("date", "datetime"):
        return _times(raw, spec.type, fmt, tz)
    if spec.type == "boolean":
        return _booleans(raw)
    text = blank_to_na(raw) if not pd.api.types.is_numeric_dtype(raw) else raw.astype("string")
    if spec.type in ("enum", "step", "role"):
        return _labels(text, spec, value_map)
    return text, pd.Series(False, index=raw.index), "text"


def _numbers(raw: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str]:
    if pd.api.types.is_numeric_dtype(raw):
        values = raw.astype("Float64")
        return values, pd.Series(False, index=raw.index), "a number"
    text = blank_to_na(raw)
    cleaned = text.str.replace(r"[,,\s¥￥]", "", regex=True).str.removesuffix("%")
    values = pd.to_numeric(cleaned, errors="coerce").astype("Float64")
    bad = text.notna() & values.isna()
    if kind == "integer":
        fractional = values.notna() & (values % 1 != 0)
        bad, values = bad | fractional, values.mask(fractional)
    return values, bad.fillna(False).astype(bool), "a whole number" if kind == "integer" else "a number"


def _times(raw: pd.Series, kind: str, fmt: str | None, tz: str | None) -> tuple[pd.Series, pd.Series, str]:
    expected = f"a {'date' if kind == 'date' else 'date and time'}" + (f" in the form {fmt}" if fmt else "")
    if pd.api.types.is_datetime64_any_dtype(raw):
        values, bad = raw, pd.Series(False, index=raw.index)
    else:
        text = blank_to_na(raw)
        values = pd.to_datetime(text, format=fmt or "mixed", errors="coerce")
        bad = (text.notna() & values.isna()).fillna(False).astype(bool)
    if getattr(values.dt, "tz", None) is None and tz:
        values = values.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    elif tz:
        values = values.dt.tz_convert(tz)
    if kind == "date":
        values = values.dt.normalize()
    return values, bad, expected


def _booleans(raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    text = blank_to_na(raw).str.lower()
    values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
    values[text.isin(_TRUE).fillna(False)] = True
    values[text.isin(_FALSE).fillna(False)] = False
    return values, (text.notna() & values.isna()).fillna(False).astype(bool), "true or false"


def _labels(text: pd.Series, spec: ColumnSpec, value_map: dict) -> tuple[pd.Series, pd.Series, str]:
    # Export values are mapped; values already in data-model form are accepted as they are.
    lookup = {str(k): v for k, v in value_map.items()} | {v: v for v in spec.values}
    mapped = text.map(lookup, na_action="ignore")
    bad = (text.notna() & mapped.isna()).fillna(False).astype(bool)
    values = pd.Series(pd.Categorical(mapped.astype(object).where(mapped.notna(), None), categories=list(spec.values)),
                       index=text.index)
    return values, bad, "one of " + ", ".join(list(value_map) or list(spec.values))


def label_message(spec: ColumnSpec, value: str, value_map: dict) -> str:
    noun = {"step": "step", "role": "role"}.get(spec.type, f"value of {spec.name}")
    return f"unknown {noun} '{value}'{did_you_mean(value, list(value_map) + list(spec.values))}"


def findings_frame(table: str, file: str, rows: pd.Series, column: str, values: pd.Series,
                   kind: str, messages: pd.Series | str) -> pd.DataFrame:
    return pd.DataFrame({"kind": kind, "table": table, "file": file, "row": rows.to_numpy(),
                         "column": column, "value": values.astype(object).to_numpy(),
                         "message": messages if isinstance(messages, str) else messages.to_numpy()})


def shorten(values: pd.Series, limit: int = 80) -> pd.Series:
    text = values.astype("string")
    return text.where(text.str.len() <= limit, text.str.slice(0, limit) + "…")


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})
