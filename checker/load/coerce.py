"""Turning raw export columns (arrow text) into typed data-model columns.

Every value that cannot be used becomes null and a data-quality finding naming the file,
row and column, so no bad value is silently dropped or silently passes a rule. The work
is arrow compute over whole columns; only the few bad values are looked at one by one,
to word their findings."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import ColumnSpec
from ..problems import did_you_mean
from .buffers import nulled, text_buffers
from .keys import coded_into
from .numbers import parse_numbers
from .times import parse_times, to_series

_TRUE = ("true", "yes", "y", "1", "是", "√")
_FALSE = ("false", "no", "n", "0", "否", "×")
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_NUMBER_NOISE = r"[,,\s¥￥]|%$"


@dataclass
class Coerced:
    """A typed column, the positions of the cells that could not be used, and what was expected."""

    values: pd.Series
    bad: np.ndarray
    expected: str


def clean_text(raw: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text trimmed of surrounding blanks, with empty cells as null.

    Clean columns, the usual case, keep their buffers: only cells whose first or last byte
    could be a blank are trimmed to find out whether any is, and empty cells are nulled by
    a new validity bitmap, not by copying the text."""
    text = raw if pa.types.is_string(raw.type) or pa.types.is_large_string(raw.type) else pc.cast(raw, pa.string())
    return pa.chunked_array([_clean_chunk(chunk) for chunk in text.chunks], type=text.type)


# Bytes that may start or end a Unicode blank (ASCII blanks; lead and last bytes of NBSP, NEL,
# the U+2000 block, U+205F and the ideographic space U+3000).
_LEADS = np.zeros(256, dtype=bool)
_LEADS[[9, 10, 11, 12, 13, 32, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_ENDS = np.zeros(256, dtype=bool)
_ENDS[[9, 10, 11, 12, 13, 32, 0x85, 0xA0, 0x9F, 0xA8, 0xA9, 0xAF, *range(0x80, 0x8B)]] = True


def _clean_chunk(chunk: pa.Array) -> pa.Array:
    offsets, data = text_buffers(chunk)
    length = np.diff(offsets)
    filled = pc.is_valid(chunk).to_numpy(zero_copy_only=False) & (length > 0)
    if filled.any():
        first, last = data[offsets[:-1][filled]], data[offsets[1:][filled] - 1]
        maybe = np.zeros(len(chunk), dtype=bool)
        maybe[filled] = _LEADS[first] | _ENDS[last]
        if maybe.any() and _trims(chunk.filter(pa.array(maybe))):
            chunk = pc.utf8_trim_whitespace(chunk)
            offsets, _ = text_buffers(chunk)
            length = np.diff(offsets)
            filled = pc.is_valid(chunk).to_numpy(zero_copy_only=False) & (length > 0)
    return chunk if filled.all() else nulled(chunk, filled)


def _trims(cells: pa.Array) -> bool:
    return bool(pc.any(pc.not_equal(pc.binary_length(pc.utf8_trim_whitespace(cells)), pc.binary_length(cells))).as_py())


def coerce_column(raw: pa.ChunkedArray, spec: ColumnSpec, value_map: dict, fmt: str | None,
                  tz: str | None, number_format: dict | None = None,
                  keys: pd.CategoricalDtype | None = None) -> Coerced:
    """fmt: the date format of a date column; number_format: the mapping's format of a number
    column (see numbers.py); without one, plain numbers with separators and signs are read.
    keys: of a foreign key, the referenced table's keys (keys.KeyTypes) when it is typed already."""
    if spec.type in ("date", "datetime") and pa.types.is_timestamp(raw.type):
        return _native_times(raw, spec.type, tz)
    if spec.type in ("number", "integer") and (pa.types.is_integer(raw.type) or pa.types.is_floating(raw.type)):
        return _native_numbers(raw)
    if spec.type in ("enum", "step", "role"):
        return _labels(raw, spec, value_map)
    text = clean_text(raw)
    if spec.type in ("number", "integer"):
        return _numbers(text, spec.type, number_format)
    if spec.type in ("date", "datetime"):
        return _times(text, spec.type, fmt, tz)
    if spec.type == "boolean":
        return _booleans(text)
    values = coded_into(text, keys) if keys is not None and len(text) else text_column(text, spec.references is not None)
    return Coerced(values, np.zeros(len(text), dtype=bool), "text")


_SAMPLE = 65_536          # rows looked at to guess whether a text column repeats a few values


def text_column(text: pa.ChunkedArray, foreign_key: bool = False) -> pd.Series:
    """A text column as the rules read it. Text that repeats its values (terms, regions,
    statuses spelt freely: at most one distinct value in four rows) is held as a code per row
    into its distinct values, sorted, which at millions of rows is a fraction of the text's
    memory; any other text stays text. Both read alike everywhere (see buffers.column_text).
    A foreign key is coded whenever its values repeat at all (a deal's events name it again
    and again, though rarely in the first rows of a shuffled export): linking it then looks
    up each distinct value once."""
    head = text.slice(0, _SAMPLE)
    if not len(text) or (not foreign_key and 4 * pc.count_distinct(head).as_py() > len(head)):
        return text_series(text)
    encoded = pc.dictionary_encode(text)       # one dictionary for all of the pieces
    distinct = encoded.chunk(0).dictionary if encoded.num_chunks else pa.array([], pa.string())
    if len(distinct) > len(text) // (2 if foreign_key else 4):
        return text_series(text)
    codes = np.concatenate([pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False) for chunk in encoded.chunks])
    small = len(distinct) < 2 ** 15
    if not foreign_key:     # sorted, so that the codes sort as the text does (a key's are replaced when linked)
        order = pc.sort_indices(distinct).to_numpy()
        rank = np.empty(len(order) + 1, dtype=np.int64)
        rank[order], rank[-1] = np.arange(len(order)), -1        # the last entry stands for an empty cell
        codes, distinct = rank[codes], distinct.take(pa.array(order))
    labels = pd.Index(pd.arrays.ArrowStringArray(pa.chunked_array([distinct])))
    return pd.Series(pd.Categorical.from_codes(codes.astype(np.int16 if small else np.int32), dtype=pd.CategoricalDtype(labels),
                                               validate=False))


def text_series(text: pa.ChunkedArray) -> pd.Series:
    """Arrow text as a pandas string column, in one piece: arrow takes rows of a text column of
    many pieces (one per block the reader read) by joining all of them first, every time, and
    the rules take rows of a column again and again (at a million deals a take of the events'
    text cost 0.7 s instead of 0.03 s). Left in pieces only past what one piece may hold."""
    if not len(text.chunks):
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([], pa.string())))
    try:
        text = pa.chunked_array([text.combine_chunks()]) if len(text.chunks) > 1 else text
    except pa.ArrowInvalid:      # over 2 GiB of text in one column: its offsets would overflow
        pass
    return pd.Series(pd.arrays.ArrowStringArray(text))


