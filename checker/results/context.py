"""What a reader needs around each violation: the record's own fields (stage, amount, the
names of the records it refers to), the case it belongs to (whose events results.timelines
gives), and the data model's words for steps, roles and tables.

Only the violating records are looked up, by the row positions the engine reports, a column
at a time.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..load.dataset import Mapping
from ..load.keys import NONE, Tables
from ..model import DataModel
from .values import plain_values

# Columns a reader recognises a record by: its stage or category, and its figures.
DISPLAY_TYPES = ("enum", "number")


class RecordContext:
    """The context of reported records, a rule's records at a time, from their row positions
    (the engine's own; no key is looked up again); the cases they belong to are gathered for
    the time lines."""

    def __init__(self, model: DataModel, tables: Tables):
        self.model, self.tables = model, tables
        self.case_table = model.case_table()
        self.regions = _regions(model, tables)
        self._cases: list[np.ndarray] = []

    def of(self, table: str, positions: np.ndarray, owners: np.ndarray) -> tuple[dict, dict, list | None, list | None]:
        """Per record, as columns: its display fields and the names of the records it refers to
        (the `record` of a violation), its case key (None when it has none; the list is None when
        records of the table belong to no case) and its owner's region (None without a region
        column)."""
        if table not in self.model.tables:
            return {}, {}, None, None
        fields, names = _fields(self.model, self.tables, table, positions), \
            _names(self.model, self.tables, table, positions)
        regions = _take(self.regions, owners) if self.regions is not None else None
        case_positions = _case_positions(self.model, self.tables, table, positions, self.case_table)
        if case_positions is None:
            return fields, names, None, regions
        self._cases.append(case_positions[case_positions != NONE])
        return fields, names, keys_at(self.tables, self.model, self.case_table, case_positions), regions

    def case_positions(self) -> np.ndarray:
        """Every case a reported record belongs to, once."""
        return np.unique(np.concatenate(self._cases)) if self._cases else np.zeros(0, dtype=np.int64)


def _regions(model: DataModel, tables: Tables) -> pd.Series | None:
    """The roster's `region` column, when it has one (for --split-by region)."""
    if model.roster is None or "region" not in tables[model.roster.table].columns:
        return None
    return tables[model.roster.table]["region"]


def keys_at(tables: Tables, model: DataModel, table: str, positions: np.ndarray) -> list[str | None]:
    return _take(tables[table][model.tables[table].key], positions)


def _take(column: pd.Series, positions: np.ndarray) -> list:
    """The column's value at each position, None at NONE; only those rows are converted."""
    found = np.flatnonzero(positions != NONE)
    return _spread(column.iloc[positions[found]].to_numpy(dtype=object, na_value=None).tolist(), found, len(positions))


def _fields(model: DataModel, tables: Tables, table: str, positions: np.ndarray) -> dict[str, list]:
    """Each record's display fields; a position that names no record (NONE: a period of an
    entity, a group) gets None."""
    spec, frame = model.tables[table], tables[table]
    found = np.flatnonzero(positions != NONE)
    return {column.name: _spread(plain_values(frame[column.name].iloc[positions[found]].to_numpy()), found,
                                 len(positions))
            for column in spec.columns.values()
            if column.type in DISPLAY_TYPES and column.name != spec.key and column.name in frame.columns}


def _names(model: DataModel, tables: Tables, table: str, positions: np.ndarray) -> dict[str, list]:
    """The names of the records each record refers to, by referenced table (except people, whom
    the violation names already)."""
    found = np.flatnonzero(positions != NONE)
    names: dict[str, list] = {}
    roster = model.roster.table if model.roster else None
    for column in model.tables[table].columns.values():
        target = column.references
        if target and target != roster and "name" in tables[target].columns and (table, column.name) in tables.codes:
            codes = np.full(len(positions), NONE, dtype=np.int64)
            codes[found] = tables.code(table, column.name)[positions[found]]
            names[target] = _take(tables[target]["name"], codes)
    return names


def _spread(values: list, found: np.ndarray, size: int) -> list:
    """Values of the rows found, placed at their positions among ``size``; None elsewhere."""
    if len(found) == size:
        return values
    out = np.full(size, None, dtype=object)
    if len(found):
        out[found] = np.fromiter(values, dtype=object, count=len(found))
    return out.tolist()


def _case_positions(model: DataModel, tables: Tables, table: str, positions: np.ndarray,
                    case_table: str | None) -> np.ndarray | None:
    """The case (row of the case table) of each record: itself, or the case its foreign key names."""
    if case_table is None:
        return None
    if table == case_table:
        return positions
    for column in model.tables[table].columns.values():
        if column.references == case_table and (table, column.name) in tables.codes:
            cases = np.full(len(positions), NONE, dtype=np.int64)
            found = positions != NONE
            cases[found] = tables.code(table, column.name)[positions[found]]
            return cases
    return None


def vocabulary(model: DataModel, mapping: Mapping | None = None) -> dict[str, dict]:
    """The model's names in words: steps and roles as the data model names them; tables, columns
    ("table.column") and enum values ("table.column": {value: words}) as the export does, whose
    files, headers and value maps the mapping gives (the model's own labels first)."""
    tables, columns, values = {}, {}, {}
    for name, spec in model.tables.items():
        source = mapping.tables.get(name) if mapping else None
        tables[name] = _text(model.labels_zh.get(name) or (Path(str(source["file"])).stem if source else None), name)
        for column in spec.columns:
            header = mapping.source_of(name, column)[1] if source else None
            label = model.labels_zh.get(f"{name}.{column}") or (header if header != column else None)
            columns[f"{name}.{column}"] = _text(label, column)
            mapped = (source or {}).get("values", {}).get(column)
            if mapped:
                values[f"{name}.{column}"] = {str(v): _text(str(k), str(v)) for k, v in mapped.items()}
    return {"steps": _words(model.steps.items()), "roles": _words(model.roles.items()), "tables": tables,
            "columns": columns, "values": values}


def _words(items: Iterable[tuple[str, dict]]) -> dict[str, dict[str, str]]:
    # A label in a further language (a pack's nl) is kept beside the zh and en every run has.
    return {name: {**_text(spec.get("zh"), name, spec.get("en")), **{k: str(v) for k, v in spec.items() if k != "level"}}
            for name, spec in items}


def _text(zh: str | None, name: str, en: str | None = None) -> dict[str, str]:
    plain = name.replace("_", " ")
    return {"zh": str(zh or plain), "en": str(en or plain)}
