"""The shared event order (case, then time, then row) against a plain sort on the same keys,
including inputs too wide to pack into one 64-bit integer, which are sorted in groups."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.ordering import NAT, case_time_order, grouped_by


def reference_order(case: np.ndarray, time: np.ndarray, mark: np.ndarray | None) -> np.ndarray:
    """Rows by case, then time (unknown first), then mark, then row number."""
    time_key = np.where(time == NAT, np.iinfo("int64").min, time)
    keys = [np.arange(len(case))]
    if mark is not None:
        keys.append(mark)
    return np.lexsort((*keys, time_key, case))


@st.composite
def event_rows(draw) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    size = draw(st.integers(1, 300))
    # Wide cases and times (up to 2**40 cases, times spread over centuries by the microsecond)
    # make case, ticks and row number overflow 63 bits, the path that sorts in groups.
    case_top = draw(st.sampled_from([3, 1000, 2**20, 2**40]))
    cases = draw(st.lists(st.integers(0, case_top), min_size=size, max_size=size))
    resolution = draw(st.sampled_from([1, 60_000_000]))
    spread = 2 ** draw(st.sampled_from([4, 20, 32]))
    times = draw(st.lists(st.one_of(st.just(None), st.integers(-spread, spread)), min_size=size, max_size=size))
    time = np.array([NAT if t is None else 1_700_000_000_000_000 + t * resolution for t in times], dtype=np.int64)
    mark = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size))) if draw(st.booleans()) else None
    return np.array(cases, dtype=np.int64), time, mark


@settings(max_examples=300, deadline=None)
@given(event_rows())
def test_the_packed_order_equals_a_plain_sort(rows) -> None:
    case, time, mark = rows
    assert case_time_order(case, time, mark).tolist() == reference_order(case, time, mark).tolist()


def test_a_million_cases_of_millions_of_events_sort_in_groups_to_the_same_order() -> None:
    # 20 bits of case, 22 of minutes in four years, 22 of row number: one bit too many to pack.
    rng = np.random.default_rng(7)
    size = 3_000_000
    case = rng.integers(0, 1_000_000, size)
    time = 1_700_000_000_000_000 + rng.integers(0, 2_100_000, size) * 60_000_000
    time[rng.random(size) < 0.01] = NAT
    assert np.array_equal(case_time_order(case, time), reference_order(case, time, None))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=200), st.integers(1, 50))
def test_grouping_by_chunks_equals_a_stable_sort(codes, chunk) -> None:
    group = np.array(codes, dtype=np.int16)
    rows, bounds = grouped_by(group, 7, chunk=chunk)
    assert rows.tolist() == np.argsort(group, kind="stable").tolist()
    assert bounds.tolist() == [0, *np.cumsum(np.bincount(group, minlength=7)).tolist()]
