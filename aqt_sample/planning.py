"""Sales plans and monthly work reports, filed by whoever was on the team at the time.

Filings are drawn during the simulation, not at export, so that planted lapses and the answer key
can point at them; their order (time, employee, period) is also the order of their record ids."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .people import Roster
from .planting import Kind, Planted
from .state import Expect, Sample
from .workdays import DAY, HOUR, WorkCalendar

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


def _report_days_after(s: Sample, rng: np.random.Generator, n: int, role: str, days: int, minute: int,
                       month: int | None = None) -> np.ndarray:
    """Move reports of `role`'s filers (of `month`, else of January to October) to `days` days after
    their month ended, at `minute` past midnight."""
    r = s.reports
    months = np.array([int(p[5:7]) for p in r.period])
    # The rep who left and his successor owe no report for the months they were not there to its deadline.
    settled = ~np.isin(r.employee, [s.roster.leaver, s.roster.joiner])
    mask = np.array([s.roster.roles[e] == role for e in r.employee]) & settled & ~r.used
    mask &= (months == month) if month else (months <= 10)
    free = np.flatnonzero(mask)
    k = np.sort(rng.choice(free, size=min(n, free.size), replace=False))
    r.used[k] = True
    year = s.cal.epoch.year
    after = [s.cal.day_of(date(year + (m == 12), m % 12 + 1, 1)) for m in months[k]]
    r.t[k] = (np.array(after, dtype=np.int64) + days - 1) * DAY + minute
    return k


def _late(role: str, rule: str):
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        k = _report_days_after(s, rng, n, role, s.spec.report_due_days + 1, 9 * 60 + 30)
        keys = np.array([f"{s.roster.ids[s.reports.employee[i]]}/{s.reports.period[i]}" for i in k], dtype=object)
        return k, [Expect(rule, "keys", keys)]
    return plant


def report_on_the_last_day_in_the_holiday(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """September's report filed in the evening of 5 October, inside the National Day break: the
    deadline counts calendar days, so it is in time."""
    return _report_days_after(s, rng, n, "sales_rep", s.spec.report_due_days, 20 * 60, month=9), []


KINDS = (
    Kind("report_a_day_late_by_a_rep", "violation", 3, "销售代表的月报在次月第6天才提交",
         "a rep's monthly report filed on the 6th day after the month", _late("sales_rep", "RPT-003")),
    Kind("report_a_day_late_by_a_supervisor", "violation", 3, "销售主管的月报在次月第6天才提交",
         "a supervisor's monthly report filed on the 6th day after the month", _late("sales_supervisor", "RPT-002")),
    Kind("report_on_the_last_day_in_the_holiday", "boundary", 1, "9月月报于10月5日(国庆假期中)晚间提交(合规)",
         "September's report filed on the evening of 5 October, during the holiday (compliant)",
         report_on_the_last_day_in_the_holiday),
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