def _filled(text: pa.ChunkedArray) -> np.ndarray:
    return pc.is_valid(text).to_numpy(zero_copy_only=False)


def _numbers(text: pa.ChunkedArray, kind: str, number_format: dict | None) -> Coerced:
    floats = _as_floats(text) if number_format is None else parse_numbers(text, number_format)
    numbers = _own_floats(floats)
    del floats
    # 1e400 reads as infinity and "nan" as not-a-number: neither is an amount a rule can judge.
    bad = _filled(text) & ~np.isfinite(numbers)
    numbers[bad] = np.nan
    if kind == "integer":
        with np.errstate(invalid="ignore"):
            fractional = numbers % 1 != 0
        fractional &= ~np.isnan(numbers)
        bad |= fractional
        numbers[fractional] = np.nan
    return Coerced(_nullable(numbers), bad, "a whole number" if kind == "integer" else "a finite number")


def _own_floats(numbers: pa.ChunkedArray) -> np.ndarray:
    """Arrow numbers as a float64 array of this process's own, nulls as NaN, to change in place."""
    values = numbers.to_numpy(zero_copy_only=False)
    return values.astype(np.float64, copy=not values.flags.writeable or values.dtype != np.float64)


def _nullable(numbers: np.ndarray) -> pd.Series:
    """Floats, NaN where empty, as pandas' nullable floats, sharing their memory."""
    return pd.Series(pd.arrays.FloatingArray(numbers, np.isnan(numbers)))


def _native_numbers(raw: pa.ChunkedArray) -> Coerced:
    """Numbers the file already types (parquet, spreadsheets, JSON); infinities are unusable."""
    numbers = _own_floats(raw)
    bad = pc.is_valid(raw).to_numpy(zero_copy_only=False) & ~np.isfinite(numbers)
    numbers[bad] = np.nan
    return Coerced(_nullable(numbers), bad, "a finite number")


def outside(coerced: Coerced, low: float | None, high: float | None) -> np.ndarray:
    """Where a typed number column lies outside the range the mapping allows (empty cells never do)."""
    numbers = coerced.values.to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return (numbers < (-np.inf if low is None else low)) | (numbers > (np.inf if high is None else high))


