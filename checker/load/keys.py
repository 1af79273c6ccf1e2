"""Primary keys and foreign keys as integer codes.

Every table is positional (row i of the frame is record i). Its key column is text, found
once here: a missing key gets a placeholder naming its row, a repeated key drops the later
row (with a finding). Every foreign key becomes the position of the referenced record in its
table, or -1 when empty or dangling; the engine joins on these codes and never on text."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import DataModel
from ..problems import did_you_mean
from .findings import combine, findings_frame, shorten

NONE = -1
ROW = "_row"          # source row number as a spreadsheet shows it (header is row 1)


@dataclass
class Tables(Mapping[str, pd.DataFrame]):
    """The dataset's tables by name, plus the integer codes of every foreign key."""

    frames: dict[str, pd.DataFrame]
    codes: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)

    def code(self, table: str, column: str) -> np.ndarray:
        """Positions in the referenced table of each row's foreign key (-1: none)."""
        return self.codes[(table, column)]


def unique_keys(key: pa.ChunkedArray, rows: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The key of each row (a placeholder 'row-N' where it is empty), which rows keep their key,
    and which rows had none. Of rows sharing a key the first is kept."""
    missing = pc.is_null(key).to_numpy(zero_copy_only=False)
    text = key.combine_chunks() if isinstance(key, pa.ChunkedArray) else key
    if missing.any():
        placeholder = pa.array(np.char.add("row-", rows.astype(str)).astype(object))
        text = pc.if_else(pa.array(missing), placeholder, text)
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) == len(text):
        return text, np.ones(len(text), dtype=bool), missing
    # Dictionary codes are handed out in order of first appearance, so a row holds the first
    # occurrence of its key exactly when its code is higher than every code before it.
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    earlier_max = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return text, codes > earlier_max, missing


def link(frames: dict[str, pd.DataFrame], model: DataModel, source_of, only_filled_targets: bool = False
         ) -> tuple[Tables, pd.DataFrame]:
    """Codes of every foreign key; dangling ones become findings and null for the rules.

    source_of(table, column) gives the file and export column a finding names.
    only_filled_targets: a reference into an empty table is left unchecked (rule test cases
    give only the tables they need)."""
    tables, found = Tables(frames), []
    for name, spec in model.tables.items():
        frame = frames[name]
        for col in (c for c in spec.columns.values() if c.references):
            target = frames.get(col.references)
            codes = np.full(len(frame), NONE, dtype=np.int64)
            tables.codes[(name, col.name)] = codes
            if target is None or not len(frame) or (only_filled_targets and not len(target)):
                continue
            target_keys = model.tables[col.references].key
            codes[:] = positions_in(frame[col.name], target[target_keys])
            dangling = (codes == NONE) & frame[col.name].notna().to_numpy()
            if dangling.any():
                found.append(_dangling(frame, name, col.name, col.references, dangling, target[target_keys],
                                       source_of))
                frame.loc[dangling, col.name] = pd.NA
    return tables, combine(found)


def positions_in(values: pd.Series, keys: pd.Series) -> np.ndarray:
    found = pc.index_in(_arrow_text(values), value_set=_arrow_text(keys).combine_chunks())
    return pc.fill_null(found, NONE).to_numpy(zero_copy_only=False).astype(np.int64)


def _arrow_text(values: pd.Series) -> pa.ChunkedArray:
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        values = values.astype("string[pyarrow]")
    array = pa.array(values.array)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def _dangling(frame: pd.DataFrame, table: str, column: str, target: str, dangling: np.ndarray,
              keys: pd.Series, source_of) -> pd.DataFrame:
    file, export_col = source_of(table, column)
    values = frame[column].to_numpy(dtype=object)[dangling]
    return findings_frame(table, file, frame[ROW].to_numpy()[dangling], export_col, shorten(list(values)),
                          "dangling_reference", _dangling_messages(values, keys, target))


def _dangling_messages(values: np.ndarray, keys: pd.Series, table: str) -> list[str]:
    """One message per distinct bad value (suggestions are looked up once per value, not per row)."""
    distinct = pd.unique(values.astype(str))
    suggest = keys.astype(str).tolist() if len(distinct) <= 1000 and len(keys) <= 10000 else []
    messages = {v: f"'{v}' is not a key of {table}{did_you_mean(v, suggest)}" for v in distinct}
    return [messages[str(v)] for v in values]
