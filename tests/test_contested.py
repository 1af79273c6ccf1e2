"""Keys repeated across the buckets of a dataset (scale/contested.py): judged bucket by bucket,
each bucket dropping its repeats and then, as the loading code does, the later records of a
key it holds twice, the records kept are exactly those the loading code keeps of the whole
table (the first record of each key the filter keeps), in every layout the table is written
in (by case and by a shard's column)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.load.parquet import ROW_COLUMN
from checker.scale.bucketed import bucket_of, placed_by
from checker.scale.contested import KeyBuckets, read_contested, repeated_rows, scratch_parts, write_contested

BUCKETS = 3
LAYOUTS = ["case", "customer"]

records = st.lists(st.tuples(st.sampled_from(["A1", "A2", " A1", "B", "", "row-3", "row-9"]),
                             st.sampled_from(["D1", "D2", "D3", "D4", ""]),
                             st.sampled_from(["C1", "C2", "C3"]),
                             st.booleans()),
                   max_size=40)


def key_of(text: str, row: int) -> str:
    """The key as the loading code reads it: trimmed, a placeholder when empty."""
    return text.strip() or f"row-{row}"


def kept_by_buckets(keys: list[str], rows: list[int], where: np.ndarray, kept: list[bool], repeated: set[int]) -> set[int]:
    out = set()
    for bucket in range(BUCKETS):
        seen = set()
        for key, row, at, keep in zip(keys, rows, where, kept):
            if at == bucket and keep and row not in repeated and key not in seen:
                seen.add(key)
                out.add(row)
    return out


@settings(max_examples=150, deadline=None)
@given(records, st.integers(2, 5), st.booleans())
def test_buckets_keep_what_the_whole_table_keeps(tmp_path_factory, given_records, step, one_block):
    out = tmp_path_factory.mktemp("dataset")
    rows = [2 + step * i for i in range(len(given_records))]
    table = pa.table({"id": [r[0] for r in given_records], "case": [r[1] for r in given_records],
                      "customer": [r[2] for r in given_records], ROW_COLUMN: pa.array(rows, pa.int64())})
    sink = KeyBuckets(scratch_parts(out, "events", BUCKETS), "id", LAYOUTS)
    blocks = [table] if one_block else [table.slice(i, 3) for i in range(0, table.num_rows, 3)]
    for block in blocks:
        sink.add(block, placed_by(block))
    sink.close([])
    name, count = write_contested(out, "events", BUCKETS)
    contested = read_contested(out / name)
    assert contested.num_rows == count and not (out / "keys.tmp").exists()

    kept = [r[3] for r in given_records]
    keys = [key_of(r[0], row) for r, row in zip(given_records, rows)]
    contested_rows = contested.column(ROW_COLUMN).to_numpy()
    repeated = set(repeated_rows(contested, np.array([row for row, keep in zip(rows, kept) if keep]))
                   .tolist()) & set(contested_rows.tolist())
    first = {}
    for key, row, keep in zip(keys, rows, kept):
        if keep:
            first.setdefault(key, row)
    for layout in LAYOUTS:
        where = bucket_of(table.column(layout), BUCKETS) if len(rows) else np.zeros(0, np.int64)
        assert kept_by_buckets(keys, rows, where, kept, repeated) == set(first.values()), layout
