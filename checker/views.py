"""Shared views of a dataset, built once per run and reused by every rule.

The event log is sorted by case, time and event key, so input row order never matters;
per-case, per-step first times and counts are one groupby each."""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from .model import DataModel


class Views:
    UNUSABLE_REASON = "an event of this case has an unknown step or an unreadable time"

    def __init__(self, model: DataModel, tables: dict[str, pd.DataFrame]):
        self.model, self.tables = model, tables

    @cached_property
    def events(self) -> pd.DataFrame:
        """The event log with columns case, step, actor, time, id; only events with a case."""
        log = self.model.event_log
        table = self.tables[log.table]
        frame = pd.DataFrame({"case": table[log.case].astype(object), "step": table[log.step],
                              "actor": table[log.actor].astype(object), "time": table[log.time],
                              "id": table.index.astype(str)})
        frame = frame[frame["case"].notna()]
        return frame.take(_time_order(frame)).reset_index(drop=True)

    @cached_property
    def _unusable(self) -> pd.Index:
        bad = self.events["step"].isna() | self.events["time"].isna()
        return pd.Index(self.events.loc[bad, "case"].unique())

    def unusable_cases(self, keys: pd.Index) -> pd.Series:
        """True for cases whose event log cannot be trusted (a step or time could not be read)."""
        return pd.Series(keys.isin(self._unusable), index=keys)

    @cached_property
    def _step_stats(self) -> pd.DataFrame:
        usable = self.events.dropna(subset=["step", "time"])
        return usable.groupby(["case", "step"], observed=True)["time"].agg(["min", "size"])

    def first_at(self, step: str) -> pd.Series:
        """First time of a step per case (cases without it are absent)."""
        return self._stat(step, "min")

    def count(self, step: str) -> pd.Series:
        return self._stat(step, "size")

    def _stat(self, step: str, column: str) -> pd.Series:
        stats = self._step_stats
        if step not in stats.index.get_level_values("step"):
            return pd.Series(dtype=stats[column].dtype)
        return stats.xs(step, level="step")[column]

    def occurrences(self, step: str) -> pd.DataFrame:
        """Every event of a step, in time order."""
        events = self.events
        return events[(events["step"] == step).fillna(False)]

    @cached_property
    def roster(self) -> pd.DataFrame:
        roster = self.model.roster
        table = self.tables[roster.table]
        return pd.DataFrame({"role": table[roster.role].astype(object), "valid_from": table[roster.valid_from],
                             "valid_to": table[roster.valid_to], "supervisor": table[roster.supervisor].astype(object)},
                            index=table.index)

    def role_at(self, people: pd.Series, times: pd.Series) -> pd.Series:
        """The role each person held at each time (None when they held none or are unknown)."""
        info = self.roster.reindex(people.astype(object).to_numpy())
        info.index = people.index
        started = info["valid_from"].isna() | (info["valid_from"] <= times)
        not_ended = info["valid_to"].isna() | (times < info["valid_to"] + pd.Timedelta(days=1))
        return info["role"].where(started & not_ended & times.notna(), None)

    def approvals_of(self, approval_type: str) -> pd.DataFrame:
        """Approved sign-offs of one type with columns case, approver, time."""
        log = self.model.approvals
        table = self.tables[log.table]
        chosen = (table[log.type] == approval_type).fillna(False) & (table[log.decision] == log.approved_value).fillna(False)
        chosen = chosen & table[log.time].notna()
        return pd.DataFrame({"case": table.loc[chosen, log.case].astype(object),
                             "approver": table.loc[chosen, log.approver].astype(object),
                             "time": table.loc[chosen, log.time]}).reset_index(drop=True)


def _time_order(frame: pd.DataFrame) -> np.ndarray:
    """Row order by case, then time (unknown times last), then event id.

    Sorting three text keys is the slowest step of a run; case codes and times sort as
    integers, and only rows that tie on both are ordered by their id."""
    case = pd.factorize(frame["case"], sort=True)[0]
    time = frame["time"].to_numpy(dtype="datetime64[us]", na_value=np.datetime64("NaT")).view("i8")
    time = np.where(frame["time"].isna().to_numpy(), np.iinfo("i8").max, time)
    order = np.lexsort((time, case))
    c, t = case[order], time[order]
    same = (c[1:] == c[:-1]) & (t[1:] == t[:-1])
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        pos = np.flatnonzero(tied)
        ids = frame["id"].to_numpy(dtype=object)[order[pos]]
        within = pd.DataFrame({"c": c[pos], "t": t[pos], "i": ids}).sort_values(["c", "t", "i"], kind="stable")
        order[pos] = order[pos][within.index.to_numpy()]
    return order
