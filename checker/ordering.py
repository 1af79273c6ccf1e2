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
    marked True). Case, the time counted in steps of the data's own resolution (a minute for
    times given to the minute), the mark and the row number are packed into one 64-bit integer
    when they fit, since sorting plain integers is many times faster than a sort on several keys.
    Rows without a time (NAT) come first in their case."""
    if not len(case):
        return np.zeros(0, dtype=np.int64)
    known = time != NAT
    start = time[known].min(initial=0)
    step = int(np.gcd.reduce(time[known] - start)) or 1
    ticks = np.where(known, (time - start) // step + 1, 0)
    if first_among_equals is not None:
        ticks = ticks * 2 + first_among_equals
    bits = [max(int(n).bit_length(), 1) for n in (case.max(), ticks.max(), len(case))]
    if sum(bits) > 63:
        keys = (time, case) if first_among_equals is None else (first_among_equals, time, case)
        return np.lexsort(keys)
    packed = (case.astype(np.int64) << (bits[1] + bits[2])) | (ticks << bits[2]) | np.arange(len(case), dtype=np.int64)
    return np.sort(packed) & ((1 << bits[2]) - 1)
