"""Sales plans and monthly work reports, filed by whoever was on the team at the time."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .people import Roster
from .spec import Spec
from .workdays import HOUR, WorkCalendar

MONTHS = range(1, 13)
QUARTER_MONTHS = (1, 4, 7, 10)


def plan_rows(spec: Spec, cal: WorkCalendar, roster: Roster, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly plans of reps and supervisors; quarterly and yearly plans of the sales manager."""
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
    frame = _frame(roster, rows, cal)
    frame["period_type"] = [spec.text("plans", "period_type", kind) for kind in frame["period_type"]]
    return frame


def report_rows(cal: WorkCalendar, roster: Roster, rng: np.random.Generator) -> pd.DataFrame:
    """A report at the close of every month a rep or supervisor worked through."""
    year = cal.epoch.year
    rows = [(employee, None, f"{year}-{month:02d}", _closing(cal, month, rng))
            for employee in _team(roster) for month in MONTHS]
    frame = _frame(roster, rows, cal).drop(columns="period_type")
    frame["recipient_id"] = [roster.ids[roster.boss[e]] for e in frame["employee"]]
    return frame


def _team(roster: Roster) -> list[int]:
    return [i for i, role in enumerate(roster.roles) if role in ("sales_rep", "sales_supervisor")]


def _frame(roster: Roster, rows: list[tuple], cal: WorkCalendar) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["employee", "period_type", "period", "t"])
    active = roster.active(frame["employee"].to_numpy(), frame["t"].to_numpy())
    frame = frame[active].sort_values(["t", "employee", "period"], kind="stable").reset_index(drop=True)
    frame["employee_id"] = [roster.ids[e] for e in frame["employee"]]
    frame["submitted_at"] = cal.text(frame["t"].to_numpy())
    return frame


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
