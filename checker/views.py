"""Shared views of a dataset, built once per run and reused by every rule.

Everything here is integer arrays: a case is the position of its record in the case table,
an actor the position of a person in the roster, a step its index in the data model, a
time microseconds since 1970 UTC (NAT when unknown). Each step's events are ordered by case,
time and event key when a rule first needs them, so input row order never matters; the
per-case step table (first and last time and count of every step) is scattered straight
from the events, and first and last actor come from the ordered events.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .load.keys import NONE, Tables
from .load.times import instants
from .model import DataModel
from .ordering import NAT, grouped_by, run_starts, time_order
from .views_people import PeopleViews

LATEST = np.iinfo("int64").max
US_PER_DAY = 86_400_000_000


def as_times(micros: np.ndarray, tz: str | None) -> pd.Series:
    """Microseconds back into a time column of the run's zone."""
    index = pd.DatetimeIndex(np.asarray(micros, dtype=np.int64).view("datetime64[us]"))
    return pd.Series(index.tz_localize("UTC").tz_convert(tz) if tz else index)


class StepStats:
    """One step's figures per case (arrays over the case table), each computed when first
    read: a kind that needs only counts never scatters times."""

    def __init__(self, case: np.ndarray, time: np.ndarray, cases: int):
        self._case, self._time, self._cases = case, time, cases

    @cached_property
    def first(self) -> np.ndarray:
        """Time of the first occurrence, NAT when none."""
        first = np.full(self._cases, LATEST, dtype=np.int64)
        np.minimum.at(first, self._case, self._time)
        first[first == LATEST] = NAT
        return first

    @cached_property
    def last(self) -> np.ndarray:
        last = np.full(self._cases, NAT, dtype=np.int64)
        np.maximum.at(last, self._case, self._time)
        return last

    @cached_property
    def count(self) -> np.ndarray:
        return np.bincount(self._case, minlength=self._cases)


@dataclass(frozen=True)
class Occurrences:
    """Every event of one step, in case-then-time order."""

    case: np.ndarray
    time: np.ndarray
    actor: np.ndarray
    row: np.ndarray          # position in the event table


