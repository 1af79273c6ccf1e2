"""`assert`: the expression holds for the record; unknown (an empty field) is not evaluable."""
from __future__ import annotations

import datetime as dt
import operator

from hypothesis import strategies as st

from .common import NOT_EVALUABLE_RESULT, Expression, Result, World, cmp, coalesce, judged, k_and, k_not, k_or, minus

DAY = dt.timedelta(days=1)
# Each expression the strategy draws, by hand in three-valued logic.
EXPRESSIONS: dict[str, Expression] = {
    "amount >= 1000000 or discount_pct <= 10":
        lambda r, w: k_or(cmp(r["amount"], operator.ge, 1000000), cmp(r["discount_pct"], operator.le, 10)),
    "amount > 0 and discount_pct <= 10":
        lambda r, w: k_and(cmp(r["amount"], operator.gt, 0), cmp(r["discount_pct"], operator.le, 10)),
    "not (amount > 200000)":
        lambda r, w: k_not(cmp(r["amount"], operator.gt, 200000)),
    "coalesce(discount_pct, 0) <= 10":
        lambda r, w: cmp(coalesce(r["discount_pct"], 0), operator.le, 10),
    "discount_pct is null or discount_pct < 5":
        lambda r, w: k_or(r["discount_pct"] is None, cmp(r["discount_pct"], operator.lt, 5)),
    "closed_at - created_at <= days(2)":
        lambda r, w: cmp(minus(r["closed_at"], r["created_at"]), operator.le, 2 * DAY),
    "coalesce(closed_at, as_of) - created_at <= days(14)":
        lambda r, w: cmp(minus(coalesce(r["closed_at"], w.as_of), r["created_at"]), operator.le, 14 * DAY),
}
EXAMPLES = 100
SPECS = st.sampled_from(list(EXPRESSIONS))


def evaluate(expression: str, case: str, world: World) -> Result:
    holds = EXPRESSIONS[expression](world.deals[case], world)
    return NOT_EVALUABLE_RESULT if holds is None else judged(not holds)
