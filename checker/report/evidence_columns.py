"""The evidence of every finding as the page's columns, worded a column at a time.

A rule gives all its findings evidence of the same shape (the same names in the same order),
so a run has a few dozen shapes however many findings it has. Findings are grouped by shape
and table; within a group each evidence name is one column of values, worded by arrow where
the value is a time (most are) and once per distinct value otherwise. The words are those of
`Words.shown`, the days those of the page's age column: since the earliest day the evidence
names, or past its deadline.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .columns import EXACT_TYPES, Interned, NoneType, per_distinct, take, types_of
from .evidence import Words, evidence_pairs, steps_named
from .findings_read import EvidenceGroup

# The times Words.shown cuts to the minute, in ASCII digits; a value this misses is worded by
# Words.shown itself, which decides.
ISO_MINUTE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}"


@dataclass(frozen=True, slots=True)
class EvidenceColumns:
    pairs: list[list[Any]]      # per finding: [name code, value words, name code, value words, ...]
    steps: list[int]            # per finding: the code of the steps its evidence names
    days: list[int | None]      # per finding: its age or days overdue, None when it names no day
    overdue: list[int]          # per finding: 1 when days count past a deadline


def evidence_columns(groups: Sequence[EvidenceGroup], words: Words, names: Interned, steps: Interned,
                     as_of: date | None) -> EvidenceColumns:
    """The evidence columns of findings grouped by shape and table (findings_read.py), back in
    page order; evidence names and step lists are interned in the order the groups come."""
    worded = iter(worded_columns([(str(k), group.table, column) for group in groups if group.shape is not None
                                  for k, column in zip(group.shape, group.columns)], words))
    parts: list[EvidenceColumns] = []
    placed: list[int] = []
    for group in groups:
        if group.shape is None:
            parts.append(_scalars(group.columns[0], words, names, steps))
        else:
            parts.append(_shaped(group.shape, group.table, len(group.positions), worded, words, names, steps, as_of))
        placed += group.positions
    back = np.argsort(np.asarray(placed, dtype=np.int64), kind="stable").tolist()
    return EvidenceColumns(*(take(list(chain.from_iterable(getattr(p, name) for p in parts)), back)
                             for name in ("pairs", "steps", "days", "overdue")))


def worded_columns(columns: list[tuple[str, str, Sequence[Any]]],
                   words: Words) -> list[tuple[list[str], np.ndarray]]:
    """(words, days) of each evidence column (its name, table and values), in the order given: the
    columns of texts all together as one arrow array, the others one at a time."""
    texts = [i for i, (_, _, values) in enumerate(columns) if types_of(values) <= EXACT_TYPES]
    done = dict(zip(texts, zip(*_texts_worded([columns[i] for i in texts], words))))
    return [done[i] if i in done else
            (_other_worded(values, lambda v, k=key, t=table: words.shown(k, v, t)), _days_one_by_one(values))
            for i, (key, table, values) in enumerate(columns)]


def _shaped(shape: tuple, table: str, n: int, worded: Iterator[tuple[list[str], np.ndarray]], words: Words,
            names: Interned, steps: Interned, as_of: date | None) -> EvidenceColumns:
    name_codes = [names.add(words.name(str(k), table)) for k in shape]
    columns = [next(worded) for _ in shape]
    if shape:
        pairs = list(map(list, zip(*[part for code, (shown, _) in zip(name_codes, columns)
                                     for part in (repeat(code, n), shown)])))
    else:
        pairs = [[] for _ in range(n)]
    days, overdue = _ages(shape, [days for _, days in columns], n, as_of)
    return EvidenceColumns(pairs, [steps.add(steps_named(shape))] * n, days, overdue)


def _scalars(found: list[Any], words: Words, names: Interned, steps: Interned) -> EvidenceColumns:
    """Evidence that is no mapping (a hand-written results file): shown as one unnamed value."""
    pairs = [[part for name, value in evidence_pairs(e, words, "") for part in (names.add(name), value)]
             for e in found]
    return EvidenceColumns(pairs, [steps.add("")] * len(found), [None] * len(found), [0] * len(found))


def _texts_worded(columns: list[tuple[str, str, Sequence[str | None]]],
                  words: Words) -> tuple[list[list[str]], list[np.ndarray]]:
    """Words and days of columns of texts: times cut to the minute by arrow, every other value
    worded by Words.shown once per distinct value of its column."""
    if not columns:
        return [], []
    sizes = [len(values) for _, _, values in columns]
    try:
        text = pa.array(list(chain.from_iterable(values for _, _, values in columns)), pa.string())
    except (pa.ArrowInvalid, UnicodeEncodeError):   # a lone surrogate: no UTF-8 for arrow
        return ([_other_worded(values, lambda v, k=key, t=table: words.shown(k, v, t)) for key, table, values in columns],
                [_days_one_by_one(values) for _, _, values in columns])
    is_time = pc.fill_null(pc.match_substring_regex(text, ISO_MINUTE), False)
    minutes = pc.binary_join_element_wise(pc.utf8_slice_codeunits(text, 0, 10),
                                          pc.utf8_slice_codeunits(text, 11, 16), " ")
    # Each value labelled with its column, so that a distinct value is worded once per column.
    column_of = pa.array(np.repeat(np.arange(len(columns)), sizes)).cast(pa.string())
    labelled = pc.binary_join_element_wise(column_of, text, _LABEL)
    others = labelled.filter(pc.invert(is_time)).unique()
    other_words = pa.array([_label_worded(label, columns, words) for label in others.to_pylist()], pa.string())
    shown = pc.if_else(is_time, minutes, pc.take(other_words, pc.index_in(labelled, value_set=others))).to_pylist()
    days = _days(text)
    offsets = np.cumsum([0, *sizes]).tolist()
    return ([shown[a:b] for a, b in zip(offsets, offsets[1:])], [days[a:b] for a, b in zip(offsets, offsets[1:])])


_LABEL = "\x1f"


def _label_worded(label: str | None, columns: list[tuple[str, str, Sequence[Any]]], words: Words) -> str:
    if label is None:
        return words.shown("", None, "")
    column, _, value = label.partition(_LABEL)
    key, table, _ = columns[int(column)]
    return words.shown(key, value, table)


def _other_worded(values: Sequence[Any], shown) -> list[str]:
    kinds = types_of(values)
    if kinds == {int} and -_EXACT_FLOAT < min(values) and max(values) < _EXACT_FLOAT:
        return list(map(_THOUSANDS, values))    # as figure() words them: they are whole as floats too
    if kinds <= {int, NoneType}:    # ints are equal only when the same: worded once each
        return per_distinct(values, shown, exact=True)
    if kinds == {list} and types_of(chain.from_iterable(values)) <= EXACT_TYPES:
        # Lists of texts (the approvers a record had, say): worded once per distinct list.
        words = {items: shown(list(items)) for items in dict.fromkeys(map(tuple, values))}
        return list(map(words.__getitem__, map(tuple, values)))
    return [shown(v) for v in values]


_THOUSANDS = "{:,}".format
_EXACT_FLOAT = 2 ** 53


def _days(text: pa.Array) -> np.ndarray:
    """The day (proleptic ordinal, NaN for none) of each text that is an ISO time: at least 19
    characters with "T" at the eleventh, whose first ten are a date."""
    dated = pc.and_(pc.greater_equal(pc.utf8_length(text), 19), pc.equal(pc.utf8_slice_codeunits(text, 10, 11), "T"))
    prefix = pc.if_else(pc.fill_null(dated, False), pc.utf8_slice_codeunits(text, 0, 10), pa.scalar(None, pa.string()))
    distinct = prefix.unique()
    ordinals = pa.array([_ordinal(p) if p is not None else np.nan for p in distinct.to_pylist()], pa.float64())
    return pc.take(ordinals, pc.index_in(prefix, value_set=distinct)).to_numpy(zero_copy_only=False)


def _days_one_by_one(values: Sequence[Any]) -> np.ndarray:
    return np.array([_ordinal(v[:10]) if isinstance(v, str) and len(v) >= 19 and v[10] == "T" else np.nan
                     for v in values], dtype=float)


def _ages(shape: tuple, day_columns: list[np.ndarray], n: int,
          as_of: date | None) -> tuple[list[int | None], list[int]]:
    """Days past the evidence's deadline (never below 0), else days since the earliest day it names."""
    if as_of is None or not shape:
        return [None] * n, [0] * n
    day_table = np.column_stack(day_columns)
    today = float(as_of.toordinal())
    deadline = day_table[:, shape.index("deadline")] if "deadline" in shape else np.full(n, np.nan)
    has_deadline = ~np.isnan(deadline)
    earliest = np.fmin.reduce(day_table, axis=1)
    days = np.where(has_deadline, np.maximum(today - deadline, 0), today - earliest)
    known = ~np.isnan(days)
    shown = pa.array(np.where(known, days, 0).astype(np.int64), mask=~known).to_pylist()
    return shown, has_deadline.astype(np.int64).tolist()


@lru_cache(maxsize=4096)
def _ordinal(day_text: str) -> float:
    try:
        return float(date.fromisoformat(day_text).toordinal())
    except ValueError:
        return np.nan
