"""Times with their own UTC offsets and wall-clock times of the mapping's zone, held to Python's
own datetime and zoneinfo on generated text; the findings a time that cannot be placed gives."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.load.coerce import coerce_column
from checker.load.times import NAT, parse_times, to_series
from checker.model import ColumnSpec

ZONE = "Europe/Amsterdam"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _texts(values: list) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(values, pa.string())])


def _utc_micros(stamp: dt.datetime) -> int:
    return (stamp - EPOCH) // dt.timedelta(microseconds=1)


def _expected(text: str, zone: str) -> int:
    """Python's reading: the cell's own offset, else the zone's clock where it shows the time
    exactly once (a time the clock skips or shows twice cannot be placed)."""
    stamp = dt.datetime.fromisoformat(text)
    if stamp.tzinfo is not None:
        return _utc_micros(stamp)
    tz = ZoneInfo(zone)
    early, late = stamp.replace(tzinfo=tz, fold=0), stamp.replace(tzinfo=tz, fold=1)
    exists = early.astimezone(dt.timezone.utc).astimezone(tz).replace(tzinfo=None) == stamp
    return _utc_micros(early) if exists and early.utcoffset() == late.utcoffset() else NAT


def test_offsets_that_change_within_a_column_keep_each_instant():
    got = parse_times(_texts(["2024-03-30T10:00:00+01:00", "2024-04-01T10:00:00+02:00", "2024-04-01 10:00:00 +0200",
                              "2024-04-01T08:00:00Z"]), None, ZONE)
    stamps = [dt.datetime(2024, 3, 30, 9, tzinfo=dt.timezone.utc)] + [dt.datetime(2024, 4, 1, 8, tzinfo=dt.timezone.utc)] * 3
    assert list(got) == [_utc_micros(s) for s in stamps]


def test_both_readings_of_the_repeated_hour_are_told_apart_by_their_offsets():
    got = to_series(parse_times(_texts(["2024-10-27T02:30:00+02:00", "2024-10-27T02:30:00+01:00", "2024-10-27 02:30"]),
                                None, ZONE), ZONE)
    assert [str(t) for t in got] == ["2024-10-27 02:30:00+02:00", "2024-10-27 02:30:00+01:00", "NaT"]


def test_a_declared_format_with_an_offset_asks_every_cell_for_one():
    got = parse_times(_texts(["30.03.2024 10:00+0100", "30.03.2024 10:00", "30.03.2024 10:00+2500"]), "%d.%m.%Y %H:%M%z", ZONE)
    assert list(got) == [_utc_micros(dt.datetime(2024, 3, 30, 9, tzinfo=dt.timezone.utc)), NAT, NAT]


def test_a_date_column_takes_the_day_of_the_zone():
    got = to_series(parse_times(_texts(["2024-03-30T23:30:00Z", "2024-03-30"]), None, ZONE, date_only=True), ZONE)
    assert [str(t) for t in got] == ["2024-03-31 00:00:00+01:00", "2024-03-30 00:00:00+01:00"]


def test_an_unreadable_time_is_a_finding_without_a_word_on_clock_changes():
    coerced = coerce_column(_texts(["2024-03-31 03:30", "junk"]), ColumnSpec("at", "datetime"), {}, None, ZONE)
    assert (coerced.bad.tolist(), coerced.expected) == ([False, True], "a date and time")


def test_a_time_the_zone_skips_or_repeats_is_a_finding_saying_what_to_do():
    spec = ColumnSpec("at", "datetime")
    coerced = coerce_column(_texts(["2024-03-31 02:30", "2024-10-27 02:30", "2024-10-27 02:30+01:00", "junk"]),
                            spec, {}, None, ZONE)
    assert coerced.bad.tolist() == [True, True, False, True]
    assert coerced.expected == ("a date and time (a clock time that Europe/Amsterdam skips or repeats at a "
                                "daylight-saving change needs its UTC offset)")


_OFFSETS = st.one_of(st.just(""), st.just("Z"), st.builds(
    lambda sign, h, m, colon, blank: f"{' ' if blank else ''}{sign}{h:02d}{':' if colon else ''}{m:02d}",
    st.sampled_from("+-"), st.integers(0, 14), st.sampled_from([0, 30, 45]), st.booleans(), st.booleans()))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 12, 31)),
                          st.sampled_from([" ", "T"]), st.sampled_from(["minutes", "seconds", "microseconds"]), _OFFSETS),
                min_size=1, max_size=40),
       st.sampled_from([ZONE, "America/New_York", "Asia/Shanghai", "UTC"]))
def test_times_agree_with_python(cells, zone):
    # Times near the zone's daylight-saving changes are drawn often: the hour before 3 o'clock.
    texts = [stamp.isoformat(sep, spec) + offset for stamp, sep, spec, offset in cells]
    got = parse_times(_texts(texts), None, zone)
    for text, value in zip(texts, got):
        assert value == _expected(text.replace(" +", "+").replace(" -", "-"), zone), text


# Every 7 minutes from midnight: Amsterdam skips 02:00-02:59 and repeats 02:00-02:59 (8 times
# each), New York skips 02:00-02:59 (8) and repeats 01:00-01:59 (9).
@pytest.mark.parametrize(("zone", "unplaced"), [(ZONE, 16), ("America/New_York", 17)])
def test_every_minute_around_the_changes_agrees_with_python(zone, unplaced):
    start = {ZONE: dt.datetime(2024, 3, 31), "America/New_York": dt.datetime(2024, 3, 10)}[zone]
    autumn = {ZONE: dt.datetime(2024, 10, 27), "America/New_York": dt.datetime(2024, 11, 3)}[zone]
    minutes = [day + dt.timedelta(minutes=m) for day in (start, autumn) for m in range(0, 240, 7)]
    texts = [m.isoformat(" ", "minutes") for m in minutes]
    got = parse_times(_texts(texts), None, zone)
    expected = np.array([_expected(t, zone) for t in texts])
    assert (got == expected).all()
    assert (got == NAT).sum() == unplaced
