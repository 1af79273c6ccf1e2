"""People in the shared views: every column naming a person as codes, a person in the roster
being their position in it and a name the roster lacks a code past its end (so identity still
compares), with the keys, ranks and roles those codes stand for."""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from .load.keys import NONE, Tables, positions_in
from .model import DataModel


class PeopleViews:
    """The people part of views.Views (which gives it model, tables and _strangers)."""

    model: DataModel
    tables: Tables
    _strangers: dict[str, int]

    def _people(self, table: str, column: str) -> np.ndarray:
        """People codes of a column: a person in the roster is their roster position; a name
        the roster lacks (when no roster was given to link against) gets a code past the
        roster's end, so identity still compares; NONE when empty."""
        text = self.tables[table][column]
        codes = roster_positions(self.model, self.tables, table, column)
        extra = (codes == NONE) & text.notna().to_numpy()
        if extra.any():
            codes = codes.copy()    # the link's own codes are not to be changed
            names, which = np.unique(text[extra].to_numpy(dtype=object), return_inverse=True)
            base = len(self._roster_keys)
            given = [self._strangers.setdefault(name, base + len(self._strangers)) for name in names]
            codes[extra] = np.asarray(given, dtype=np.int64)[which.reshape(-1)]
        return codes

    @cached_property
    def _roster_keys(self) -> pd.Series:
        roster = self.model.roster
        if roster is None:
            return pd.Series([], dtype="string")
        return self.tables[roster.table][self.model.tables[roster.table].key]

    def _labels(self) -> np.ndarray:
        return np.concatenate([self._roster_keys.to_numpy(dtype=object), np.array(list(self._strangers), dtype=object)])

    def in_roster(self, people: np.ndarray) -> np.ndarray:
        return (people != NONE) & (people < len(self._roster_keys))

    def person_keys(self, people: np.ndarray) -> np.ndarray:
        """The key of each person code (None for NONE), for what results show."""
        labels = self._labels()
        out = np.full(len(people), None, dtype=object)
        known = people != NONE
        out[known] = labels[people[known]]
        return out

    def person_rank(self) -> np.ndarray:
        """Each person code's place in key order: "the first person" means the same thing
        whatever the roster's row order."""
        labels = self._labels()
        rank = np.empty(len(labels), dtype=np.int64)
        rank[np.argsort(labels.astype(str), kind="stable")] = np.arange(len(labels))
        return rank

    def role_codes(self, roles: list[str]) -> np.ndarray:
        names = list(self.model.roles)
        return np.array([names.index(r) for r in roles], dtype=np.int64)


    @cached_property
    def _approvers(self) -> np.ndarray:
        return self._people(self.model.approvals.table, self.model.approvals.approver)


def roster_positions(model: DataModel, tables: Tables, table: str, column: str) -> np.ndarray:
    """The roster position of each person a column names (NONE when empty or not in the
    roster): the column's foreign-key codes when it references the roster, else a look-up."""
    roster = model.roster
    if roster is None:
        return np.full(len(tables[table]), NONE, dtype=np.int64)
    if model.tables[table].columns[column].references == roster.table:
        return tables.code(table, column)
    return positions_in(tables[table][column], tables[roster.table][model.tables[roster.table].key])
