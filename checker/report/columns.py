"""Reading one field of every finding at once, and wording it once per distinct value.

A large run has hundreds of thousands of findings but only a few dozen rules, people, tables
and stages, so the report reads each field as one list (a `map` of `dict.get`, run in C) and
calls its Python wording once per distinct value, never once per finding. Values of an
unexpected type (a hand-edited results file) take the plain path, one value at a time, which
gives the same words.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import is_not, itemgetter
from typing import Any

import numpy as np
import pyarrow as pa

from .catalogue import localized
from .values import format_value

NoneType = type(None)
# Values that are equal only when they are the same value: a table of distinct ones cannot mix
# up 1, 1.0 and True (equal keys of a dict) or 0.0 and -0.0.
EXACT_TYPES = frozenset({str, NoneType})


class Interned:
    """A table of distinct values and the index of each value as it is added (a dict keeps its
    keys in the order they came, so the keys are the table)."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}

    def add(self, value: Any) -> int:
        index = self.index
        return index.setdefault(value, len(index))

    def codes(self, values: Sequence[Any]) -> list[int]:
        """The index of each of ``values`` (hashable), as many add() calls in a row would give."""
        index = self.index
        for value in dict.fromkeys(values):
            index.setdefault(value, len(index))
        return list(map(index.__getitem__, values))

    @property
    def values(self) -> list[Any]:
        return list(self.index)


def types_of(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))


def field(records: Sequence[Any], name: str) -> list[Any]:
    """``record.get(name)`` of each record; a record that is no mapping gives None. Results kept
    as blocks of columns give the column itself, with no record made."""
    if hasattr(records, "column"):
        return records.column(name)
    if types_of(records) == {dict}:
        return list(map(dict.get, records, repeat(name)))
    return [r.get(name) if isinstance(r, Mapping) else None for r in records]


def fields(records: Sequence[Any], names: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Sequence[Any]]:
    """``field(records, name)`` for each of ``names`` and ``optional``, reading each record once
    where every record has all of ``names`` (the findings of a run do); the rest are read one
    field at a time."""
    got: dict[str, Sequence[Any]] = {name: field(records, name) for name in optional}
    if len(names) < 2 or not records or hasattr(records, "column"):
        return {**{name: field(records, name) for name in names}, **got}
    try:
        return {**dict(zip(names, zip(*map(itemgetter(*names), records)))), **got}
    except (KeyError, TypeError):       # a record without one of them, or no mapping
        return {**{name: field(records, name) for name in names}, **got}


def values_of(records: Sequence[Mapping[str, Any]], names: Sequence[Any]) -> list[Sequence[Any]]:
    """The values of ``names`` in each of ``records``, which all have them, as one column per name."""
    if not names:
        return []
    if len(names) == 1:
        return [list(map(itemgetter(names[0]), records))]
    return list(zip(*map(itemgetter(*names), records))) or [() for _ in names]


def mappings(values: Sequence[Any]) -> list[Mapping[str, Any]]:
    """Each value as a mapping, {} for a value that is none."""
    if types_of(values) == {dict}:
        return list(values)
    return [v if isinstance(v, Mapping) else {} for v in values]


def per_distinct(values: Sequence[Any], words: Callable[[Any], Any], exact: bool | None = None) -> list[Any]:
    """``words(v)`` for each value, computed once per distinct value when the values are texts
    or None (or the caller says they are ``exact``: distinct when unequal), else one by one."""
    if exact is None:
        exact = types_of(values) <= EXACT_TYPES
    if not exact:
        return [words(v) for v in values]
    table = {v: words(v) for v in dict.fromkeys(values)}
    return list(map(table.__getitem__, values))


def texts(values: Sequence[Any]) -> list[str]:
    """``str(v or "")`` of each value."""
    kinds = types_of(values)
    if kinds <= {str}:
        return list(values)
    if kinds <= EXACT_TYPES:
        try:
            return pa.array(values, pa.string()).fill_null("").to_pylist()
        except (pa.ArrowInvalid, UnicodeEncodeError):   # a lone surrogate: no UTF-8 for arrow
            pass
    return [str(v or "") for v in values]


def shown_values(values: Sequence[Any]) -> list[str]:
    """``format_value(v)`` of each value."""
    return list(values) if types_of(values) <= {str} else per_distinct(values, format_value)


def interned_rows(interned: Interned, columns: Sequence[Sequence[Any]], words: Callable[[tuple], Any]) -> list[int]:
    """The code in ``interned`` of ``words(row)`` for each row of two columns, worded once per
    distinct row: as many ``interned.add(words(row))`` calls in a row would give."""
    if not all(types_of(column) <= EXACT_TYPES for column in columns):
        return interned.codes([words(row) for row in zip(*columns)])
    rows, codes = distinct_rows(columns)
    return np.asarray(interned.codes([words(row) for row in rows]), dtype=np.int64)[codes].tolist()


def distinct_rows(columns: Sequence[Sequence[Any]]) -> tuple[list[tuple], np.ndarray]:
    """The distinct rows of two columns of texts or None, in the order they first come, and the
    index of each row among them; found by one table of distinct values per column, without
    making a tuple per row."""
    codes = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        index = {v: i for i, v in enumerate(dict.fromkeys(column))}
        codes = codes * len(index) + np.fromiter(map(index.__getitem__, column), np.int64, len(column))
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    seen = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[seen] = np.arange(len(first))
    at = first[seen].tolist()
    return list(zip(*(take(column, at) for column in columns))), rank[inverse.ravel()]


def take(values: Sequence[Any], positions: Iterable[int]) -> list[Any]:
    """The values at the given positions, in that order."""
    return list(map(values.__getitem__, positions))


def localized_texts(values: Sequence[Any], lang: str) -> list[str]:
    """``localized(v, lang)`` of each {zh, en} text."""
    if types_of(values) == {dict}:
        chosen = list(map(dict.get, values, repeat(lang)))
        if types_of(chosen) == {str} and "" not in chosen:
            return chosen
    return [localized(v, lang) for v in values]


def first_positions(codes: Sequence[int], first: int) -> list[tuple[list[int], int]]:
    """For each code 0, 1, ... (numbered in the order the codes first come): the positions of its
    first ``first`` occurrences and how many there are."""
    return [(positions[:first].tolist(), len(positions)) for positions in positions_by_code(codes)]


def grouped(codes: Sequence[int], values: Sequence[Any]) -> list[list[Any]]:
    """For each code 0, 1, ...: the values (None left out) at its positions, in their order."""
    found = [take(values, positions.tolist()) for positions in positions_by_code(codes)]
    return [list(compress(these, map(is_not, these, repeat(None)))) for these in found]


def positions_by_code(codes: Sequence[int]) -> list[np.ndarray]:
    """The positions of each code 0, 1, ..., each in increasing order."""
    codes = np.asarray(codes, dtype=np.int64)
    ends = np.cumsum(np.bincount(codes))
    return np.split(np.argsort(codes, kind="stable"), ends[:-1])
