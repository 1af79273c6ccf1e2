"""Sales plans and monthly work reports, filed by whoever was on the team at the time.

Filings are drawn during the simulation, not at export, so that planted lapses and the answer key
can point at them; their order (time, employee, period) is also the order of their record ids."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .people import Roster
from .planting import Kind, Planted
from .state import Expect, Sample
from .workdays import HOUR, WorkCalendar

MONTHS = range(1, 13)
QUARTER_MONTHS = (1, 4, 7, 10)
PERIOD_TYPES = ("year", "quarter", "month")   # data-model period_type codes


@dataclass
class Filings:
    employee: np.ndarray
    period_type: np.ndarray    # index into PERIOD_TYPES
    period: np.ndarray         # "2025", "2025-Q1", "2025-03"
    t: np.ndarray
    recipient: np.ndarray      # whom it was submitted to: the filer's superior
    used: np.ndarray


def file_plans(sample: Sample, rng: np.random.Generator) -> None:
    """Monthly plans of reps and supervisors; quarterly and yearly plans of the sales manager."""
    cal, roster = sample.cal, sample.roster
    year = cal.epoch.year
    rows = []
    for employee in _team(roster):
        for month in MONTHS:
            if _month_start(cal, month) <= roster.end[employee]:
                rows.append((employee, "month", f"{year}-{month:02d}", _before(cal, month, rng)))
    manager = roster.sales_manager
    for quarter, month in enumerate(QUARTER_MONTHS, start=1):
        rows.append((manager, "quarter", f"{year}-Q{quarter}", _before(cal, month, rng)))
    rows.append((manager, "year", str(year), _before(cal, 1, rng)))
    sample.plans = _filings(roster, rows)


def file_reports(sample: Sample, rng: np.random.Generator) -> None:
    """A report at the close of every month a rep or supervisor worked through."""
    cal, roster = sample.cal, sample.roster
    year = cal.epoch.year
    rows = [(employee, "month", f"{year}-{month:02d}", _closing(cal, month, rng))
            for employee in _team(roster) for month in MONTHS]
    sample.reports = _filings(roster, rows)


def report_to_the_wrong_person(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A rep's report sent past the supervisor, straight to the sales manager."""
    r = s.reports
    by_rep = np.array([s.roster.roles[e] == "sales_rep" for e in r.employee])
    free = np.flatnonzero(by_rep & ~r.used)
    k = np.sort(rng.choice(free, size=min(n, free.size), replace=False))
    r.used[k] = True
    r.recipient[k] = s.roster.sales_manager
    return k, [Expect("RPT-004", "reports", k)]


KINDS = (
    Kind("report_to_the_wrong_person", "violation", 3, "销售代表越级向销售经理提交工作报告",
         "a rep's report sent to the sales manager instead of the supervisor", report_to_the_wrong_person),
)


def _team(roster: Roster) -> list[int]:
    return [i for i, role in enumerate(roster.roles) if role in ("sales_rep", "sales_supervisor")]


def _filings(roster: Roster, rows: list[tuple]) -> Filings:
    employee, kind, period, t = (np.array(column) for column in zip(*rows))
    employee, t = employee.astype(np.int64), t.astype(np.int64)
    keep = roster.active(employee, t)
    order = np.lexsort((period[keep], employee[keep], t[keep]))
    employee, period, t = employee[keep][order], period[keep][order].astype(object), t[keep][order]
    return Filings(employee=employee, period_type=np.array([PERIOD_TYPES.index(k) for k in kind[keep][order]]),
                   period=period, t=t, recipient=np.array([roster.boss[e] for e in employee], dtype=np.int64),
                   used=np.zeros(employee.size, dtype=bool))


def _before(cal: WorkCalendar, month: int, rng: np.random.Generator) -> int:
    """In the last three work days of the previous month; January's in its first two."""
    days = cal.workdays[cal.month[cal.workdays] == month][:2] if month == 1 else \
        cal.workdays[cal.month[cal.workdays] == month - 1][-3:]
    return int(days[rng.integers(days.size)] * 1440 + rng.integers(9 * HOUR, 18 * HOUR))


def _closing(cal: WorkCalendar, month: int, rng: np.random.Generator) -> int:
    days = cal.workdays[cal.month[cal.workdays] == month][-2:]
    return int(days[rng.integers(days.size)] * 1440 + rng.integers(15 * HOUR, 18 * HOUR + 30))


def _month_start(cal: WorkCalendar, month: int) -> int:
    return int(np.flatnonzero(cal.month == month)[0])
