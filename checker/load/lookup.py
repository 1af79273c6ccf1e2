"""Each text value's position among unique keys, for ids of one width, without a hash table.

Arrow's index_in looks every value up in a hash table of the keys' text; at a million keys
that table outgrows the processor's cache and each of millions of look-ups waits on memory.
Ids usually have one width, so here a cell's bytes are read as 64-bit words, hashed, and
found by binary search among the keys sorted by hash, the values visited in order of their
hash's top bits so that every search ends in a stretch of keys already in cache. Each match
is confirmed on the words themselves (the bytes, not the hash); a value of another width is
no key, and what is not confirmed (a value that is no key, or the rare hash two keys share)
is looked up exactly by the caller. Ids that are a prefix and a number are found by their
number instead (numbered.py)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from .buffers import cell_widths, row_blocks, text_buffers, valid_cells
from .numbered import NumberedKeys

NONE = -1
UNCONFIRMED = -2
_WORD = 8
_WIDEST = 64


def fixed_width_positions(values: pa.ChunkedArray, keys: pa.Array) -> np.ndarray | None:
    """Per value: its key's position, NONE (null, or not as wide as the keys) or UNCONFIRMED
    (to be looked up exactly). None when the keys are not all of one width, or so few that
    their hash table stays in cache (arrow's look-up is then the faster)."""
    width = _common_width(keys)
    if width is None or len(keys) < _FEW_KEYS:
        return None
    index = NumberedKeys.of(keys) or _hashed_keys(keys, width)
    # A block of values at a time keeps the temporaries small.
    found = [index.find(block) for block in row_blocks(values, _BLOCK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _hashed_keys(keys: pa.Array, width: int) -> _Keys:
    key_words = _words(keys, None, width)
    hashes = _hash(key_words)
    by_hash = np.argsort(hashes)
    return _Keys(width, [word[by_hash] for word in key_words], hashes[by_hash] >> _SHIFT, by_hash)


_FEW_KEYS = 1 << 16
_BLOCK = 1 << 20
# A block's value numbers take the low bits of the packed integers (blocks hold < 2 * _BLOCK).
_SHIFT = np.uint64((_BLOCK * 2 - 1).bit_length())


class _Keys:
    """Keys of one width sorted by hash: their words, hash prefixes and positions in the table."""

    def __init__(self, width: int, words: list[np.ndarray], prefixes: np.ndarray, positions: np.ndarray):
        self.width, self.words, self.prefixes, self.positions = width, words, prefixes, positions

    def find(self, values: pa.Array) -> np.ndarray:
        candidate = cell_widths(values) == self.width
        if values.null_count:
            candidate &= valid_cells(values)
        chosen = np.flatnonzero(candidate)
        out = np.full(len(values), NONE, dtype=np.int64)
        if not len(chosen):
            return out
        words = _words(values, chosen, self.width)
        # Hashes and value numbers packed in one integer: one plain sort orders the values by
        # hash, so the binary searches walk the keys from one end to the other.
        packed = (_hash(words) >> _SHIFT << _SHIFT) | np.arange(len(chosen), dtype=np.uint64)
        packed.sort()
        at = np.minimum(np.searchsorted(self.prefixes, packed >> _SHIFT), len(self.prefixes) - 1)
        which = (packed & np.uint64(_BLOCK * 2 - 1)).view(np.int64)
        confirmed = np.ones(len(chosen), dtype=bool)
        for word, key_word in zip(words, self.words):
            confirmed &= key_word[at] == word[which]
        out[chosen[which]] = np.where(confirmed, self.positions[at], UNCONFIRMED)
        return out


def _common_width(text: pa.Array) -> int | None:
    lengths = cell_widths(text)
    if not len(lengths) or text.null_count:
        return None
    width = int(lengths[0])
    return width if 0 < width <= _WIDEST and (lengths == width).all() else None


def _words(text: pa.Array, chosen: np.ndarray | None, width: int) -> list[np.ndarray]:
    """The chosen cells' bytes (all cells when None) as little-endian 64-bit words, word by word:
    bytes 0-7, 8-15, ..., the last word ending at the cell's last byte (overlapping the one
    before it; for cells of one width the words still tell every two cells apart)."""
    offsets, data = text_buffers(text)
    count = len(text) if chosen is None else len(chosen)
    cells = data[offsets[0]:offsets[-1]]
    if len(cells) != count * width:
        # Other cells have bytes too: the chosen ones are gathered into a matrix first.
        cells = data[offsets[:-1][chosen][:, None] + np.arange(width)].reshape(-1)
    if width < _WORD:
        cells = np.concatenate([cells.reshape(-1, width), np.zeros((count, _WORD - width), np.uint8)], axis=1)
        cells, width = cells.reshape(-1), _WORD
    cells = np.ascontiguousarray(cells)
    starts = sorted({min(k, width - _WORD) for k in range(0, width, _WORD)})
    # Copied out of the cell bytes: arithmetic on aligned words is several times faster.
    return [np.ndarray((count,), dtype="<u8", buffer=cells, offset=start, strides=(width,)).copy() for start in starts]


def _hash(words: list[np.ndarray]) -> np.ndarray:
    """A 64-bit hash of each cell's words whose top bits depend on every bit of them (a
    multiplication carries each bit upwards), which is all the ordering needs."""
    hashes = np.zeros(len(words[0]), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for word, factor in zip(words, _FACTORS):
            hashes ^= word * factor
            hashes = hashes * np.uint64(0x9E3779B97F4A7C15) + np.uint64(1)
    return hashes


# Odd constants: multiplying by one loses no bit of the word.
_FACTORS = [np.uint64(c) for c in (0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD,
                                    0xC4CEB9FE1A85EC53, 0x2545F4914F6CDD1D, 0x9FB21C651E98DF25, 0xB492B66FBE98F273)]
