"""The findings' nested fields (their record and evidence) read as columns in page order.

A run's results keep each rule's violations as a block of columns (results/columns.py): its
evidence is one column per name, the same names for every violation of the rule, and its record
fields and referenced names are columns too. They are read here straight from those columns,
block by block, with no dict made per finding. Findings that are dicts (a results file read
back, a hand-made list) are read field by field and grouped by the shape of their evidence,
which gives the same columns.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from .columns import EXACT_TYPES, Interned, field, fields, mappings, per_distinct, positions_by_code, take, texts, types_of, \
    values_of

# Record columns with a meaning for the report: the money at stake and the stage the record is in.
AMOUNT, STAGE = "amount", "stage"


@dataclass(frozen=True)
class EvidenceGroup:
    """Findings whose evidence has one shape (its names, in order; None for evidence that is no
    mapping) on one table: their page positions and, per name, the values in that order (for
    shape None: the evidence values themselves, as one column)."""

    shape: tuple | None
    table: str
    positions: list[int]
    columns: list[Sequence[Any]]


@dataclass(frozen=True)
class RecordColumns:
    """Per finding in page order: its record's amount and stage fields (None where it has none)
    and the names the record refers to, joined by the list separator."""

    amounts: list[Any]
    stages: list[Any]
    names: list[str]


def record_columns(violations: Sequence[Any], order: list[int], sep: str) -> RecordColumns:
    """The record columns of the violations, taken in page order (the violations' positions)."""
    blocks = _blocks(violations)
    if blocks is None:
        records = fields(mappings(take(field(violations, "record"), order)), ("fields", "names"))
        record_fields = mappings(records["fields"])
        return RecordColumns(field(record_fields, AMOUNT), field(record_fields, STAGE),
                             _name_texts(mappings(records["names"]), sep))
    amounts, stages, names = [], [], []
    for block in blocks:
        n = len(block)
        amounts += block.fields.get(AMOUNT, repeat(None, n))
        stages += block.fields.get(STAGE, repeat(None, n))
        names += _joined_names(block.names, n, sep)
    return RecordColumns(take(amounts, order), take(stages, order), take(names, order))


def evidence_groups(violations: Sequence[Any], order: list[int], tables: Sequence[str]) -> list[EvidenceGroup]:
    """The findings grouped by the shape of their evidence and their table (``tables``, in page
    order), in the order the page first shows each group."""
    blocks = _blocks(violations)
    if blocks is None:
        return _groups_of_dicts(take(field(violations, "evidence"), order), tables)
    page_of = np.empty(len(order), dtype=np.int64)
    page_of[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    grouped: dict[tuple, list[tuple[np.ndarray, dict[str, list]]]] = {}
    start = 0
    for block in blocks:
        positions = page_of[start:start + len(block)]
        grouped.setdefault((tuple(block.evidence), block.rule["table"]), []).append((positions, block.evidence))
        start += len(block)
    groups = [_block_group(shape, table, parts) for (shape, table), parts in grouped.items()]
    return sorted(groups, key=lambda group: group.positions[0])


def _block_group(shape: tuple, table: str, parts: list[tuple[np.ndarray, dict[str, list]]]) -> EvidenceGroup:
    """One group of blocks' evidence, its findings in page order."""
    positions = np.concatenate([p for p, _ in parts])
    sort = np.argsort(positions, kind="stable").tolist()
    columns = [take(list(chain.from_iterable(evidence[name] for _, evidence in parts)), sort) for name in shape]
    return EvidenceGroup(shape, table, positions[sort].tolist(), columns)


def _groups_of_dicts(evidence: Sequence[Any], tables: Sequence[str]) -> list[EvidenceGroup]:
    if types_of(evidence) == {dict}:
        shapes = list(map(tuple, evidence))
    else:   # evidence that is none shows as no evidence, as an empty mapping does
        shapes = [tuple(e) if isinstance(e, Mapping) else () if e in _NONE else None for e in evidence]
    interned = Interned()
    codes = interned.codes(list(zip(shapes, tables)))
    groups = []
    for (shape, table), found in zip(interned.values, positions_by_code(codes)):
        positions = found.tolist()
        values = take(evidence, positions)
        groups.append(EvidenceGroup(shape, table, positions, values_of(values, shape) if shape is not None else [values]))
    return groups


_NONE = (None, "", [], {})


def _blocks(violations: Sequence[Any]) -> list | None:
    """The violations' blocks of columns, or None when they are no results kept as blocks."""
    blocks = getattr(violations, "blocks", None)
    if blocks is None or not all(hasattr(b, "evidence") and hasattr(b, "names") for b in blocks):
        return None
    return blocks


def _joined_names(names: dict[str, list], n: int, sep: str) -> list[str]:
    """Per record of a block: the names it refers to (one column per referenced table), joined."""
    if not names:
        return [""] * n
    if len(names) == 1:
        return texts(next(iter(names.values())))
    return _name_texts([dict(zip(names, row)) for row in zip(*names.values())], sep)


def _name_texts(found: list[Mapping[str, Any]], sep: str) -> list[str]:
    """The names each record refers to (its customer's, say), joined."""
    if types_of(found) == {dict} and set(map(len, found)) <= {0, 1}:    # a record names one thing at most
        return texts(list(map(next, map(iter, map(dict.values, found)), repeat(None))))
    values = list(map(tuple, map(dict.values, found))) if types_of(found) == {dict} else [tuple(m.values()) for m in found]
    exact = types_of(chain.from_iterable(values)) <= EXACT_TYPES
    return per_distinct(values, lambda these: sep.join(str(n) for n in these if n), exact)
