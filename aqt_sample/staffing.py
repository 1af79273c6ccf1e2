"""The answer key of the per-day staffing counts (ORG-001, ORG-003), from the rosters themselves.

A sample made in one piece plants its staffing breaches and knows their days. A sample made in
parts has a roster per part, all in one employee list: how many managers serve on a day is
then the sum over the parts, so those rules' findings are counted here, day by day, as the
rules count them (every employee serving from their first to their last day, the audit period
being the calendar year up to the as-of day, a run of days with the same count one finding)."""
from __future__ import annotations

import numpy as np

from .people import Roster
from .spec import Spec
from .workdays import WorkCalendar

# rule id: (the role counted, the establishment's number of posts)
STAFFING = {
    "ORG-001": ("sales_manager", lambda spec: 1),
    "ORG-003": ("sales_supervisor", lambda spec: spec.supervisor_count),
}


def serving_per_day(roster: Roster, role: str, days: int) -> np.ndarray:
    """How many employees of the role serve on each day of the year up to the as-of day."""
    holders = np.flatnonzero(np.array(roster.roles, dtype=object) == role)
    changes = np.zeros(days + 1, dtype=np.int64)
    first = np.clip(roster.start[holders], 0, days)
    after_last = np.clip(roster.end[holders] + 1, 0, days)
    np.add.at(changes, first, 1)
    np.add.at(changes, after_last, -1)
    return np.cumsum(changes)[:days]


def off_establishment(counts: np.ndarray, posts: int, cal: WorkCalendar) -> list[str]:
    """The finding keys ("first..last") of the runs of days whose count is not the number of posts."""
    if not counts.size:
        return []
    starts = np.flatnonzero(np.r_[True, counts[1:] != counts[:-1]])
    ends = np.r_[starts[1:], counts.size] - 1
    return [f"{cal.date_of(int(a)).isoformat()}..{cal.date_of(int(b)).isoformat()}"
            for a, b in zip(starts.tolist(), ends.tolist()) if counts[a] != posts]


class StaffingCounts:
    """The per-day counts of every part's roster, added up, and the findings they make."""

    def __init__(self, spec: Spec, cal: WorkCalendar):
        self.spec, self.cal = spec, cal
        self.counts = {rule: np.zeros(cal.year_days, dtype=np.int64) for rule in STAFFING}

    def add(self, roster: Roster) -> None:
        for rule, (role, _) in STAFFING.items():
            self.counts[rule] += serving_per_day(roster, role, self.cal.year_days)

    def findings(self) -> list[tuple[str, str]]:
        return [(rule, key) for rule, (_, posts) in STAFFING.items() if rule in self.spec.rule_ids
                for key in off_establishment(self.counts[rule], posts(self.spec), self.cal)]
