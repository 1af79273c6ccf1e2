"""UTC offsets at the end of time text (`Z`, `+02:00`, `-0500`), read from the cells' last bytes
with NumPy, so a column whose offsets change within it is read without a Python call per cell."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .buffers import text_buffers

NAT = np.iinfo("int64").min


def utc_offsets(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells that end in a UTC offset after a clock (Z, ±HH:MM or ±HHMM, after at most one
    blank): which, the offset in microseconds (NAT for an impossible one) and the bytes it takes."""
    offsets, data = text_buffers(text)
    # This array's bytes only (a slice shares its parent's), between zeros so that no cell's
    # end - 8 to end + 1 reads outside them.
    data = np.concatenate([np.zeros(8, dtype=np.uint8), data[offsets[0]:offsets[-1]], np.zeros(2, dtype=np.uint8)])
    offsets = offsets - offsets[0]
    end, length = offsets[1:], np.diff(offsets)
    at = lambda k: data[end + 8 - k]  # noqa: E731
    digit = lambda k: (at(k) - np.uint8(48)) <= 9  # noqa: E731
    sign = lambda k: (at(k) == ord("+")) | (at(k) == ord("-"))  # noqa: E731
    after_clock = lambda k: (length >= 12 + k) & digit(k + 1)  # noqa: E731
    zulu = after_clock(1) & (at(1) == ord("Z"))
    colon = after_clock(6) & sign(6) & digit(5) & digit(4) & (at(3) == ord(":")) & digit(2) & digit(1)
    compact = ~colon & after_clock(5) & sign(5) & digit(4) & digit(3) & digit(2) & digit(1)
    width = np.select([zulu, colon, compact], [1, 6, 5], 0)
    if not width.any():
        return width > 0, np.zeros(len(end), dtype=np.int64), width
    numeric = width > 1
    # Two digits starting k bytes before the end (Z has none: its 00:00 is read off the clock).
    two = lambda k: np.where(numeric, (data[end + 8 - k].astype(np.int64) - 48) * 10 + data[end + 9 - k] - 48, 0)  # noqa: E731
    hours, minutes = two(np.where(numeric, width - 1, 2)), two(2)
    negative = numeric & (data[end + 8 - width] == ord("-"))
    micros = (hours * 60 + minutes) * 60_000_000 * np.where(negative, -1, 1)
    micros = np.where((hours <= 14) & (minutes < 60), micros, NAT)
    width = width + ((width > 0) & (data[end + 7 - width] == ord(" ")))
    return width > 0, micros, width


def without_suffix(text: pa.Array, width: np.ndarray) -> pa.Array:
    """Each cell without its last width bytes (a handful of distinct widths: one slice each)."""
    widths = np.unique(width)
    if len(widths) == 1:
        return pc.utf8_slice_codeunits(text, 0, -int(widths[0]))
    parts = np.zeros(len(text), dtype=np.int64)
    pieces, order = [], []
    for w in widths:
        where = np.flatnonzero(width == w)
        pieces.append(pc.utf8_slice_codeunits(text.take(pa.array(where)), 0, -int(w)))
        order.append(where)
    parts[np.concatenate(order)] = np.arange(len(text))
    return pa.concat_arrays(pieces).take(pa.array(parts))
