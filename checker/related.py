"""Fields of related tables for expressions: `customer.tier` on deals is the tier of the
customer each deal's customer_id points to, found through the foreign-key codes (never by
joining on text). A record whose key is empty or points nowhere reads the field as empty,
so a rule that needs it finds the record not evaluable."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from .load.keys import NONE, Tables
from .model import DataModel


def expression_frame(model: DataModel, tables: Tables, table: str, columns: Iterable[str],
                     rows: np.ndarray | None = None) -> pd.DataFrame:
    """The columns an expression reads, plain or dotted, for the given records of `table`
    (all of them by default)."""
    frame = tables[table]
    plain = sorted(c for c in columns if "." not in c)
    dotted = sorted(c for c in columns if "." in c)
    out = frame[plain] if rows is None or len(rows) == len(frame) else frame[plain].iloc[rows]
    if not dotted:
        return out
    rows = np.arange(len(frame), dtype=np.int64) if rows is None else rows
    # assign() adds the columns to a shallow copy: the plain columns are not copied.
    return out.assign(**{name: related_values(model, tables, table, tuple(name.split(".")), rows) for name in dotted})


def related_values(model: DataModel, tables: Tables, table: str, path: tuple[str, ...],
                   rows: np.ndarray) -> np.ndarray:
    """The values of a dotted field for the given records of `table` (empty where a hop is empty)."""
    codes, current = rows, table
    for hop in model.relation_path(table, path):
        codes = follow(tables, current, hop.name, codes)
        current = hop.references
    return pd.api.extensions.take(tables[current][path[-1]].array, codes, allow_fill=True)


def follow(tables: Tables, table: str, column: str, rows: np.ndarray) -> np.ndarray:
    """Where the foreign key `column` of the given rows of `table` points (-1 for none, and
    for rows that are -1 themselves)."""
    codes = tables.codes.get((table, column))
    if codes is None:   # a table the export does not provide: nothing can be followed
        return np.full(len(rows), NONE, dtype=np.int64)
    out = np.full(len(rows), NONE, dtype=np.int64)
    linked = rows >= 0
    out[linked] = codes[rows[linked]]
    return out
