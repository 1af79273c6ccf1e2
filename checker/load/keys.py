"""Primary keys and foreign keys as integer codes.

Every table is positional (row i of the frame is record i). Its key column is text, found
once here: a missing key gets a placeholder naming its row, a repeated key drops the later
row (with a finding). Every foreign key becomes the position of the referenced record in its
table, or -1 when empty or dangling; the engine joins on these codes and never on text."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import DataModel
from ..problems import did_you_mean
from .buffers import category_text, column_text, text_buffers
from .findings import combine, findings_frame, shorten
from .lookup import UNCONFIRMED, fixed_width_positions
from .numbered import numbered, repeated_numbers

NONE = -1
ROW = "_row"          # source row number as a spreadsheet shows it (header is row 1)


@dataclass
class Tables(Mapping[str, pd.DataFrame]):
    """The dataset's tables by name, plus the integer codes of every foreign key."""

    frames: dict[str, pd.DataFrame]
    codes: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # The text of each foreign key that named a record its table does not hold, by row
    # position (the field itself is empty for the rules).
    dangling: dict[tuple[str, str], pd.Series] = field(default_factory=dict)
    # Per table that others refer to, the positions of its records without a key: nothing in
    # the export could be linked to them (see quality.unlinked_records).
    unlinked: dict[str, np.ndarray] = field(default_factory=dict)
    # Per table, the positions of all its records without a key (see quality.keyless_records).
    keyless: dict[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def code(self, table: str, column: str, rows_if_unlinked: int | None = None) -> np.ndarray:
        """Positions in the referenced table of each row's foreign key (-1: none), as int64
        (`codes` holds them as compact as the referenced table's size allows). Of a column
        that links nothing: rows_if_unlinked times -1, or KeyError when that is not given."""
        if rows_if_unlinked is not None and (table, column) not in self.codes:
            return np.full(rows_if_unlinked, NONE, dtype=np.int64)
        return self.codes[(table, column)].astype(np.int64, copy=False)


def unique_keys(key: pa.ChunkedArray, rows: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The key of each row (a placeholder 'row-N' where it is empty), which rows keep their key,
    and which rows had none. Of rows sharing a key the first is kept."""
    text, missing = placeheld(key, rows)
    first = np.ones(len(text), dtype=bool)
    suspects = _shared_hashes(text)
    if suspects.size:
        first[suspects] = _first_occurrences(text.take(pa.array(suspects)))
    return text, first, missing


def placeheld(key: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """The key of each row with the placeholder 'row-N' where it is empty, and which rows had
    none."""
    missing = pc.is_null(key).to_numpy(zero_copy_only=False)
    text = key.combine_chunks() if isinstance(key, pa.ChunkedArray) else key
    if missing.any():
        placeholder = pa.array(np.char.add("row-", rows.astype(str)).astype(object), text.type)
        text = pc.if_else(pa.array(missing), placeholder, text)
    return text, missing


def _shared_hashes(text: pa.Array) -> np.ndarray:
    """Rows whose key hash another row shares: the only rows that can repeat a key. Sorting
    64-bit hashes is far cheaper than a hash table of millions of strings, and numbered ids
    (numbered.py) are their own hash, one that no two ids share."""
    ids = numbered(text)
    if ids is not None:
        return repeated_numbers(ids[1])
    hashes = text_hashes(text)
    if hashes is None:
        return np.arange(len(text))
    ranked = np.sort(hashes)
    repeated = ranked[1:][ranked[1:] == ranked[:-1]]
    if not repeated.size:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(hashes, repeated))


def _first_occurrences(text: pa.Array) -> np.ndarray:
    # Dictionary codes are handed out in order of first appearance, so a row holds the first
    # occurrence of its key exactly when its code is higher than every code before it.
    codes = pc.dictionary_encode(text).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    earlier_max = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return codes > earlier_max


_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
_LONGEST_HASHED = 64


def text_hashes(text: pa.Array) -> np.ndarray | None:
    """A 64-bit FNV-1a hash of each cell's bytes, column by column over byte positions; None
    when a cell is too long for that to pay (the caller then compares the text itself)."""
    offsets, data = text_buffers(text)
    length = np.diff(offsets)
    longest = int(length.max()) if len(length) else 0
    if longest > _LONGEST_HASHED:
        return None
    if longest and (length == longest).all():
        return _fixed_width_hashes(data[offsets[0]:offsets[-1]].reshape(-1, longest))
    return prefix_hashes(text)


def prefix_hashes(text: pa.Array, limit: int = _LONGEST_HASHED) -> np.ndarray:
    """A 64-bit FNV-1a hash of each cell's first `limit` bytes and its length. Unlike
    text_hashes, a text hashes the same in any array, whatever the other cells are."""
    offsets, data = text_buffers(text)
    length = np.diff(offsets)
    hashed = np.minimum(length, limit)
    longest = int(hashed.max()) if len(hashed) else 0
    data = np.concatenate([data, np.zeros(longest + 1, dtype=np.uint8)])
    start = offsets[:-1]
    hashes = np.full(len(text), _FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(longest):
            inside = hashed > j
            hashes = np.where(inside, (hashes ^ data[start + j].astype(np.uint64)) * _FNV_PRIME, hashes)
        return (hashes ^ length.astype(np.uint64)) * _FNV_PRIME


def _fixed_width_hashes(cells: np.ndarray) -> np.ndarray:
    """Keys of one length (the usual ids) hashed eight bytes at a time: their bytes, padded to
    whole 64-bit words, are read as integers."""
    width = -(-cells.shape[1] // 8) * 8
    words = np.zeros((len(cells), width), dtype=np.uint8)
    words[:, :cells.shape[1]] = cells
    words = words.view("<u8")
    hashes = np.full(len(cells), _FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(words.shape[1]):
            hashes = (hashes ^ words[:, j]) * _FNV_PRIME
        return hashes ^ (hashes >> np.uint64(29))


def link(frames: dict[str, pd.DataFrame], model: DataModel, source_of, only_filled_targets: bool = False,
         key_types: KeyTypes | None = None) -> tuple[Tables, pd.DataFrame]:
    """Codes of every foreign key; dangling ones become findings and null for the rules.

    source_of(table, column) gives the file and export column a finding names.
    only_filled_targets: a reference into an empty table is left unchecked (rule test cases
    give only the tables they need). key_types: the types foreign keys were coded into as
    they were typed, if they were."""
    references = [(name, col.name, col.references) for name, spec in model.tables.items()
                  for col in spec.columns.values() if col.references]
    key_types = key_types or KeyTypes(frames, model)
    for target in {r[2] for r in references}:
        key_types.of(target)      # made here, not by the threads below

    def codes_of(reference: tuple[str, str, str]) -> np.ndarray:
        name, column, target = reference
        frame, keys = frames[name], frames.get(target)
        if keys is None or not len(frame) or (only_filled_targets and not len(keys)):
            return np.full(len(frame), NONE, dtype=np.int64)
        return positions_in(frame[column], keys[model.tables[target].key], key_types.of(target))

    # Hash look-ups in arrow release the interpreter lock: the columns are linked side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        tables = Tables(frames, dict(zip([r[:2] for r in references], pool.map(codes_of, references))))
    found = []
    for name, column, target in references:
        frame, codes = frames[name], tables.code(name, column)
        if not len(frames[target]):
            continue    # nothing to link to: the text stays (see only_filled_targets)
        dangling = (codes == NONE) & frame[column].notna().to_numpy()
        keys = frames[target][model.tables[target].key]
        if dangling.any():
            found.append(_dangling(frame, name, column, target, dangling, keys, source_of))
            rows = np.flatnonzero(dangling)
            tables.dangling[(name, column)] = pd.Series(frame[column].iloc[rows].to_numpy(dtype=object), index=rows)
        if frame[column].dtype is not key_types.of(target):     # else coded so as it was typed
            frame[column] = coded(codes, key_types.of(target))
        tables.codes[(name, column)] = frame[column].array.codes    # the same memory, not a copy
    return tables, combine(found)


def coded(codes: np.ndarray, keys: pd.CategoricalDtype) -> pd.Series:
    """A foreign key held as its codes into the referenced table's keys (a dangling or empty
    one is null): it reads as the text it names, in a fraction of the text's memory."""
    return pd.Series(pd.Categorical.from_codes(codes, dtype=keys, validate=False))


class KeyTypes:
    """The categorical type of each typed table's keys, made once per table and shared by every
    foreign key into it (the type holds the keys' text once). A table's entry is made when the
    foreign keys of a table typed after it ask for it, so that they are coded into its keys
    straight away (see coded_into)."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], model: DataModel):
        self._frames, self._model, self._types = frames, model, {}

    def of(self, table: str | None) -> pd.CategoricalDtype | None:
        """The type of the table's keys; None while the table is not typed, or holds no record."""
        if table not in self._types:
            frame = self._frames.get(table)
            if frame is None or not len(frame):
                return None
            self._types[table] = pd.CategoricalDtype(pd.Index(frame[self._model.tables[table].key].array))
        return self._types[table]


def coded_into(text: pa.ChunkedArray, keys: pd.CategoricalDtype) -> pd.Series:
    """A foreign key coded straight into the referenced table's keys: each value is looked up
    among the keys, with no coding of the text into its own distinct values first (at a million
    deals that coding of the events' deal ids cost twice the look-up). A value that is no key
    is coded into the keys extended by such values, so that linking finds it with its text."""
    key_text = category_text(keys.categories)
    codes = _text_positions(text, key_text)
    stray = (codes == NONE) & pc.is_valid(text).to_numpy(zero_copy_only=False)
    if not stray.any():
        return coded(codes, keys)
    strays = text.filter(pa.array(stray))
    extra = pc.unique(strays)
    codes[stray] = len(key_text) + _index_in(strays, extra)
    return coded(codes, pd.CategoricalDtype(keys.categories.append(pd.Index(pd.arrays.ArrowStringArray(extra)))))


def positions_in(values: pd.Series, keys: pd.Series, keys_type: pd.CategoricalDtype | None = None) -> np.ndarray:
    """The position of each value among the (unique) keys, NONE when empty or not a key.
    keys_type: the keys' KeyTypes entry; values of that type are their codes."""
    if isinstance(values.dtype, pd.CategoricalDtype):     # each distinct value is looked up once
        codes = values.cat.codes.to_numpy()
        if values.dtype is keys_type:
            return codes.astype(np.int64)
        distinct = pd.Series(values.cat.categories.array)
        found = positions_in(distinct, keys) if len(distinct) else np.zeros(1, dtype=np.int64)
        return np.where(codes >= 0, found[codes], NONE)
    return _text_positions(column_text(values), column_text(keys).combine_chunks())


def _text_positions(text: pa.ChunkedArray, key_text: pa.Array) -> np.ndarray:
    found = fixed_width_positions(text, key_text)
    if found is None:
        return _index_in(text, key_text)
    unconfirmed = np.flatnonzero(found == UNCONFIRMED)
    if unconfirmed.size:
        found[unconfirmed] = _index_in(text.take(pa.array(unconfirmed)), key_text)
    return found


def _index_in(values: pa.Array, keys: pa.Array) -> np.ndarray:
    found = pc.index_in(values, value_set=keys)
    return pc.fill_null(found, NONE).to_numpy(zero_copy_only=False).astype(np.int64)


def _dangling(frame: pd.DataFrame, table: str, column: str, target: str, dangling: np.ndarray,
              keys: pd.Series, source_of) -> pd.DataFrame:
    file, export_col = source_of(table, column)
    values = frame[column].iloc[np.flatnonzero(dangling)].to_numpy(dtype=object)
    return findings_frame(table, file, frame[ROW].to_numpy()[dangling], export_col, shorten(list(values)),
                          "dangling_reference", _dangling_messages(values, keys, target))


def _dangling_messages(values: np.ndarray, keys: pd.Series, table: str) -> list[str]:
    """One message per distinct bad value (suggestions are looked up once per value, not per row)."""
    distinct = pd.unique(values.astype(str))
    suggest = keys.astype(str).tolist() if len(distinct) <= 1000 and len(keys) <= 10000 else []
    messages = {v: f"'{v}' is not a key of {table}{did_you_mean(v, suggest)}" for v in distinct}
    return [messages[str(v)] for v in values]
