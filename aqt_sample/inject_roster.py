"""Planted gaps in the roster: the organisation the policy lays down (2.1) that the employee list breaks."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .planting import Kind, Planted
from .state import Expect, Sample


def supervisor_without_region(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    # One gap in a four-line organisation chart is telling; more would leave no region to compare with.
    k = np.sort(rng.choice(s.roster.supervisors, size=1, replace=False))
    s.roster_text.append((k, "region", np.full(k.size, "", dtype=object)))
    return k, [Expect("ORG-002", "employees", k)]


def rep_under_another_region(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A rep whose roster line names the supervisor of the neighbouring region; reports follow the roster."""
    r = s.roster
    blanked = {int(e) for rows, column, _ in s.roster_text if column == "region" for e in rows}
    reps = [e for e in r.seat_holder if e not in (r.leaver, r.joiner) and r.boss[e] not in blanked]
    k = np.sort(rng.choice(np.array(reps, dtype=np.int64), size=min(n, len(reps)), replace=False))
    boss = list(r.boss)
    for e in k:
        others = [int(x) for x in r.supervisors if x != boss[e] and x not in blanked]
        boss[e] = others[0]
    s.roster = replace(r, boss=tuple(boss))
    return k, [Expect("ORG-004", "employees", k)]


KINDS = (
    Kind("supervisor_without_region", "violation", 1, "销售主管未登记分管区域", "a supervisor with no region on record",
         supervisor_without_region),
    Kind("rep_under_another_region", "violation", 3, "销售代表的直属主管为其他区域主管",
         "a rep whose supervisor runs another region", rep_under_another_region),
)
