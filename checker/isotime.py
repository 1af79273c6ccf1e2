"""ISO 8601 text of whole columns of instants (microseconds since 1970 UTC), in a zone, as
datetime.isoformat writes each, and their wall-clock time: laid out as byte matrices from
tables of the few distinct days, seconds of the day and offsets, with no Python call per time."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .ordering import NAT
from .views import US_PER_DAY, as_times
from .zones import wall_of_utc


def iso_times(micros: np.ndarray, tz: str | None) -> list[str | None]:
    """ISO 8601 text of each time in the run's zone (as datetime.isoformat writes it: a fraction
    only when there is one, the offset as +HH:MM), None for NAT."""
    return iso_text(micros, tz).to_numpy(zero_copy_only=False).tolist()


def iso_text(micros: np.ndarray, tz: str | None) -> pa.Array:
    """iso_times as an arrow text column (null for NAT), for writers that never need Python
    strings. The characters are laid out as a byte matrix, a row per time, from tables of the
    few distinct days, seconds of the day and offsets."""
    micros = np.asarray(micros, dtype=np.int64)
    known = micros != NAT
    lengths = np.zeros(len(micros), dtype=np.int64)
    data = np.zeros(0, dtype=np.uint8)
    if known.any():
        wall = wall_micros(micros[known], tz)
        lengths[known], data = _iso_characters(micros[known], wall, tz)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    validity = None if known.all() else pa.py_buffer(np.packbits(known, bitorder="little"))
    text = pa.LargeStringArray.from_buffers(len(micros), pa.py_buffer(offsets), pa.py_buffer(data), validity)
    # Offsets of local mean time before standard zones have seconds, which isoformat writes too.
    odd = np.flatnonzero(known)[(wall - micros[known]) % 60_000_000 != 0] if known.any() else []
    if len(odd):
        values = text.to_numpy(zero_copy_only=False)
        values[odd] = [stamp.isoformat() for stamp in as_times(micros[odd], tz)]
        text = pa.array(values, pa.large_string())
    return text


def wall_micros(micros: np.ndarray, tz: str | None) -> np.ndarray:
    """Microseconds of the wall-clock time in the zone (of times that are no NAT)."""
    return wall_of_utc(micros, tz) if tz else micros


def _iso_characters(micros: np.ndarray, wall: np.ndarray, tz: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The length of each time's text and all their characters, one after the other."""
    days = np.floor_divide(wall, US_PER_DAY)
    seconds, fraction = np.divmod(wall - days * US_PER_DAY, 1_000_000)
    fractional = fraction != 0
    parts = {"day": (days, _day_texts), "second": (seconds, _second_texts)}
    if fractional.any():
        parts["fraction"] = (fraction, lambda f: _digits(f, 6, b"."))
    if tz:
        parts["offset"] = ((wall - micros) // 60_000_000, _offset_texts)
    chars = _laid_out(parts, len(micros))
    if fractional.any() and not fractional.all():   # ".ffffff" only where there is a fraction
        keep = np.ones(chars.shape, dtype=bool)
        keep[:, 19:26] = fractional[:, None]
        return keep.sum(axis=1), chars[keep]
    return np.full(len(chars), chars.shape[1]), chars.reshape(-1)


def _laid_out(parts: dict, rows: int) -> np.ndarray:
    """A (rows, width) byte matrix, each part's characters beside the last's. A part is values
    and a function giving the characters of a range of values: it is called for the range
    present only (a few hundred days, the seconds of a day), and each value's row taken from
    it as one fixed-size item."""
    tables = {}
    for name, (values, texts) in parts.items():
        low, high = int(values.min()), int(values.max())
        table = np.ascontiguousarray(texts(np.arange(low, high + 1, dtype=np.int64)))
        tables[name] = (values - low, table.view(f"V{table.shape[1]}").ravel())
    out = np.empty(rows, dtype=[(name, table.dtype) for name, (_, table) in tables.items()])
    for name, (index, table) in tables.items():
        out[name] = table[index]
    return out.view(np.uint8).reshape(rows, -1)


def _day_texts(days: np.ndarray) -> np.ndarray:
    year, month, day = civil_from_days(days)
    return np.concatenate([_digits(year, 4), _digits(month, 2, b"-"), _digits(day, 2, b"-")], axis=1)


def _second_texts(seconds: np.ndarray) -> np.ndarray:
    return np.concatenate([_digits(seconds // 3600, 2, b"T"), _digits(seconds // 60 % 60, 2, b":"),
                           _digits(seconds % 60, 2, b":")], axis=1)


def _offset_texts(minutes: np.ndarray) -> np.ndarray:
    sign = np.where(minutes < 0, ord("-"), ord("+")).astype(np.uint8)[:, None]
    return np.concatenate([sign, _digits(np.abs(minutes) // 60, 2), _digits(np.abs(minutes) % 60, 2, b":")], axis=1)


def _digits(values: np.ndarray, width: int, before: bytes = b"") -> np.ndarray:
    """A (len(values), len(before) + width) byte matrix: the characters `before`, then each
    value in `width` decimal digits."""
    out = np.empty((len(values), len(before) + width), dtype=np.uint8)
    out[:, :len(before)] = np.frombuffer(before, dtype=np.uint8)
    rest = np.asarray(values, dtype=np.int64).copy()
    for k in range(width):
        out[:, len(before) + width - 1 - k] = 48 + rest % 10
        rest //= 10
    return out


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Proleptic Gregorian (year, month, day) of days since 1970-01-01 (H. Hinnant's algorithm)."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month, doy - (153 * mp + 2) // 5 + 1
