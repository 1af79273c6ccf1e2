"""Planted lapses of customer screening (policy 3.1.2): deals opened with accounts that were never
screened, or screened only after the deal was opened."""
from __future__ import annotations

import numpy as np

from .planting import Kind, Planted
from .state import Expect, Sample
from .workdays import DAY


def _screening(s: Sample) -> np.ndarray:
    p = s.prospecting
    return p.step == s.spec.steps.index("customer_screening")


def _accounts(s: Sample, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Accounts with deals, none of whose deals carries a planted case yet; and those deals."""
    free = np.setdiff1d(np.unique(s.customer), np.unique(s.customer[s.used]))
    chosen = np.sort(rng.choice(free, size=min(n, free.size), replace=False))
    deals = np.flatnonzero(np.isin(s.customer, chosen))
    s.used[deals] = True
    return chosen, deals


def never_screened(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    chosen, deals = _accounts(s, rng, n)
    p = s.prospecting
    keep = ~(_screening(s) & np.isin(p.customer, chosen))
    s.prospecting = type(p)(p.customer[keep], p.step[keep], p.actor[keep], p.t[keep], p.channel[keep])
    return chosen, [Expect("SCR-001", "deals", deals)]


def screened_after_the_deal(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    chosen, deals = _accounts(s, rng, n)
    last_opened = np.zeros(s.customers.count, dtype=np.int64)
    np.maximum.at(last_opened, s.customer[deals], s.created[deals])
    p = s.prospecting
    late = _screening(s) & np.isin(p.customer, chosen)
    p.t[late] = last_opened[p.customer[late]] + DAY
    return chosen, [Expect("SCR-001", "deals", deals)]


KINDS = (
    Kind("account_never_screened", "violation", 1, "客户未经筛选即开展商机", "deals with an account never screened",
         never_screened),
    Kind("account_screened_after_the_deal", "violation", 1, "客户筛选晚于商机创建",
         "an account screened only after its deals were opened", screened_after_the_deal),
)