class Views(PeopleViews):
    def __init__(self, model: DataModel, tables: Tables):
        self.model, self.tables = model, tables
        self._stats: dict[str, StepStats] = {}
        self._occurrences: dict[str, Occurrences] = {}
        self._strangers: dict[str, int] = {}

    def prepare(self) -> None:
        """Build the shared views now (they are otherwise built on first use), so a profile
        shows their cost apart from the first rule's."""
        if self.model.event_log:
            _ = self._unreadable, self._by_step
        self.prepare_people()

    def prepare_people(self) -> None:
        """Code every column of people now, in one fixed order: a name the roster lacks gets
        the next code past it as it is first met, so rules judged side by side (engine.py)
        must find every code given already."""
        if self.model.event_log:
            _ = self._log
        if self.model.roster:
            _ = self.roster
        if self.model.approvals:
            _ = self._approvers

    # ------------------------------------------------------------------ the event log

    @cached_property
    def cases(self) -> int:
        """Number of records in the case table (deals)."""
        return len(self.tables[self.model.case_table()])

    @cached_property
    def _log(self) -> dict[str, np.ndarray]:
        """Every event, in the table's row order (case NONE: the event belongs to no case).
        The columns are taken whole: events without a case are left out by _by_step instead."""
        log = self.model.event_log
        table = self.tables[log.table]
        case = self.tables.code(log.table, log.case)
        # An event's row in the table is its position in these arrays.
        return {"case": case, "step": np.asarray(table[log.step].cat.codes, dtype=np.int16),
                "time": instants(table[log.time]), "actor": self._people(log.table, log.actor)}

    def log_by(self, column: str, step: int) -> dict[str, np.ndarray]:
        """The events of a step (and those whose step is unreadable, which might be it) whose
        foreign key `column` names a record (of another table than the cases: a customer, say),
        in the table's row order, whether or not they have a case: that record's code
        ("entity"), step code (-1: unreadable), time, actor and row."""
        log = self.model.event_log
        every = self._log
        entity = self.tables.code(log.table, column, len(self.tables[log.table]))
        rows = np.flatnonzero((entity != NONE) & ((every["step"] == step) | (every["step"] < 0)))
        return {"entity": entity[rows], **{name: every[name][rows] for name in ("step", "time", "actor")}, "row": rows}

    @cached_property
    def _unreadable(self) -> tuple[np.ndarray, np.ndarray]:
        """The case and step code (-1: unknown) of every event of a case whose step or time
        could not be read."""
        log = self._log
        bad = np.flatnonzero(((log["step"] < 0) | (log["time"] == NAT)) & (log["case"] != NONE))
        return log["case"][bad], log["step"][bad]

    def unusable_cases(self, scope: np.ndarray, steps: Iterable[str] | None = None) -> np.ndarray:
        """True for the cases whose events of the given steps (of every step by default)
        cannot be trusted: one of them has an unreadable time, or some event's step could not
        be read (it could be any step). An unreadable time of another step leaves the case
        judged."""
        case, step = self._unreadable
        if steps is not None:
            codes = np.array([list(self.model.steps).index(s) for s in steps], dtype=step.dtype)
            case = case[(step < 0) | np.isin(step, codes)]
        out = np.zeros(self.cases, dtype=bool)
        out[case] = True
        return out[scope]

    @cached_property
    def _by_step(self) -> tuple[np.ndarray, np.ndarray]:
        """Usable events of a case grouped by step (a counting sort of the small step codes); the
        others go to a last group past every step."""
        log, steps = self._log, len(self.model.steps)
        usable = (log["step"] >= 0) & (log["time"] != NAT) & (log["case"] != NONE)
        grouped, bounds = grouped_by(np.where(usable, log["step"], np.int16(steps)), steps + 1)
        return grouped, bounds[:steps + 1]

    def _of_step(self, step: str) -> np.ndarray:
        grouped, bounds = self._by_step
        code = list(self.model.steps).index(step)
        return grouped[bounds[code]:bounds[code + 1]]

    def events(self, step: str) -> Occurrences:
        """Every event of the step in no particular order, for what depends on sets of events
        (who did a step, the times at or after some time), not on their sequence."""
        picked, log = self._of_step(step), self._log
        return Occurrences(log["case"][picked], log["time"][picked], log["actor"][picked], picked.copy())

    def occurrences(self, step: str) -> Occurrences:
        """Every event of the step, ordered by case, time and event key (computed on first use)."""
        if step not in self._occurrences:
            picked = self._of_step(step)
            log = self._log
            key = self.tables[self.model.event_log.table][self.model.tables[self.model.event_log.table].key]
            picked = picked[time_order(log["case"][picked], log["time"][picked], key, picked)]
            self._occurrences[step] = Occurrences(log["case"][picked], log["time"][picked], log["actor"][picked], picked)
        return self._occurrences[step]

    def occurrences_in(self, step: str, scope: np.ndarray) -> Occurrences:
        """The step's occurrences in the cases of the scope only, in the same order."""
        in_scope = np.zeros(self.cases, dtype=bool)
        in_scope[scope] = True
        occ = self.occurrences(step)
        keep = in_scope[occ.case]
        return Occurrences(occ.case[keep], occ.time[keep], occ.actor[keep], occ.row[keep])

    def stats(self, step: str) -> StepStats:
        """The step's row of the per-case step table: first and last time and count per case,
        scattered straight from the events (no ordering needed), each on first use."""
        if step not in self._stats:
            picked, log = self._of_step(step), self._log
            self._stats[step] = StepStats(log["case"][picked], log["time"][picked], self.cases)
        return self._stats[step]

    def step_actors(self, step: str) -> tuple[np.ndarray, np.ndarray]:
        """Per case, who did the step first and who last (NONE when nobody or unknown); among
        events at the same time, the first by event key."""
        occ, n = self.occurrences(step), self.cases
        first, last = np.full(n, NONE, dtype=np.int64), np.full(n, NONE, dtype=np.int64)
        starts = run_starts(occ.case)
        ends = np.append(starts[1:], len(occ.case))[:len(starts)] - 1
        first[occ.case[starts]], last[occ.case[ends]] = occ.actor[starts], occ.actor[ends]
        return first, last

    # ------------------------------------------------------------------ roles and sign-offs

    @cached_property
    def roster(self) -> dict[str, np.ndarray]:
        roster = self.model.roster
        table = self.tables[roster.table]
        return {"role": np.asarray(table[roster.role].cat.codes, dtype=np.int64),
                "valid_from": instants(table[roster.valid_from]), "valid_to": instants(table[roster.valid_to]),
                "supervisor": self._people(roster.table, roster.supervisor)}

    def role_at(self, people: np.ndarray, times: np.ndarray) -> np.ndarray:
        """Role code (index in the data model's roles) each person held at each time; NONE when
        they held none, are unknown, or the time is."""
        r = self.roster
        known = self.in_roster(people)
        p = np.where(known, people, 0)
        if not len(r["role"]):
            return np.full(len(people), NONE, dtype=np.int64)
        start, end = r["valid_from"][p], r["valid_to"][p]
        started = (start == NAT) | (start <= times)
        # A role is held to the end of its last day.
        not_ended = (end == NAT) | (times < end + US_PER_DAY)
        return np.where(known & started & not_ended & (times != NAT), r["role"][p], NONE)

    def approvals_of(self, approval_type: str) -> Occurrences:
        """Approved sign-offs of one type, with their case, approver and time."""
        log = self.model.approvals
        table = self.tables[log.table]
        chosen = ((table[log.type] == approval_type).fillna(False).to_numpy(dtype=bool)
                  & (table[log.decision] == log.approved_value).fillna(False).to_numpy(dtype=bool))
        case, time = self.tables.code(log.table, log.case), instants(table[log.time])
        rows = np.flatnonzero(chosen & (time != NAT) & (case != NONE))
        return Occurrences(case[rows], time[rows], self._approvers[rows], rows)