def _as_floats(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Plain numbers are cast directly; only a column with thousands separators, currency signs,
    per cent signs or words takes the slower cleaning path (unreadable cells become null)."""
    try:
        return pc.cast(text, pa.float64())
    except pa.ArrowInvalid:
        cleaned = pc.replace_substring_regex(text, _NUMBER_NOISE, "")
        readable = pc.fill_null(pc.match_substring_regex(cleaned, _NUMBER), False)
        return pc.cast(pc.if_else(readable, cleaned, pa.scalar(None, cleaned.type)), pa.float64())


def _times(text: pa.ChunkedArray, kind: str, fmt: str | None, tz: str | None) -> Coerced:
    expected = f"a {'date' if kind == 'date' else 'date and time'}" + (f" in the form {fmt}" if fmt else "")
    micros = parse_times(text, fmt, tz, kind == "date")
    bad = _filled(text) & (micros == np.iinfo("int64").min)
    # The few unusable cells read again without the zone: any that read then lie in a clock
    # change of the zone, and the findings say what to do about them.
    if tz and bad.any() and (parse_times(text.take(pa.array(np.flatnonzero(bad))), fmt, None)
                             != np.iinfo("int64").min).any():
        expected += f" (a clock time that {tz} skips or repeats at a daylight-saving change needs its UTC offset)"
    return Coerced(to_series(micros, tz), bad, expected)


def _native_times(raw: pa.ChunkedArray, kind: str, tz: str | None) -> Coerced:
    """Times the file already types (parquet, spreadsheets): an aware one keeps its instant."""
    values = pd.Series(raw.to_pandas())
    if values.dt.tz is None and tz:
        values = values.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    elif tz:
        values = values.dt.tz_convert(tz)
    if kind == "date":
        values = values.dt.normalize()
    return Coerced(values, np.zeros(len(values), dtype=bool), "a date")


def _booleans(text: pa.ChunkedArray) -> Coerced:
    lower = pc.utf8_lower(text)
    truth = pc.is_in(lower, value_set=pa.array(_TRUE)).to_numpy(zero_copy_only=False)
    falsity = pc.is_in(lower, value_set=pa.array(_FALSE)).to_numpy(zero_copy_only=False)
    values = pd.array(np.where(truth | falsity, truth, False), dtype="boolean")
    values[~(truth | falsity)] = pd.NA
    return Coerced(pd.Series(values), _filled(text) & ~(truth | falsity), "true or false")


def _labels(raw: pa.ChunkedArray, spec: ColumnSpec, value_map: dict) -> Coerced:
    """Labels through the value map; values already in data-model form are accepted as they are.
    The text is dictionary-encoded (by the reader, or here), so the map is applied once per
    distinct value of each chunk."""
    lookup = {str(k): v for k, v in value_map.items()} | {v: v for v in spec.values}
    # Without a map, names that already match in another spelling are read: Contract Signed, contract-signed.
    plain = {} if value_map else {plain_label(v): v for v in spec.values}
    position = {v: i for i, v in enumerate(spec.values)}
    encoded = raw.chunks if pa.types.is_dictionary(raw.type) else \
        [pc.dictionary_encode(clean_text(raw).combine_chunks())] if len(raw) else []
    codes, bad = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=bool)]
    for chunk in encoded:
        distinct = clean_text(pa.chunked_array([chunk.dictionary], pa.string())).to_pylist()
        # The last entry stands for an empty cell: no label, and nothing wrong with it.
        labels = [lookup.get(v, plain.get(plain_label(v))) for v in distinct]
        code_of = np.array([position.get(label, -1) for label in labels] + [-1], dtype=np.int32)
        unusable = np.array([v is not None and label not in position for v, label in zip(distinct, labels)] + [False])
        indices = pc.fill_null(chunk.indices, len(distinct)).to_numpy(zero_copy_only=False)
        codes.append(code_of[indices])
        bad.append(unusable[indices])
    values = pd.Categorical.from_codes(np.concatenate(codes), categories=list(spec.values))
    expected = "one of " + ", ".join(list(value_map) or list(spec.values))
    return Coerced(pd.Series(values), np.concatenate(bad), expected)


def plain_label(text: str | None) -> str | None:
    return None if text is None else re.sub(r"[\s\-]+", "_", text.strip().lower())


def label_message(spec: ColumnSpec, value: str, value_map: dict) -> str:
    noun = {"step": "step", "role": "role"}.get(spec.type, f"value of {spec.name}")
    return f"unknown {noun} '{value}'{did_you_mean(value, list(value_map) + list(spec.values))}"
