"""Compliant cases that sit exactly on a limit, where an off-by-one checker would cry wolf."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .deals import list_price
from .planting import Kind, Planted, Planter, pick
from .state import Sample
from .workdays import DAY


def archived_on_the_limit(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Archived in the last minute of the last day allowed: the day of signing is not counted, so
    this is in time, though more than 7×24 hours after signing."""
    limit = s.spec.archive_days * DAY
    d = pick(s, rng, s.has(S.SIGN) & s.has(S.ARCHIVE) & (s.t[:, S.SIGN] < s.cal.as_of - limit - 2 * DAY), n)
    s.retime(d, S.ARCHIVE, (s.t[d, S.SIGN] // DAY + 1) * DAY + limit - 1)
    return d, []


def approved_by_higher_role(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.SIGN) & s.has(S.CONTRACT_OK) & (s.tier(np.arange(s.deals)) == 0), n)
    s.actor[d, S.CONTRACT_OK] = s.actor[d, S.CONTRACT_NO] = s.roster.general_manager
    return d, []


def _amount_on_limit(tier: int) -> Planter:
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        limit = [t.up_to for t in s.spec.tiers][tier]
        d = pick(s, rng, s.has(S.SIGN) & s.has(S.CONTRACT_OK) & (s.tier(np.arange(s.deals)) == tier), n)
        s.amount[d] = int(limit)
        s.terms[d, 0] = list_price(s.amount[d], s.discount[d])
        return d, []
    return plant


B = "boundary"
KINDS = (
    Kind("archived_on_the_limit", B, 1, "签订后第7日23:59归档(签订当日不计入,合规)",
         "archived at 23:59 on the 7th day after signing (the signing day not counted: compliant)",
         archived_on_the_limit),
    Kind("approved_by_higher_role", B, 1, "小额合同由总经理审批(更高级别可审批)",
         "a small contract approved by the general manager (higher level may approve)", approved_by_higher_role),
    Kind("amount_on_supervisor_limit", B, 1, "金额恰为200,000元,销售主管审批",
         "amount exactly 200,000 approved by a supervisor", _amount_on_limit(0)),
    Kind("amount_on_manager_limit", B, 1, "金额恰为1,000,000元,销售经理审批",
         "amount exactly 1,000,000 approved by the sales manager", _amount_on_limit(1)),
)
