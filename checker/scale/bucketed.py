"""Parquet files a table's rows are appended to by bucket, a block of rows at a time: the
buckets of `checker convert` (a record's bucket is a stable hash of the column it is split by)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..load.coerce import clean_text
from ..load.keys import prefix_hashes
from ..load.parquet import ROW_COLUMN

ROWS_PER_GROUP = 1 << 17        # rows a bucket gathers before they are written as one row group


Placed = Callable[[str | None, int], np.ndarray]


class Buckets:
    """The open Parquet files of a table's buckets, each fed in row groups, its rows bucketed by
    the export column `key` (None: one bucket)."""

    def __init__(self, paths: list[Path], key: str | None):
        self.paths, self.key, self.writers, self.pending = paths, key, {}, {b: [] for b in range(len(paths))}
        self.records = 0
        paths[0].parent.mkdir(parents=True, exist_ok=True)

    def add(self, table: pa.Table, placed: Placed) -> None:
        """A block of rows; placed(column, buckets) gives each row's bucket by a column (placed_by)."""
        self._append(table, placed(self.key, len(self.paths)))

    def _append(self, table: pa.Table, of: np.ndarray) -> None:
        buckets = len(self.paths)
        order = np.argsort(of, kind="stable")
        ends = np.cumsum(np.bincount(of, minlength=buckets))
        for b, (start, end) in enumerate(zip(np.r_[0, ends[:-1]], ends)):
            if end > start:
                self.pending[b].append(table.take(pa.array(order[start:end])))
                if sum(t.num_rows for t in self.pending[b]) >= ROWS_PER_GROUP:
                    self._flush(b)
        self.records += table.num_rows

    def _flush(self, b: int) -> None:
        table = pa.concat_tables(self.pending[b])
        self.pending[b] = []
        if b not in self.writers:
            self.writers[b] = pq.ParquetWriter(self.paths[b], table.schema)
        self.writers[b].write_table(table, row_group_size=ROWS_PER_GROUP)

    def close(self, header: list[str]) -> None:
        for b in range(len(self.paths)):
            if self.pending[b]:
                self._flush(b)
            if b in self.writers:
                self.writers[b].close()
            else:
                empty = pa.table({**{n: pa.array([], pa.string()) for n in header}, ROW_COLUMN: pa.array([], pa.int64())})
                pq.write_table(empty, self.paths[b])


def placed_by(table: pa.Table) -> Placed:
    """Each row's bucket by a column, computed once per column and count of buckets: the
    tables and shards a block is written into share them."""
    done: dict[tuple[str | None, int], np.ndarray] = {}

    def placed(column: str | None, buckets: int) -> np.ndarray:
        if (column, buckets) not in done:
            done[column, buckets] = np.zeros(table.num_rows, np.int64) if column is None \
                else bucket_of(table.column(column), buckets)
        return done[column, buckets]

    return placed


def bucket_of(keys: pa.ChunkedArray | pa.Array, buckets: int) -> np.ndarray:
    """Each record's bucket: a hash of its key as the loading code cleans it (trimmed, empty as
    none), a function of the text alone, so the same on every machine, run and table."""
    text = clean_text(keys if isinstance(keys, pa.ChunkedArray) else pa.chunked_array([keys])).combine_chunks()
    hashed = np.where(text.is_valid().to_numpy(zero_copy_only=False), prefix_hashes(text), np.uint64(0))
    # An FNV hash's low bits depend on the low bits of each byte only; its high bits on all of them.
    return ((hashed >> np.uint64(32)) % np.uint64(buckets)).astype(np.int64)
