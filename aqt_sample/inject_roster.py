"""Planted gaps in the roster: the organisation the policy lays down (2.1) that the employee list breaks."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from .people import SEATS_PER_REGION, unique_names
from .planting import Kind, Planted
from .state import Expect, Sample
from .vocab import HEAD_OFFICE, REGIONS

# Stand-ins appointed for a few weeks inside one month, away from the first of a month (no plan or
# report falls due) and from the training days: they break only the staffing counts.
ACTING_MANAGER = (date(2025, 3, 3), date(2025, 3, 20))
ACTING_SUPERVISOR = (date(2025, 7, 7), date(2025, 7, 18))


def supervisor_without_region(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    # One gap in a four-line organisation chart is telling; more would leave no region to compare with.
    k = np.sort(rng.choice(s.roster.supervisors, size=1, replace=False))
    s.roster_text.append((k, "region", np.full(k.size, "", dtype=object)))
    return k, [Expect("ORG-002", "employees", k)]


def rep_under_another_region(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A rep whose roster line names the supervisor of the neighbouring region; reports follow the roster."""
    r, serving = s.roster, _with_region(s)
    reps = [e for e in r.seat_holder if e not in (r.leaver, r.joiner) and r.boss[e] in serving]
    k = np.sort(rng.choice(np.array(reps, dtype=np.int64), size=min(n, len(reps)), replace=False))
    boss = list(r.boss)
    for e in k:
        boss[e] = next(x for x in serving if x != boss[e])
    s.roster = replace(r, boss=tuple(boss))
    return k, [Expect("ORG-004", "employees", k)]


def supervisor_under_general_manager(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A supervisor whose roster line names the general manager as superior, past the sales
    manager; reports follow the roster. The first supervisor with a region, so no draw moves the
    cases planted after."""
    r = s.roster
    k = np.array([_with_region(s)[0]], dtype=np.int64)
    boss = list(r.boss)
    boss[k[0]] = r.general_manager
    s.roster = replace(r, boss=tuple(boss))
    return k, [Expect("ORG-005", "employees", k)]


def reps_hired_by_their_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Reps hired by their own supervisor instead of the sales manager: the first rep of each of
    `n` regions, so no draw moves the cases planted after."""
    r = s.roster
    k = np.array([r.seat_holder[region * SEATS_PER_REGION] for region in range(min(n, len(REGIONS)))],
                 dtype=np.int64)
    s.roster_text.append((k, "recruiter_id", np.array([r.ids[r.boss[e]] for e in k], dtype=object)))
    return k, [Expect("REC-001", "employees", k)]


def _with_region(s: Sample) -> list[int]:
    blanked = {int(e) for rows, column, _ in s.roster_text if column == "region" for e in rows}
    return [int(e) for e in s.roster.supervisors if int(e) not in blanked]


def _appoint(s: Sample, rng: np.random.Generator, role: str, region: str, boss: int,
            window: tuple[date, date]) -> int:
    """Add one employee to the roster for the days of `window`; the roster's other lines keep their ids."""
    r = s.roster
    name = next(n for n in unique_names(rng, len(r.names) + 8) if n not in r.names)
    first, last = (s.cal.day_of(day.replace(year=s.cal.epoch.year)) for day in window)
    s.roster = replace(r, ids=(*r.ids, f"E{len(r.ids) + 1:03d}"), names=(*r.names, name), roles=(*r.roles, role),
                       regions=(*r.regions, region), boss=(*r.boss, boss), start=np.append(r.start, first),
                       end=np.append(r.end, last))
    return len(r.ids)


def _run(s: Sample, window: tuple[date, date]) -> np.ndarray:
    first, last = (day.replace(year=s.cal.epoch.year).isoformat() for day in window)
    return np.array([f"{first}..{last}"], dtype=object)


def acting_manager(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """An acting sales manager beside the manager in office: two managers on those days."""
    e = _appoint(s, rng, "sales_manager", HEAD_OFFICE, s.roster.general_manager, ACTING_MANAGER)
    return np.array([e]), [Expect("ORG-001", "keys", _run(s, ACTING_MANAGER))]


def acting_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A fifth supervisor for a fortnight: more than the establishment allows."""
    e = _appoint(s, rng, "sales_supervisor", REGIONS[0], s.roster.sales_manager, ACTING_SUPERVISOR)
    return np.array([e]), [Expect("ORG-003", "keys", _run(s, ACTING_SUPERVISOR))]


KINDS = (
    Kind("supervisor_without_region", "violation", 1, "销售主管未登记分管区域", "a supervisor with no region on record",
         supervisor_without_region),
    Kind("rep_under_another_region", "violation", 3, "销售代表的直属主管为其他区域主管",
         "a rep whose supervisor runs another region", rep_under_another_region),
    Kind("supervisor_under_general_manager", "violation", 1, "销售主管的直属上级登记为总经理而非销售经理",
         "a supervisor whose superior on record is the general manager, not the sales manager",
         supervisor_under_general_manager),
    Kind("reps_hired_by_their_supervisor", "violation", 3, "销售代表由其直属主管而非销售经理招聘",
         "reps hired by their own supervisor instead of the sales manager", reps_hired_by_their_supervisor),
    Kind("acting_manager", "violation", 1, "3月另设代理销售经理,与现任经理并存", "an acting sales manager beside "
         "the manager in office in March", acting_manager),
    Kind("acting_supervisor", "violation", 1, "7月增设一名临时销售主管,超出编制", "a fifth, temporary supervisor "
         "in July, beyond the establishment", acting_supervisor),
)
