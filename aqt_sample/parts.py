"""A sample too large to make in memory at once is made in parts, one after the other, each
written after the ones before it into the same files.

Each part is a company of its own (roster, customers, deals, filings), drawn from a random
stream of its own, with every record id prefixed by its number (P01-E001, P01-D2025-00001), so
no id of one part names a record of another. The answer keys are joined, prefixed alike; only
the per-day staffing counts, which every part's roster adds to, are counted afresh (staffing.py).
A sample that fits in one part is made exactly as before, without prefixes."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .staffing import STAFFING

# A part of a million deals peaks at about 3.7 GB while it is made (10 million deals: 20 minutes).
PART_DEALS = 1_000_000
# Part streams are seeded [seed, PART_STREAM, part]: apart from the streams [seed, 1..3] a
# one-part sample draws from.
PART_STREAM = 100


@dataclass(frozen=True)
class Part:
    number: int     # from 0
    parts: int
    deals: int

    @property
    def prefix(self) -> str:
        return "" if self.parts == 1 else f"P{self.number + 1:0{max(2, len(str(self.parts)))}d}-"

    def seed(self, seed: int, stream: int | None = None) -> int | list[int]:
        """The seed of the part's main random stream, or of one of its own streams: the
        sample's own when it is made in one part."""
        base = [seed] if self.parts == 1 else [seed, PART_STREAM, self.number]
        if stream is not None:
            return [*base, stream]
        return seed if self.parts == 1 else base

    def prefixed(self, frames: Iterable[pd.DataFrame], id_columns: tuple[str, ...]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            if self.prefix:
                for column in (c for c in id_columns if c in frame.columns):
                    frame[column] = prefixed(frame[column], self.prefix)
            yield frame

    def answer_rows(self, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The part's answer key in the ids of the whole sample; without the staffing counts when
        there are several parts (their findings are the parts' together)."""
        if not self.prefix:
            return rows
        kept = [(rule, key) for rule, key in rows if rule not in STAFFING]
        keys = prefixed(pd.Series([key for _, key in kept], dtype=object), self.prefix)
        return [(rule, key) for (rule, _), key in zip(kept, keys.tolist())]


def part_plan(deals: int, part_deals: int = PART_DEALS) -> list[Part]:
    """As few parts as hold the deals, of sizes that differ by one deal at most."""
    if part_deals < 1:
        raise ValueError("part_deals must be at least 1")
    count = -(-deals // part_deals)
    size, extra = divmod(deals, count)
    return [Part(i, count, size + (i < extra)) for i in range(count)]


def prefixed(ids: pd.Series, prefix: str) -> pd.Series:
    """Each id with the prefix after its leading blanks (a planted untrimmed id stays untrimmed);
    an empty or blank cell stays as it is."""
    text = pa.array(ids.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    marked = pc.replace_substring_regex(text, pattern=r"^(\s*)(\S)", replacement=rf"\1{prefix}\2", max_replacements=1)
    return pd.Series(marked.to_numpy(zero_copy_only=False), index=ids.index, dtype=object)
