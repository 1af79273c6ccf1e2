"""Keys a split table repeats across buckets.

The loading code keeps the first record of a repeated key and drops the later ones with a
finding. A bucket sees only its own records, so it cannot drop a repeat whose first record
is in another bucket (two events with one event id in two deals), nor can a shard (two such
events naming two customers). So `checker convert` also writes each split table's keys (all
but the case table's, which are bucketed by the key itself) bucketed by the key, each with
the record's export row and its bucket in every layout the table is written in: by case,
and by each shard's column. A key whose records lie in more than one bucket of any layout is
contested; its records (row and key) are kept in the dataset, compared as text, not hashes.

At check time the first record of each contested key (the first the mapping's filter keeps,
when the table has one) is its own; every other record of it is a repeat, and each bucket
drops its repeats as it drops any repeated key, with the same finding."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..load.coerce import clean_text
from ..load.keys import placeheld
from ..load.parquet import ROW_COLUMN
from ..load.read import DataError
from .bucketed import Buckets, Placed, bucket_of

SCRATCH = "keys.tmp"
_CONTESTED = pa.schema([("key", pa.string()), (ROW_COLUMN, pa.int64())])


class KeyBuckets(Buckets):
    """A split table's keys, bucketed by the key, with each record's row and its bucket in each
    layout (by the export columns `layouts` names)."""

    def __init__(self, paths: list[Path], key: str, layouts: list[str]):
        super().__init__(paths, key)
        self.layouts = layouts

    def add(self, table: pa.Table, placed: Placed) -> None:
        buckets, rows = len(self.paths), table.column(ROW_COLUMN)
        text = placeheld(clean_text(table.column(self.key)), rows.to_numpy())[0]
        layouts = {f"in_{n}": pa.array(placed(c, buckets).astype(np.int32)) for n, c in enumerate(self.layouts)}
        self._append(pa.table({"key": text, ROW_COLUMN: rows, **layouts}), bucket_of(text, buckets))

    def close(self, header: list[str]) -> None:
        super().close(["key"])


def scratch_parts(out: Path, table: str, buckets: int) -> list[Path]:
    return [out / SCRATCH / table / f"bucket-{b:05d}.parquet" for b in range(buckets)]


def write_contested(out: Path, table: str, buckets: int) -> tuple[str, int]:
    """The table's contested records written to tables/TABLE/contested.parquet from its keys'
    buckets (then removed): the part's name and how many records it holds."""
    found = [_contested_in(pq.read_table(path)) for path in scratch_parts(out, table, buckets)]
    contested = pa.concat_tables(found)
    contested = contested.take(pc.sort_indices(contested.column(ROW_COLUMN)))
    name = f"tables/{table}/contested.parquet"
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(contested, out / name)
    shutil.rmtree(out / SCRATCH / table)
    if not any((out / SCRATCH).iterdir()):
        (out / SCRATCH).rmdir()
    return name, contested.num_rows


def _contested_in(part: pa.Table) -> pa.Table:
    """The records of one key bucket whose key has records in more than one bucket of a layout."""
    rows = part.column(ROW_COLUMN).to_numpy().astype(np.int64)
    key = part.column("key")
    codes = pc.dictionary_encode(key).combine_chunks().indices.to_numpy(zero_copy_only=False).astype(np.int64)
    spread = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=bool)
    for column in (c for c in part.column_names if c.startswith("in_") and len(codes)):
        placed = part.column(column).to_numpy().astype(np.int64)
        # Each distinct (key, bucket) pair once: a key met in two buckets is met twice.
        width = int(placed.max()) + 1
        spread |= np.bincount(np.unique(codes * width + placed) // width, minlength=len(spread)) > 1
    picked = np.flatnonzero(spread[codes])
    return pa.table({"key": key.take(pa.array(picked)), ROW_COLUMN: pa.array(rows[picked], pa.int64())},
                    schema=_CONTESTED)


def read_contested(path: Path) -> pa.Table:
    """A dataset's contested records of one table, or DataError when the part is not one."""
    try:
        table = pq.read_table(path)
        return table.select(["key", ROW_COLUMN]).cast(_CONTESTED)
    except (OSError, KeyError, ValueError, pa.ArrowInvalid) as exc:
        raise DataError(f"{path}: not a part of contested keys ({exc}); convert the export again") from None


def repeated_rows(contested: pa.Table, kept: np.ndarray | None = None) -> np.ndarray:
    """The export rows of the contested records that repeat the first record of their key,
    sorted; `kept`, when the table has a filter, is the contested rows it keeps (a record it
    leaves out is no first record)."""
    rows = contested.column(ROW_COLUMN).to_numpy().astype(np.int64)
    if not len(rows):
        return rows
    codes = pc.dictionary_encode(contested.column("key")).combine_chunks().indices.to_numpy(zero_copy_only=False)
    candidate = np.ones(len(rows), bool) if kept is None else np.isin(rows, kept)
    first = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    # The contested records are in row order: a key's first candidate is its first record.
    at = np.flatnonzero(candidate)
    keys, earliest = np.unique(codes[at], return_index=True)
    first[keys] = rows[at[earliest]]
    own = first[codes]
    return rows[(own >= 0) & (rows != own)]
