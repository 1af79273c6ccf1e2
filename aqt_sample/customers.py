"""Customer accounts: industrial companies spread over the four sales regions."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .people import SEATS_PER_REGION
from .vocab import (
    BRAND_HEADS,
    BRAND_MIDDLES,
    BRAND_TAILS,
    CITIES,
    COMPANY_FORMS,
    COMPANY_KINDS,
    INDUSTRIES,
    REGION_SHARE,
    REGIONS,
)

KEY_ACCOUNT_SHARE = 0.2
CUSTOMERS_PER_DEAL = 0.3


@dataclass(frozen=True)
class Customers:
    names: np.ndarray
    key: np.ndarray        # key account (重点客户)
    industry: np.ndarray
    region: np.ndarray
    seat: np.ndarray       # the portfolio the account belongs to

    @property
    def count(self) -> int:
        return int(self.seat.size)


def build_customers(deals: int, rng: np.random.Generator) -> Customers:
    count = max(1, round(deals * CUSTOMERS_PER_DEAL))
    region = rng.choice(len(REGIONS), size=count, p=REGION_SHARE)
    return Customers(
        names=company_names(region, rng),
        key=rng.random(count) < KEY_ACCOUNT_SHARE,
        industry=rng.integers(len(INDUSTRIES), size=count),
        region=region,
        seat=region * SEATS_PER_REGION + rng.integers(SEATS_PER_REGION, size=count),
    )


def company_names(region: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Distinct names of the form city + brand + trade + legal form; clashes are drawn again."""
    names = np.empty(region.size, dtype=object)
    clashing = np.arange(region.size)
    while clashing.size:
        names[clashing] = _draw_names(region[clashing], rng)
        clashing = np.flatnonzero(pd.Series(names).duplicated().to_numpy())
    return names


def _draw_names(region: np.ndarray, rng: np.random.Generator) -> list[str]:
    n = region.size
    city, head, tail = rng.random(n), rng.integers(len(BRAND_HEADS), size=n), rng.integers(len(BRAND_TAILS), size=n)
    middle, kind = rng.integers(len(BRAND_MIDDLES), size=n), rng.integers(len(COMPANY_KINDS), size=n)
    form = rng.integers(len(COMPANY_FORMS), size=n)
    cities = [CITIES[name] for name in REGIONS]
    return [
        cities[r][int(c * len(cities[r]))] + _brand(h, t) + BRAND_MIDDLES[m] + COMPANY_KINDS[k] + COMPANY_FORMS[f]
        for r, c, h, t, m, k, f in zip(region, city, head, tail, middle, kind, form)
    ]


def _brand(head: int, tail: int) -> str:
    first = BRAND_HEADS[head]
    second = BRAND_TAILS[tail]
    return first + (second if second != first else BRAND_TAILS[(tail + 1) % len(BRAND_TAILS)])
