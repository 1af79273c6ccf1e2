"""Ids that are one fixed prefix and a fixed count of decimal digits (D2025-0681926, C275203,
E008), read as the integers they count.

Most CRM exports number their records so. Such an id is exactly its number: two ids are
equal when their numbers are, and an id's record is found by indexing a table by number,
with no hash and no search. At millions of ids that takes a fraction of the time of a hash
or sort-based look-up, whose tables outgrow the processor's cache. Text of any other shape
is left to those look-ups (see lookup.py)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .buffers import cell_widths, text_buffers, valid_cells

NONE = -1
_MOST_DIGITS = 18              # what an int64 holds
_WORD = 8
# A number table of at most this many entries per id (plus a little) is worth its memory.
_SPREAD = 4
_SLACK = 1 << 16


@dataclass(frozen=True)
class Numbering:
    """How ids are spelt: their width, the prefix all of them share, and how many digits follow."""

    width: int
    prefix: bytes
    digits: int

    def numbers(self, text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Per cell: whether it is spelt so (not null, this width, this prefix, digits after it),
        and its number (meaningless where it is not)."""
        spelt = cell_widths(text) == self.width
        if text.null_count:
            spelt &= valid_cells(text)
        if not len(text):
            return spelt, np.zeros(0, dtype=np.int64)
        if spelt.all():        # the usual case
            return self._read(_packed(text, self.width))
        numbers = np.zeros(len(text), dtype=np.int64)
        chosen = np.flatnonzero(spelt)
        if len(chosen):      # arrow packs the chosen cells' bytes one after the other
            spelt[chosen], numbers[chosen] = self._read(_packed(text.filter(pa.array(spelt)), self.width))
        return spelt, numbers

    def _read(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Of cells of this width, a row of bytes each: which follow the numbering, and their numbers."""
        lead = max(0, _WORD - self.width)
        if lead:        # padded in front, so that a whole word can be read
            cells = np.concatenate([np.zeros((len(cells), lead), np.uint8), cells], axis=1)
        return _spelt_numbers(np.ascontiguousarray(cells), b"\0" * lead + self.prefix)


def numbered(text: pa.Array) -> tuple[Numbering, np.ndarray] | None:
    """The numbering every cell follows and the cells' numbers, or None when they do not all
    follow one (the first cell's spelling is the one tried)."""
    if not len(text) or text.null_count:
        return None
    first = text[0].as_py().encode()
    digits = len(first) - len(first.rstrip(b"0123456789"))
    if not 0 < digits <= _MOST_DIGITS:
        return None
    numbering = Numbering(len(first), first[:len(first) - digits], digits)
    spelt, numbers = numbering.numbers(text)
    return (numbering, numbers) if spelt.all() else None


class NumberedKeys:
    """Unique keys of one numbering, found by a table from number to position."""

    def __init__(self, numbering: Numbering, numbers: np.ndarray):
        self.numbering, self.low = numbering, int(numbers.min())
        # int32 where it will do: a smaller table stays in the processor's cache longer
        self.table = np.full(int(numbers.max()) - self.low + 1, NONE, dtype=np.int32 if len(numbers) < 2 ** 31 else np.int64)
        self.table[numbers - self.low] = np.arange(len(numbers))

    @classmethod
    def of(cls, keys: pa.Array) -> NumberedKeys | None:
        """None unless the keys follow one numbering and their numbers are dense enough for a table."""
        found = numbered(keys)
        if found is None or not _dense(found[1]):
            return None
        return cls(*found)

    def find(self, values: pa.Array) -> np.ndarray:
        """Each value's key position; NONE where it is null or no key."""
        spelt, at = self.numbering.numbers(values)
        at -= self.low
        spelt &= (at >= 0) & (at < len(self.table))
        if spelt.all():
            return self.table[at].astype(np.int64)
        at[~spelt] = 0
        return np.where(spelt, self.table[at], NONE)


def repeated_numbers(numbers: np.ndarray) -> np.ndarray:
    """The positions of numbers another position holds too."""
    if _dense(numbers):
        at = numbers - numbers.min()
        return np.flatnonzero(np.bincount(at)[at] > 1)
    ranked = np.sort(numbers)
    shared = ranked[1:][ranked[1:] == ranked[:-1]]
    return np.flatnonzero(np.isin(numbers, shared)) if shared.size else np.zeros(0, dtype=np.int64)


def _packed(text: pa.Array, width: int) -> np.ndarray:
    """The bytes of cells all of one width, a row each."""
    offsets, data = text_buffers(text)
    return data[offsets[0]:offsets[-1]].reshape(-1, width)


def _dense(numbers: np.ndarray) -> bool:
    return int(numbers.max()) - int(numbers.min()) < _SPREAD * len(numbers) + _SLACK


_ZEROS, _HIGH_NIBBLES, _SIXES = (np.uint64(v) for v in (0x3030303030303030, 0xF0F0F0F0F0F0F0F0, 0x0606060606060606))


def _spelt_numbers(cells: np.ndarray, prefix: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of bytes are the prefix followed by digits only, and the number the digits spell.
    Each row is read as 64-bit words, from its end: in each word the prefix's bytes are compared
    at once, and eight digits are combined by three multiplications (the byte-parallel method of
    simdjson's parse_eight_digits). Bytes a later word covers again are masked out of it."""
    width = cells.shape[1]
    number = np.zeros(len(cells), dtype=np.uint64)
    spelt = np.ones(len(cells), dtype=bool)
    covered = width
    with np.errstate(over="ignore"):
        for start in sorted({max(end - _WORD, 0) for end in range(width, 0, -_WORD)}, reverse=True):
            word = np.ndarray((len(cells),), dtype="<u8", buffer=cells, offset=start, strides=(width,)).copy()
            places = np.arange(start, start + _WORD)
            new = places < covered
            digit, fixed = _byte_mask(new & (places >= len(prefix))), _byte_mask(new & (places < len(prefix)))
            expected = int.from_bytes(bytes(prefix[p] if p < len(prefix) else 0 for p in places), "little")
            spelt &= (word & fixed) == (np.uint64(expected) & fixed)
            if digit:
                word &= digit
                word |= _ZEROS & ~digit
                spelt &= ((word & _HIGH_NIBBLES) == _ZEROS) & (((word + _SIXES) & _HIGH_NIBBLES) == _ZEROS)
                number += _eight_digits(word) * np.uint64(10 ** (width - start - _WORD))
            covered = start
    return spelt, number.view(np.int64)


def _byte_mask(chosen: np.ndarray) -> np.uint64:
    """A 64-bit mask of the chosen bytes of a word (byte 0 lowest)."""
    return np.uint64(sum(0xFF << (8 * i) for i, c in enumerate(chosen) if c))


def _eight_digits(word: np.ndarray) -> np.ndarray:
    """The number eight ASCII digits spell, the first digit in the lowest byte."""
    word &= np.uint64(0x0F0F0F0F0F0F0F0F)
    word = (word * np.uint64(2561)) >> np.uint64(8)
    word = ((word & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(6553601)) >> np.uint64(16)
    return ((word & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(42949672960001)) >> np.uint64(32)
