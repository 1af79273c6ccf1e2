"""Times as results write them: the byte-matrix formatter against datetime.isoformat."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.ordering import NAT
from checker.isotime import iso_times
from checker.views import as_times

ZONES = [None, "Asia/Shanghai", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe",
         "America/St_Johns", "Pacific/Chatham"]
# From 1800 (local mean time, with offsets in seconds) to 2200, by the microsecond or the minute.
INSTANTS = st.integers(-5_364_662_400_000_000, 7_258_118_400_000_000)


def expected(micros: list[int], tz: str | None) -> list[str | None]:
    known = [m for m in micros if m != NAT]
    texts = iter(stamp.isoformat() for stamp in as_times(np.array(known, dtype=np.int64), tz))
    return [None if m == NAT else next(texts) for m in micros]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(INSTANTS, INSTANTS.map(lambda m: m // 60_000_000 * 60_000_000), st.just(NAT)),
                min_size=1, max_size=60), st.sampled_from(ZONES))
def test_iso_times_are_what_isoformat_writes(micros, tz) -> None:
    assert iso_times(np.array(micros, dtype=np.int64), tz) == expected(micros, tz)


def test_a_large_column_of_minutes_in_one_zone() -> None:
    rng = np.random.default_rng(3)
    micros = 1_700_000_000_000_000 + rng.integers(0, 1_050_000, 200_000) * 60_000_000
    micros[::97] = NAT
    assert iso_times(micros, "Asia/Shanghai") == expected(micros.tolist(), "Asia/Shanghai")
