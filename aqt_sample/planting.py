"""Shared means of planting cases: choosing untouched records, keying expectations, moving deals in time."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import slots as S
from .state import Expect, Sample
from .workdays import DAY

DEFAULT_DEALS = 400
SETTLED_DAYS = 31    # planted lapses happen before December, so their deadlines have passed by year end

Planted = tuple[np.ndarray, list[Expect]]          # the records used, and the violations they now carry
Planter = Callable[[Sample, np.random.Generator, int], Planted]


@dataclass(frozen=True)
class Kind:
    name: str
    group: str           # "violation", "defect" or "boundary"
    per_default: int     # records at the default sample size
    zh: str
    en: str
    plant: Planter

    def records(self, deals: int) -> int:
        return max(1, round(self.per_default * deals / DEFAULT_DEALS))


def pick(sample: Sample, rng: np.random.Generator, mask: np.ndarray, count: int,
         prefer: np.ndarray | None = None) -> np.ndarray:
    """Up to `count` deals matching `mask` that carry no planted case yet, from `prefer` first."""
    chosen = np.zeros(0, dtype=np.int64)
    for pool in ([mask & prefer] if prefer is not None else []) + [mask]:
        free = np.flatnonzero(pool & ~sample.used)
        take = rng.choice(free, size=min(count - chosen.size, free.size), replace=False)
        sample.used[take] = True
        chosen = np.concatenate([chosen, np.sort(take)])
    return chosen


def pick_complaints(sample: Sample, rng: np.random.Generator, mask: np.ndarray, count: int) -> np.ndarray:
    c = sample.complaints
    free = np.flatnonzero(mask & ~c.used)
    take = np.sort(rng.choice(free, size=min(count, free.size), replace=False))
    c.used[take] = True
    return take


def on_deals(rule: str, deals: np.ndarray) -> Expect:
    return Expect(rule, "deals", deals)


def with_defect(sample: Sample) -> np.ndarray:
    """Deals carrying a planted data defect in an event or their amount (not evaluable)."""
    hit = np.zeros(sample.deals, dtype=bool)
    for deals, *_ in sample.event_text + sample.amount_text:
        hit[deals] = True
    return hit


def settled(sample: Sample, slot: int) -> np.ndarray:
    """The slot happened and early enough that any deadline it starts is over by year end."""
    return sample.has(slot) & (sample.t[:, slot] < sample.cal.as_of - SETTLED_DAYS * DAY)


def shift(sample: Sample, deals: np.ndarray, workdays: np.ndarray) -> None:
    """Move whole deals by whole work days; gaps counted in work days stay as they were."""
    cal = sample.cal
    for slot in range(S.COUNT):
        here = sample.present[deals, slot]
        d, t = deals[here], sample.t[deals[here], slot]
        sample.retime(d, slot, cal.at(cal.position(t) + workdays[here], t % DAY))
    created = sample.created[deals]
    sample.created[deals] = cal.at(cal.position(created) + workdays, created % DAY)
    closed = sample.closed[deals]
    moved = cal.at(np.minimum(cal.position(closed) + workdays, cal.count - 1), closed % DAY)
    sample.closed[deals] = np.where(closed >= 0, moved, closed)


def room_to_shift(sample: Sample, slot: int, target: int) -> tuple[np.ndarray, np.ndarray]:
    """Work days that would move `slot` onto schedule position `target`; whether the deal's first step fits."""
    delta = target - sample.cal.position(sample.t[:, slot])
    return delta, sample.cal.position(sample.t[:, S.CONTACT]) + delta >= 0
