"""Sales opportunities: which account, which portfolio, how far they got and what they are worth."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .customers import Customers
from .people import SEATS_PER_REGION, Roster
from .spec import Spec
from .state import Sample
from .vocab import AFTER_SALES_TERMS, DELIVERY_TERMS, PAYMENT_TERMS, PROPOSAL_ITEMS
from .workdays import WorkCalendar

AMOUNT_RANGE = (30_000, 3_000_000)
MAX_DISCOUNT = 15.0
UNDISCOUNTED_SHARE = 0.3
KEY_ACCOUNT_WEIGHT = 3.0        # key accounts bring more deals
SHARED_ACCOUNT_SHARE = 0.05     # a colleague in the same region runs the deal


def draw_deals(spec: Spec, cal: WorkCalendar, roster: Roster, customers: Customers, deals: int,
               rng: np.random.Generator) -> Sample:
    weights = np.where(customers.key, KEY_ACCOUNT_WEIGHT, 1.0)
    customer = rng.choice(customers.count, size=deals, p=weights / weights.sum())
    seat = customers.seat[customer]
    shared = rng.random(deals) < SHARED_ACCOUNT_SHARE
    colleague = seat // SEATS_PER_REGION * SEATS_PER_REGION + rng.integers(SEATS_PER_REGION, size=deals)
    amount = _amounts(deals, rng)
    discount = _discounts(deals, rng)
    return Sample.unscheduled(
        spec, cal, roster, customers, customer=customer, seat=np.where(shared, colleague, seat),
        stage=rng.choice(len(S.STAGES), size=deals, p=S.STAGE_SHARE).astype(np.int8),
        amount=amount, discount=discount, terms=_terms(amount, discount, rng),
    )


def list_price(amount: np.ndarray, discount: np.ndarray) -> np.ndarray:
    """The quoted price before the deal's discount, to the nearest 100 yuan."""
    return (np.round(amount / (1 - discount / 100) / 100) * 100).astype(np.int64)


def _amounts(deals: int, rng: np.random.Generator) -> np.ndarray:
    low, high = np.log(AMOUNT_RANGE[0]), np.log(AMOUNT_RANGE[1])
    amount = np.round(np.exp(rng.uniform(low, high, deals)) / 100) * 100
    return np.clip(amount, *AMOUNT_RANGE).astype(np.int64)


def _discounts(deals: int, rng: np.random.Generator) -> np.ndarray:
    discount = np.round(rng.uniform(1, MAX_DISCOUNT, deals) * 2) / 2
    return np.where(rng.random(deals) < UNDISCOUNTED_SHARE, 0.0, discount)


def _terms(amount: np.ndarray, discount: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = amount.size
    return np.stack([
        list_price(amount, discount),
        rng.integers(len(DELIVERY_TERMS), size=n),
        rng.integers(len(PAYMENT_TERMS), size=n),
        rng.integers(len(AFTER_SALES_TERMS), size=n),
        rng.integers(len(PROPOSAL_ITEMS), size=n),
    ], axis=1).astype(np.int64)
