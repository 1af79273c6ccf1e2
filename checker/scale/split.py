"""The dataset cut into partitions by case (see layout.py): what is sent to every worker once
(the broadcast tables), and what each partition holds.

A partition's tables are positional like any: record i of a split table is its i-th record
in the partition, and `rows` gives its position in the whole table, so outcomes come back on
the whole table's positions. Foreign keys into a split table are renumbered to the
partition's positions (NONE where the record is in another partition); keys into a broadcast
table keep their codes."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..load.keys import NONE, Tables
from .layout import Layout

# Knuth's multiplicative hash: neighbouring case codes (an export sorted by date) land in
# different partitions.
_SPREAD = np.uint64(2654435761)


@dataclass(frozen=True)
class Shared:
    """What every partition reads whole: the broadcast tables, their foreign-key codes into
    other broadcast tables, their dangling references and unlinked records."""

    frames: dict[str, pd.DataFrame]
    codes: dict[tuple[str, str], np.ndarray]
    dangling: dict[tuple[str, str], pd.Series]
    unlinked: dict[str, np.ndarray]


@dataclass(frozen=True)
class Piece:
    """One partition: its records of each split table (`rows`, positions in the whole table)
    and every code that reads or names them."""

    rows: dict[str, np.ndarray]
    frames: dict[str, pd.DataFrame]
    codes: dict[tuple[str, str], np.ndarray]
    dangling: dict[tuple[str, str], pd.Series]
    unlinked: dict[str, np.ndarray]

    def tables(self, shared: Shared) -> Tables:
        """The partition's dataset: its own tables and the broadcast ones."""
        return Tables({**shared.frames, **self.frames}, {**shared.codes, **self.codes},
                      {**shared.dangling, **self.dangling}, {**shared.unlinked, **self.unlinked})


def shared_part(tables: Tables, layout: Layout) -> Shared:
    split = set(layout.split)
    return Shared({name: frame for name, frame in tables.frames.items() if name not in split},
                  {key: codes for key, codes in tables.codes.items()
                   if key[0] not in split and layout.references.get(key) not in split},
                  {key: text for key, text in tables.dangling.items() if key[0] not in split},
                  {name: rows for name, rows in tables.unlinked.items() if name not in split})


def partition_of_rows(tables: Tables, layout: Layout, parts: int) -> dict[str, np.ndarray]:
    """The partition of each record of every split table: a case by the hash of its code, a
    record of a co-partitioned table with its case (partition 0 when it names none)."""
    cases = np.arange(len(tables[layout.case_table]), dtype=np.uint64)
    of_case = ((cases * _SPREAD) % np.uint64(2 ** 32) % np.uint64(parts)).astype(np.int64)
    out = {layout.case_table: of_case}
    for name, column in layout.members.items():
        case = tables.code(name, column)
        out[name] = np.where(case == NONE, 0, of_case[np.maximum(case, 0)]) if len(of_case) else np.zeros(len(case), np.int64)
    return out


def pieces(tables: Tables, layout: Layout, parts: int) -> list[Piece]:
    """The dataset's split tables cut into `parts` partitions (some may be empty)."""
    where = partition_of_rows(tables, layout, parts)
    # Grouping each table's positions by partition once (a stable sort keeps them ascending).
    grouped = {name: _groups(part, parts) for name, part in where.items()}
    return [_piece(tables, layout, {name: groups[p] for name, groups in grouped.items()}) for p in range(parts)]


def _groups(part: np.ndarray, parts: int) -> list[np.ndarray]:
    order = np.argsort(part, kind="stable")
    return np.split(order, np.cumsum(np.bincount(part, minlength=parts))[:-1])


def _piece(tables: Tables, layout: Layout, rows: dict[str, np.ndarray]) -> Piece:
    local = {name: _local_positions(len(tables[name]), picked) for name, picked in rows.items()}
    codes = {}
    for key, whole in tables.codes.items():
        table, target = key[0], layout.references.get(key)
        if table not in rows and target not in local:
            continue
        picked = whole[rows[table]] if table in rows else whole
        codes[key] = _renumbered(picked, local[target]) if target in local else picked
    return Piece(rows, {name: tables[name].iloc[picked].reset_index(drop=True) for name, picked in rows.items()},
                 codes, {key: _local_series(text, local[key[0]]) for key, text in tables.dangling.items() if key[0] in rows},
                 {name: np.sort(local[name][found][local[name][found] != NONE])
                  for name, found in tables.unlinked.items() if name in rows})


def _local_positions(size: int, picked: np.ndarray) -> np.ndarray:
    """For every position of the whole table, its position in the partition (NONE: elsewhere)."""
    out = np.full(size, NONE, dtype=np.int64)
    out[picked] = np.arange(len(picked), dtype=np.int64)
    return out


def _renumbered(codes: np.ndarray, local: np.ndarray) -> np.ndarray:
    return np.where(codes == NONE, NONE, local[np.maximum(codes, 0)]) if len(local) else np.full(len(codes), NONE, np.int64)


def _local_series(text: pd.Series, local: np.ndarray) -> pd.Series:
    """Values indexed by whole-table positions, kept for the partition's records on its positions."""
    positions = local[text.index.to_numpy()]
    kept = positions != NONE
    return pd.Series(text.to_numpy(dtype=object)[kept], index=positions[kept])
