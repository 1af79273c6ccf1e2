"""Dates and times from export text, parsed in arrow compute with no Python call per cell.

A format is turned into an anchored regular expression whose groups are the date and
clock fields; the fields are range-checked (a 31 September is refused, not rolled into
October as strptime implementations do) and assembled into microseconds arithmetically.
Only cells that no format matches fall back to pandas' per-cell "mixed" parser.

A cell that ends in its own UTC offset (`Z`, `+02:00`, `-0500`) keeps its instant, whatever
the other cells' offsets (an export spanning a daylight-saving change has two); the offset is
read from the cell's last bytes and the rest parsed like any time. A cell without one is a
wall-clock time of the mapping's zone; one that the zone's clock skips or shows twice (a
daylight-saving change) cannot be placed and is left empty, like unreadable text."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..zones import utc_of_wall, wall_of_utc
from .buffers import row_blocks, text_buffers
from .offsets import utc_offsets, without_suffix

NAT = np.iinfo("int64").min
_US_PER_DAY = 86_400_000_000
_FIELDS = {"Y": r"(?P<Y>\d{4})", "m": r"(?P<m>\d{1,2})", "d": r"(?P<d>\d{1,2})", "H": r"(?P<H>\d{1,2})",
           "M": r"(?P<M>\d{1,2})", "S": r"(?P<S>\d{1,2})", "f": r"(?P<f>\d{1,6})"}
# What an undeclared column is first tried as: ISO-like dates with -, / or . and an optional clock.
_DEFAULT = (r"^(?P<Y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
            r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?$")


# Text lengths of the ISO shapes read straight from bytes: date, + HH:MM, + :SS, + .f to .ffffff.
_ISO_ANY = frozenset({10, 16, 19, 21, 22, 23, 24, 25, 26})
_ISO_WIDTH = 26
_BLOCK = 1 << 20
_ISO_LENGTHS = {"%Y-%m-%d": frozenset({10}), "%Y-%m-%d %H:%M": frozenset({16}), "%Y-%m-%d %H:%M:%S": frozenset({19})}


def format_regex(fmt: str) -> str | None:
    """The anchored regex of a strptime format, or None when it uses a directive this parser
    does not know (such columns are parsed by pandas with that format)."""
    out, i = ["^"], 0
    while i < len(fmt):
        if fmt[i] == "%":
            field = _FIELDS.get(fmt[i + 1:i + 2])
            if field is None or field in out:
                return None
            out.append(field)
            i += 2
        else:
            out.append(re.escape(fmt[i]))
            i += 1
    return "".join(out) + "$"


def parse_times(text: pa.ChunkedArray, fmt: str | None, tz: str | None, date_only: bool = False) -> np.ndarray:
    """Microseconds since 1970 UTC per cell: NAT where the cell is empty, unreadable, or a
    wall-clock time that tz skips or repeats. Without tz, times without an offset are read as
    UTC. date_only: each time becomes the start of its day in tz. Read a block of rows at a
    time, so the temporaries stay small."""
    text = text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])
    micros, done = np.empty(len(text), dtype=np.int64), 0
    for block in row_blocks(text, _BLOCK):
        micros[done:done + len(block)] = _placed(*_parse_block(block, fmt), tz, date_only)
        done += len(block)
    return micros


def _placed(micros: np.ndarray, aware: np.ndarray, tz: str | None, date_only: bool) -> np.ndarray:
    """UTC microseconds of wall-clock times of tz (aware: the cell's instant is known already)."""
    if date_only and tz and aware.any():
        micros = np.where(aware, wall_of_utc(micros, tz), micros)
        aware = np.zeros_like(aware)
    if date_only:
        micros = np.where(micros == NAT, NAT, micros - micros % _US_PER_DAY)
    if not tz:
        return micros
    some_aware = aware.any()
    placed = utc_of_wall(np.where(aware, NAT, micros) if some_aware else micros, tz)
    return np.where(aware, micros, placed) if some_aware else placed


def _parse_block(text: pa.Array, fmt: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: microseconds and whether the cell gave its own offset (then they are UTC,
    else wall clock). The cheapest readings come first; each later one sees only what is left."""
    values = np.full(len(text), NAT, dtype=np.int64)
    aware = np.zeros(len(text), dtype=bool)
    todo = ~_is_null(text)
    lengths = _ISO_LENGTHS.get(fmt) if fmt else _ISO_ANY
    zoned_first = fmt is None and utc_offsets(text.slice(0, 64))[0].any()
    if lengths is not None and todo.any() and not zoned_first:
        iso, micros = _iso_bytes(text, lengths)
        iso &= todo
        values[iso] = micros[iso]
        todo &= ~iso
    if (fmt is None or fmt.endswith("%z")) and todo.any():
        values, aware, todo = _read_offsets(text, todo, values, fmt)
        if fmt:             # the format asks for an offset: a cell without one does not fit it
            return values, aware
    pattern = format_regex(fmt) if fmt else _DEFAULT
    if todo.any():
        rest = text.filter(pa.array(todo))
        if pattern:
            values[todo] = _parse_fields(rest, pattern)
        else:
            values[todo], aware[todo] = _pandas_times(rest, fmt)
    if fmt is None:
        missed = np.flatnonzero(todo & (values == NAT))
        if missed.size:
            values[missed], aware[missed] = _pandas_times(text.take(pa.array(missed)), None)
    return values, aware


def _read_offsets(text: pa.Array, todo: np.ndarray, values: np.ndarray,
                  fmt: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells among todo that end in an offset, read as UTC instants; what is left to do."""
    where = np.flatnonzero(todo)
    rest = text if where.size == len(text) else text.take(pa.array(where))
    zoned, offset, width = utc_offsets(rest)
    aware = np.zeros(len(text), dtype=bool)
    if zoned.any():
        where, offset = where[zoned], offset[zoned]
        rest = rest if zoned.all() else rest.filter(pa.array(zoned))
        local, _ = _parse_block(without_suffix(rest, width[zoned]), fmt and fmt[:-2].rstrip())
        values[where] = np.where((local == NAT) | (offset == NAT), NAT, local - offset)
        aware[where] = True
        todo = todo & ~aware
    return values, aware, todo


def _iso_bytes(text: pa.Array, lengths: frozenset[int]) -> tuple[np.ndarray, np.ndarray]:
    """ISO text (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]) read straight from arrow's byte buffer: which
    cells have that exact shape, and their microseconds (NAT for impossible dates and clocks)."""
    offsets, data = text_buffers(text)
    # This block's bytes, padded so every cell can be read at all 26 places (places past a
    # cell's end are masked by its length).
    data = np.concatenate([data[offsets[0]:offsets[-1]], np.zeros(_ISO_WIDTH, dtype=np.uint8)])
    offsets = offsets - offsets[0]
    start, length = offsets[:-1], np.diff(offsets)
    allowed = np.zeros(_ISO_WIDTH + 2, dtype=bool)
    allowed[list(lengths)] = True
    shape = allowed[np.minimum(length, _ISO_WIDTH + 1)]
    width = int(length[0]) if len(length) else 0
    if width and (length == width).all():
        # Every cell is as long as the first (the usual export): the bytes are a matrix, read
        # as it is unless a fraction is read up to its sixth place.
        matrix = data[:len(length) * width].reshape(-1, width)
        if 20 < width < _ISO_WIDTH:
            matrix = np.concatenate([matrix, np.zeros((len(length), _ISO_WIDTH - width), dtype=np.uint8)], axis=1)
        byte = lambda k: matrix[:, k]  # noqa: E731
    else:
        byte = lambda k: data[start + k]  # noqa: E731

    def digits(first: int, width: int, needed: np.ndarray | None = None) -> np.ndarray:
        # A non-digit byte wraps past 9 and fails the shape; its value is then never used.
        # Fields up to 99 are added up in bytes, years in 16 bits: a quarter and a half of
        # the memory traffic of 32-bit sums.
        nonlocal shape
        kind = np.uint8 if width <= 2 else np.uint16
        value = np.zeros(len(start), dtype=kind)
        for k in range(first, first + width):
            d = byte(k) - np.uint8(48)
            shape &= (d <= 9) if needed is None else (~needed | (d <= 9))
            value = value * kind(10) + d
        return value

    if not shape.any():
        return shape, np.full(len(length), NAT, dtype=np.int64)
    longest = int(length[shape].max())
    zeros = np.zeros(len(start), dtype=np.int32)
    shape &= (byte(4) == ord("-")) & (byte(7) == ord("-"))
    year, month, day = digits(0, 4), digits(5, 2), digits(8, 2)
    hour = minute = second = zeros
    if longest >= 16:           # the optional parts are read only when some cell has them
        has_clock = length >= 16
        shape &= ~has_clock | (((byte(10) == ord(" ")) | (byte(10) == ord("T"))) & (byte(13) == ord(":")))
        hour, minute = digits(11, 2, has_clock) * has_clock, digits(14, 2, has_clock) * has_clock
    if longest >= 19:
        has_seconds = length >= 19
        shape &= ~has_seconds | (byte(16) == ord(":"))
        second = digits(17, 2, has_seconds) * has_seconds
    fraction = np.zeros(len(start), dtype=np.int64)
    if longest >= 21:
        shape &= (length < 21) | (byte(19) == ord("."))
        for i in range(6):
            inside = length > 20 + i
            fraction = fraction * 10 + digits(20 + i, 1, inside) * inside
    return shape, _assemble(shape, year, month, day, hour, minute, second, fraction)


def _assemble(matched: np.ndarray, year: np.ndarray, month: np.ndarray, day: np.ndarray, hour: np.ndarray,
              minute: np.ndarray, second: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """Microseconds of range-checked fields; NAT where a field is out of range. Days come from
    tables of every month of years 0-9999, so a date costs two look-ups."""
    month_of_era = np.clip(year, 0, 9999).astype(np.int32) * 13 + np.clip(month, 0, 12)
    valid = (matched & (month >= 1) & (month <= 12) & (day >= 1) & (day <= _MONTH_DAYS[month_of_era])
             & (hour < 24) & (minute < 60) & (second < 60))
    days = (_MONTH_START[month_of_era] + day - 1).astype(np.int64)
    clock = (hour.astype(np.int64) * 60 + minute) * 60 + second
    micros = days * _US_PER_DAY + clock * 1_000_000 + fraction
    return np.where(valid, micros, NAT)


def instants(values: pd.Series) -> np.ndarray:
    """Microseconds since 1970 of a typed time column (UTC of an aware one, the wall clock of a
    naive one; NAT where empty, and everywhere when the column holds no times)."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        return np.full(len(values), NAT, dtype=np.int64)
    return np.asarray(values.dt.as_unit("us").array.asi8)


def to_series(micros: np.ndarray, tz: str | None) -> pd.Series:
    """Typed time column of UTC microseconds, shown on tz's clock when tz is given."""
    utc = pd.DatetimeIndex(micros.view("datetime64[us]"))
    return pd.Series(utc.tz_localize("UTC").tz_convert(tz) if tz else utc)


def _parse_fields(text: pa.ChunkedArray, pattern: str) -> np.ndarray:
    parts = pc.extract_regex(text, pattern)
    matched = ~_is_null(parts) if len(text) else np.zeros(0, dtype=bool)
    names = [n for n in ("Y", "m", "d", "H", "M", "S", "f") if f"(?P<{n}>" in pattern]
    field = {n: _digits(parts, n, matched) for n in names}
    zeros = np.zeros(len(text), dtype=np.int64)
    year, month, day = field["Y"], field.get("m", zeros + 1), field.get("d", zeros + 1)
    hour, minute, second = field.get("H", zeros), field.get("M", zeros), field.get("S", zeros)
    fraction = _fraction(parts, matched) if "f" in field else zeros
    return _assemble(matched, year, month, day, hour, minute, second, fraction)


def _digits(parts: pa.ChunkedArray, name: str, matched: np.ndarray) -> np.ndarray:
    # An optional group that did not take part in the match is empty text: read as 0.
    field = pc.struct_field(parts, name)
    field = pc.if_else(pc.equal(field, ""), "0", field)
    return np.where(matched, pc.cast(pc.fill_null(field, "0"), pa.int64()).to_numpy(), 0)


def _fraction(parts: pa.ChunkedArray, matched: np.ndarray) -> np.ndarray:
    field = pc.fill_null(pc.struct_field(parts, "f"), "")
    padded = pc.utf8_rpad(field, 6, "0")
    return np.where(matched, pc.cast(padded, pa.int64()).to_numpy(), 0)


def _is_null(array: pa.ChunkedArray) -> np.ndarray:
    return pc.is_null(array).to_numpy(zero_copy_only=False)


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    lengths = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    return lengths[np.clip(month, 0, 12)] + (leap & (month == 2))


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _pandas_times(text: pa.ChunkedArray, fmt: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The slow path, per cell: formats this parser cannot express, and text no format matched.
    Text that carries its own offset or zone keeps its instant (in UTC, marked aware)."""
    cells = pd.Series(text.to_pylist(), dtype=object)
    try:
        return _instants(pd.to_datetime(cells, format=fmt or "mixed", errors="coerce"))
    except ValueError:      # offsets and plain times mixed in one column: one distinct text at a time
        distinct = {c: _instants(pd.to_datetime(pd.Series([c], dtype=object), format=fmt or "mixed",
                                                errors="coerce")) for c in set(cells)}
        return (np.array([distinct[c][0][0] for c in cells], dtype=np.int64),
                np.array([distinct[c][1][0] for c in cells], dtype=bool))


def _instants(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    aware = getattr(values.dt, "tz", None) is not None
    if aware:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    micros = values.to_numpy(dtype="datetime64[us]").view("int64").copy()
    return micros, np.full(len(micros), aware) & (micros != NAT)


# Per (year, month) of years 0-9999, indexed by year * 13 + month (month 0 unused): the days
# since 1970 of the month's first day, and the month's length.
_YEARS, _MONTHS = np.divmod(np.arange(10000 * 13, dtype=np.int64), 13)
_MONTH_START = _days_from_civil(_YEARS, np.maximum(_MONTHS, 1), np.ones_like(_YEARS)).astype(np.int32)
_MONTH_DAYS = np.where(_MONTHS >= 1, _days_in_month(_YEARS, _MONTHS), 0).astype(np.int32)
