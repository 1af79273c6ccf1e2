"""Local calendar days for the kinds that count days: a time's day in the run's time zone,
and the last instant of a day."""
from __future__ import annotations

import numpy as np
import pandas as pd


def local_days(values: pd.Series, tz: str | None) -> np.ndarray:
    """Each value's local date as datetime64[D] (NaT where empty or not a time)."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    if values.dt.tz is not None:
        values = values.dt.tz_convert(tz or "UTC").dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[D]")


def day_ends(days: np.ndarray, tz: str | None) -> np.ndarray:
    """The last instant of each local day, in microseconds since 1970 UTC."""
    following = pd.DatetimeIndex(np.asarray(days, dtype="datetime64[D]") + np.timedelta64(1, "D"))
    if tz:
        following = following.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").tz_convert("UTC")
    return following.as_unit("us").asi8 - 1
