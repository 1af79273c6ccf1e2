"""Orderings of event rows that every check shares: by case, then time, then event key, as
packed integers where they fit (one plain sort instead of a sort on several keys)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NAT = np.iinfo("int64").min    # an unknown time (microseconds since 1970 UTC everywhere else)


def run_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values begins in a sorted array."""
    if not len(sorted_codes):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])


def grouped_by(group: np.ndarray, groups: int, chunk: int = 1 << 18) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by a small non-negative code (a stable counting sort), and where each group
    begins (groups + 1 bounds).

    Sorted a chunk at a time: NumPy's radix sort takes a scratch buffer as large as its input
    from the C heap, in small pages that a fresh process pays for one fault each (a third of a
    second at ten million events here), while a chunk's buffer is used again by the next."""
    counts = np.bincount(group, minlength=groups)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    out = np.empty(len(group), dtype=np.int64)
    filled = bounds[:-1].copy()
    for start in range(0, len(group), chunk):
        part = group[start:start + chunk]
        order = np.argsort(part, kind="stable") + start
        part_counts = np.bincount(part, minlength=groups)
        part_bounds = np.concatenate([[0], np.cumsum(part_counts)])
        for g in np.flatnonzero(part_counts):
            out[filled[g]:filled[g] + part_counts[g]] = order[part_bounds[g]:part_bounds[g + 1]]
        filled += part_counts
    return out, bounds


def key_order(keys: np.ndarray) -> np.ndarray:
    """The stable order of record keys: by arrow's sort when they are all text (it compares UTF-8
    bytes, which orders texts as Python does, by code point, and is many times as fast as
    sorting Python objects), else by Python's comparisons."""
    try:
        text = pa.array(keys, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):   # numbers, or a lone surrogate
        text = None
    if text is None or text.null_count:
        return np.argsort(keys, kind="stable")
    return pc.sort_indices(text).to_numpy().astype(np.int64, copy=False)


def time_order(case: np.ndarray, time: np.ndarray, keys: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Order of events (all with a known time) by case, then time, then event key.

    Case codes and times sort as one integer; only rows that tie on both are ordered by their key."""
    order = case_time_order(case, time)
    c, t = case[order], time[order]
    same = (c[1:] == c[:-1]) & (t[1:] == t[:-1])
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        pos = np.flatnonzero(tied)
        ids = pa.array(keys.iloc[rows[order[pos]]].astype("string[pyarrow]").array)
        rank = pc.rank(ids, sort_keys="ascending", tiebreaker="dense").to_numpy()
        order[pos] = order[pos][np.lexsort((rank, t[pos], c[pos]))]
    return order


def case_time_order(case: np.ndarray, time: np.ndarray, first_among_equals: np.ndarray | None = None) -> np.ndarray:
    """Row order by case then time (then rows marked False in first_among_equals before rows
    marked True), ties in row order. Rows without a time (NAT) come first in their case.

    Case, the time counted in steps of the data's own resolution (a minute for times given to
    the minute) from the earliest, the mark and the row number are packed into one 64-bit
    integer, since sorting plain integers is many times faster than a sort on several keys."""
    if not len(case):
        return np.zeros(0, dtype=np.int64)
    known = time != NAT
    start = time[known].min() if known.any() else 0
    step = int(np.gcd.reduce(time[known] - start)) or 1
    ticks = np.where(known, (time - start) // step + 1, 0)
    if first_among_equals is not None:
        ticks = ticks * 2 + first_among_equals
    return _packed_order(case.astype(np.int64), ticks)


def _packed_order(case: np.ndarray, ticks: np.ndarray) -> np.ndarray:
    """Stable order of rows by (case, ticks), both non-negative. When case, ticks and row
    number need more than 63 bits together (a million cases of several million events), the
    rows are first put in groups by the high bits of their case, by a radix sort of small
    integers, and each group is sorted on its own with the low bits and its own row numbers."""
    case_bits, tick_bits, row_bits = (_bits(n) for n in (case.max(), ticks.max(), len(case)))
    excess = case_bits + tick_bits + row_bits - 63
    if excess <= 0:
        return _sorted_packed(case, ticks, tick_bits, row_bits)
    # Each high bit taken off the case halves a group's rows too (when cases are of like size):
    # a few groups are enough, and few groups keep the loop below short.
    high_bits = min(case_bits, excess // 2 + 2, 15)
    low_bits = case_bits - high_bits
    group = (case >> low_bits).astype(np.int16)
    grouped = np.argsort(group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=1 << high_bits))])
    low = case & ((1 << low_bits) - 1)
    out = np.empty(len(case), dtype=np.int64)
    for begin, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        if begin == end:
            continue
        rows = grouped[begin:end]
        local_rows = _bits(end - begin)
        if low_bits + tick_bits + local_rows <= 63:
            out[begin:end] = rows[_sorted_packed(low[rows], ticks[rows], tick_bits, local_rows)]
        else:
            out[begin:end] = rows[np.lexsort((ticks[rows], low[rows]))]
    return out


def _sorted_packed(case: np.ndarray, ticks: np.ndarray, tick_bits: int, row_bits: int) -> np.ndarray:
    packed = (case << (tick_bits + row_bits)) | (ticks << row_bits) | np.arange(len(case), dtype=np.int64)
    return np.sort(packed) & ((1 << row_bits) - 1)


def _bits(n: int) -> int:
    return max(int(n).bit_length(), 1)
