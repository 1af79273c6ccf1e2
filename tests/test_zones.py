"""Wall-clock time and UTC by the table of each hour's offset equal pandas' own conversion, for
zones with and without daylight saving, half-hour and 45-minute offsets, offsets that change
mid-hour, and times around every change."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.zones import NAT, utc_of_wall, wall_of_utc

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
         "America/St_Johns", "UTC", "Pacific/Apia"]
MINUTE = 60_000_000
START = int(pd.Timestamp("2019-01-01").value // 1000)
SPAN = 8 * 366 * 24 * 60          # minutes in the years checked


def pandas_utc(wall: np.ndarray, tz: str) -> np.ndarray:
    index = pd.DatetimeIndex(wall.view("datetime64[us]"))
    return index.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").as_unit("us").asi8


def pandas_wall(utc: np.ndarray, tz: str) -> np.ndarray:
    return pd.DatetimeIndex(utc.view("datetime64[us]")).tz_localize("UTC").tz_convert(tz).tz_localize(None) \
        .as_unit("us").asi8


TIMES = st.lists(st.one_of(st.integers(0, SPAN).map(lambda m: START + m * MINUTE),
                           st.integers(0, SPAN * 60_000_000).map(lambda u: START + u), st.just(NAT)),
                 min_size=0, max_size=60)


@settings(max_examples=200, deadline=None)
@given(TIMES, st.sampled_from(ZONES))
def test_both_ways_equal_pandas(times: list[int], tz: str) -> None:
    micros = np.array(times, dtype=np.int64)
    assert utc_of_wall(micros, tz).tolist() == pandas_utc(micros, tz).tolist()
    assert wall_of_utc(micros, tz).tolist() == pandas_wall(micros, tz).tolist()


def test_every_minute_around_the_changes_of_eight_years() -> None:
    minutes = START + np.arange(0, SPAN, 7, dtype=np.int64) * MINUTE
    for tz in ZONES:
        assert np.array_equal(utc_of_wall(minutes, tz), pandas_utc(minutes, tz)), tz
        assert np.array_equal(wall_of_utc(minutes, tz), pandas_wall(minutes, tz)), tz


def test_skipped_and_repeated_wall_times_are_nat() -> None:
    wall = np.array([pd.Timestamp(t).value // 1000 for t in
                     ("2025-03-30 02:30", "2025-10-26 02:30", "2025-10-26 03:30", "2025-03-30 01:59")], dtype=np.int64)
    utc = utc_of_wall(wall, "Europe/Berlin")
    assert utc[0] == NAT and utc[1] == NAT
    assert utc[2] == pd.Timestamp("2025-10-26 02:30", tz="UTC").value // 1000
    assert utc[3] == pd.Timestamp("2025-03-30 00:59", tz="UTC").value // 1000


def test_a_column_spanning_centuries_is_converted_too() -> None:
    micros = np.array([pd.Timestamp("1800-06-01").value // 1000, NAT, pd.Timestamp("2100-06-01").value // 1000])
    assert wall_of_utc(micros, "Europe/Berlin").tolist() == pandas_wall(micros, "Europe/Berlin").tolist()
    assert utc_of_wall(micros, "Europe/Berlin").tolist() == pandas_utc(micros, "Europe/Berlin").tolist()
