"""JSON text of whole columns, cell by cell, exactly as orjson writes each value, without a
Python call per cell where the column's values allow it:

- text: quoted by arrow; only the rare cells holding a quote, a backslash or a control
  character go through the encoder one by one;
- numbers, booleans and nulls: the whole column encoded in one call and cut at its commas
  (no number's text holds one);
- anything else (lists, mappings, mixed types): the encoder per cell."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ..load.buffers import text_buffers

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def encoded(value: Any, sort_keys: bool = False) -> bytes:
    return orjson.dumps(value, option=_OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0))


def json_cells(values: Sequence, sort_keys: bool = False) -> pa.Array:
    """Each value's JSON text, as an arrow string array."""
    if not len(values):
        return pa.array([], pa.string())
    try:
        inferred = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return _one_by_one(values, sort_keys)
    kind = inferred.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _strings(inferred)
    if pa.types.is_null(kind) or pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _cut_at_commas(encoded(list(values)), len(values))
    return _one_by_one(values, sort_keys)


def _strings(text: pa.Array) -> pa.Array:
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    rows = _cells_to_escape(text)
    if len(rows):
        replacements = pa.array([encoded(v).decode() for v in text.take(pa.array(rows)).to_pylist()], pa.string())
        mask = np.zeros(len(text), dtype=bool)
        mask[rows] = True
        quoted = pc.replace_with_mask(quoted, pa.array(mask), replacements)
    return pc.fill_null(quoted, "null")


def _cells_to_escape(text: pa.Array) -> np.ndarray:
    """The cells holding a byte that JSON escapes (a quote, a backslash, a control character),
    found by one pass over the text's bytes."""
    offsets, data = text_buffers(text)
    data = data[offsets[0]:offsets[-1]]
    special = np.flatnonzero(_ESCAPED_BYTE[data])
    if not len(special):
        return special
    return np.unique(np.searchsorted(offsets - offsets[0], special, side="right") - 1)


_ESCAPED_BYTE = np.zeros(256, dtype=bool)
_ESCAPED_BYTE[[*range(0x20), ord('"'), ord("\\")]] = True


def _cut_at_commas(array_text: bytes, count: int) -> pa.Array:
    cells = pc.split_pattern(pa.array([array_text[1:-1].decode()], pa.string()), ",").flatten()
    if len(cells) != count:
        raise AssertionError(f"{len(cells)} cells cut from {count} numbers")
    return cells


def _one_by_one(values: Sequence, sort_keys: bool) -> pa.Array:
    return pa.array([encoded(v, sort_keys).decode() for v in values], pa.string())


def present_or_empty(prefix: str, values: Sequence) -> pa.Array:
    """prefix + the value's JSON where the value is not None, and nothing where it is (a member
    that only some records have)."""
    cells = json_cells(values)
    missing = pc.equal(cells, "null")   # a text "null" is written quoted, so this is a None
    return pc.if_else(missing, "", pc.binary_join_element_wise(prefix, cells, ""))


def joined_lines(parts: list[Any]) -> pa.Array:
    """Per row, the parts one after the other: literal text (the same in every row) and columns."""
    return pc.binary_join_element_wise(*[pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts], "")
