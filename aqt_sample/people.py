"""The sales department: who holds which role, which rep covers which accounts, and when."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from .vocab import FAMILY_NAMES, GIVEN_NAMES, HEAD_OFFICE, REGIONS
from .workdays import DAY, WorkCalendar

SEATS_PER_REGION = 4
HANDOVER_WORKDAYS = 10   # the successor starts two weeks before the leaver's last day
STILL_EMPLOYED = 10**6


@dataclass(frozen=True)
class Roster:
    ids: tuple[str, ...]
    names: tuple[str, ...]
    roles: tuple[str, ...]
    regions: tuple[str, ...]
    boss: tuple[int, ...]           # direct supervisor, -1 for the top
    start: np.ndarray               # first day employed, days from the calendar epoch
    end: np.ndarray                 # last day employed
    general_manager: int
    sales_manager: int
    supervisors: np.ndarray         # per region
    legal: np.ndarray
    finance: np.ndarray
    seat_holder: np.ndarray         # rep per account portfolio ("seat")
    leaver_seat: int
    leaver: int
    joiner: int

    @property
    def seats(self) -> int:
        return int(self.seat_holder.size)

    def holder(self, seat: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Who works a seat's accounts at instant t: the leaver's portfolio passes to the joiner."""
        handed_over = (np.asarray(seat) == self.leaver_seat) & (np.asarray(t) // DAY > self.end[self.leaver])
        return np.where(handed_over, self.joiner, self.seat_holder[seat])

    def supervisor_of(self, seat: np.ndarray) -> np.ndarray:
        return self.supervisors[np.asarray(seat) // SEATS_PER_REGION]

    def recruiters(self) -> np.ndarray:
        """Who hired each employee: the sales manager the sales staff (policy 2.2.1.2.2), the
        general manager everyone else but himself (-1)."""
        sales = np.isin(np.array(self.roles), ("sales_rep", "sales_supervisor"))
        hired = np.where(sales, self.sales_manager, self.general_manager)
        hired[self.general_manager] = -1
        return hired

    def active(self, employee: np.ndarray, t: np.ndarray) -> np.ndarray:
        day = np.asarray(t) // DAY
        return (self.start[employee] <= day) & (day <= self.end[employee])


def build_roster(cal: WorkCalendar, rng: np.random.Generator) -> Roster:
    seats = len(REGIONS) * SEATS_PER_REGION
    rows: list[tuple[str, str, int, tuple[int, int]]] = [
        ("general_manager", HEAD_OFFICE, -1, (2009, 2012)),
        ("sales_manager", HEAD_OFFICE, 0, (2013, 2016)),
    ]
    rows += [("sales_supervisor", region, 1, (2015, 2020)) for region in REGIONS]
    for seat in range(seats):
        region = seat // SEATS_PER_REGION
        rows.append(("sales_rep", REGIONS[region], 2 + region, (2018, 2024)))
    rows += [("legal_counsel", HEAD_OFFICE, 0, (2016, 2022)) for _ in range(2)]
    leaver_seat = int(rng.integers(seats))
    leaver, joiner = 6 + leaver_seat, len(rows)
    start = [_hire_day(cal, rng, years) for *_, years in rows]
    rows.append(("sales_rep", rows[leaver][1], rows[leaver][2], (0, 0)))
    end = np.full(len(rows), STILL_EMPLOYED)
    end[leaver] = _last_workday_of_month(cal, int(rng.integers(5, 9)))
    start.append(int(cal.workdays[np.searchsorted(cal.workdays, end[leaver]) - HANDOVER_WORKDAYS]))
    finance = len(rows)
    rows.append(("finance_officer", HEAD_OFFICE, 0, (2016, 2022)))
    start.append(_hire_day(cal, rng, rows[finance][3]))
    end = np.append(end, STILL_EMPLOYED)
    return Roster(
        ids=tuple(f"E{i + 1:03d}" for i in range(len(rows))),
        names=tuple(unique_names(rng, len(rows))),
        roles=tuple(r[0] for r in rows), regions=tuple(r[1] for r in rows), boss=tuple(r[2] for r in rows),
        start=np.array(start), end=end, general_manager=0, sales_manager=1,
        supervisors=np.arange(2, 2 + len(REGIONS)), legal=np.array([6 + seats, 7 + seats]),
        finance=np.array([finance]),
        seat_holder=np.arange(6, 6 + seats), leaver_seat=leaver_seat, leaver=leaver, joiner=joiner,
    )


def unique_names(rng: np.random.Generator, count: int) -> list[str]:
    weights = 1.0 / (np.arange(len(FAMILY_NAMES)) + 4.0)
    weights /= weights.sum()
    names: list[str] = []
    while len(names) < count:
        name = FAMILY_NAMES[rng.choice(len(FAMILY_NAMES), p=weights)] + GIVEN_NAMES[rng.integers(len(GIVEN_NAMES))]
        if name not in names:
            names.append(name)
    return names


def _hire_day(cal: WorkCalendar, rng: np.random.Generator, years: tuple[int, int]) -> int:
    first, last = cal.day_of(date(years[0], 1, 1)), cal.day_of(date(years[1], 12, 31))
    day = cal.epoch + timedelta(days=int(rng.integers(first, last + 1)))
    return cal.day_of(day - timedelta(days=day.weekday()))   # people start on a Monday


def _last_workday_of_month(cal: WorkCalendar, month: int) -> int:
    return int(cal.workdays[cal.month[cal.workdays] == month][-1])
