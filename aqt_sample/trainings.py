"""Training sessions the sales manager runs each quarter: who was invited, who came, and the
assessment score of each attendee (policy 2.2.1.2.3 and 2.2.3.5)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .planting import Kind
from .state import BLANK, Expect, Sample
from .workdays import HOUR

SESSIONS = ((2, "产品知识培训"), (5, "销售技巧培训"), (8, "合同与合规培训"), (11, "客户服务培训"))
ATTENDANCE = ("present", "absent", "excused")   # data-model attendance codes
EXCUSED_SHARE = 0.05                            # on leave with approval: not a lapse
SCORE_RANGE = (62, 98)
SESSION_START = 14 * HOUR


@dataclass
class Trainings:
    employee: np.ndarray
    session: np.ndarray        # index into SESSIONS
    t: np.ndarray
    attendance: np.ndarray     # index into ATTENDANCE
    score: np.ndarray          # BLANK when not assessed
    assessor: np.ndarray       # who scored it (the sales manager)
    used: np.ndarray


def hold_trainings(sample: Sample, rng: np.random.Generator) -> None:
    """Every rep and supervisor serving on a session's day is invited; nearly everyone comes and is scored."""
    cal, roster = sample.cal, sample.roster
    team = np.array([i for i, role in enumerate(roster.roles) if role in ("sales_rep", "sales_supervisor")])
    rows = []
    for k, (month, _) in enumerate(SESSIONS):
        day = int(cal.workdays[cal.month[cal.workdays] == month][10])
        t = day * 1440 + SESSION_START
        invited = team[roster.active(team, np.full(team.size, t))]
        rows += [(e, k, t) for e in invited]
    employee, session, t = (np.array(col, dtype=np.int64) for col in zip(*rows))
    excused = rng.random(employee.size) < EXCUSED_SHARE
    attendance = np.where(excused, ATTENDANCE.index("excused"), ATTENDANCE.index("present"))
    score = np.where(excused, BLANK, rng.integers(SCORE_RANGE[0], SCORE_RANGE[1] + 1, employee.size))
    assessor = np.full(employee.size, roster.sales_manager)
    sample.trainings = Trainings(employee, session, t, attendance, score, assessor, excused.copy())


def _pick(sample: Sample, rng: np.random.Generator, n: int) -> np.ndarray:
    tr = sample.trainings
    free = np.flatnonzero(~tr.used)
    take = np.sort(rng.choice(free, size=min(n, free.size), replace=False))
    tr.used[take] = True
    return take


def absent(s: Sample, rng: np.random.Generator, n: int) -> tuple[np.ndarray, list[Expect]]:
    k = _pick(s, rng, n)
    s.trainings.attendance[k] = ATTENDANCE.index("absent")
    s.trainings.score[k] = BLANK
    return k, [Expect("TRN-001", "trainings", k)]


def attended_not_assessed(s: Sample, rng: np.random.Generator, n: int) -> tuple[np.ndarray, list[Expect]]:
    k = _pick(s, rng, n)
    s.trainings.score[k] = BLANK
    return k, [Expect("TRN-002", "trainings", k)]


def assessed_by_supervisor(s: Sample, rng: np.random.Generator, n: int) -> tuple[np.ndarray, list[Expect]]:
    k = _pick(s, rng, n)
    s.trainings.assessor[k] = s.roster.supervisors[rng.integers(s.roster.supervisors.size, size=k.size)]
    return k, [Expect("TRN-003", "trainings", k)]


KINDS = (
    Kind("training_absent", "violation", 3, "无故缺席公司培训", "absent from a company training without leave",
         absent),
    Kind("training_not_assessed", "violation", 3, "参加培训但无考核成绩", "attended a training but was not assessed",
         attended_not_assessed),
    Kind("training_assessed_by_supervisor", "violation", 3, "培训考核由销售主管评定",
         "a training score given by a supervisor", assessed_by_supervisor),
)
