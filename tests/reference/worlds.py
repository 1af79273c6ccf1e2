"""Random datasets for the agreement test, built to hit the edges: ties (each example's
times come from a few grid points), unreadable steps and times, missing and unknown actors,
validity windows, tier boundaries, and the work-day calendar around the test pack's holiday
week with its make-up work days. Also the vocabulary the kinds' settings are drawn from."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from . import common

MAIN_STEPS = ["contract_drafted", "contract_reviewed", "contract_signed"]
OTHER_STEP = "negotiation"
UNKNOWN_STEP = "contract_faxed"
PEOPLE = ["E1", "E2", "E3"]
STRANGER = "X9"
ROLES = ["sales_rep", "sales_supervisor", "sales_manager", "general_manager", "legal_counsel"]
STAFF_ROLES = ["general_manager", "sales_manager"] + ROLES  # leaning senior, so approvals often suffice
# Around the holiday week of tests/pack/calendar.yaml: Fri, Sat, Sun (make-up work day), Mon,
# a holiday, the first work day after, Fri, Sat (make-up work day), Mon. Same hours every day,
# 23:59 among them, so answers land on the last minute of a deadline day and on the first after it.
DAYS = ["2025-01-24", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-02-05", "2025-02-07",
        "2025-02-08", "2025-02-10"]
HOURS = ["00:00", "10:00", "23:59"]
GRID = [f"{d} {h}" for d in DAYS for h in HOURS]
EARLY = ["2025-01-20 10:00", "2025-01-23 23:59"]
AS_OF = ["2025-01-24", "2025-01-26", "2025-01-27", "2025-02-06", "2025-02-08", "2025-03-31"]
# Mostly open windows, so that passes are common enough to be tested too.
FROM = [None, "2024-01-01", "2024-01-01", "2025-01-25", "2025-01-27", "2025-02-07"]
TO = [None, None, None, "2025-01-24", "2025-01-27", "2025-02-05", "2025-02-08"]
AMOUNTS = [150000, 0, 200000, 200000.5, 999999.99, 1000000, 1000000.01, 5000000, None]
DISCOUNTS = [None, 0, 5, 10, 10.5, 20]
# Hypothesis favours the first value of a list (and 0), so each list opens with the
# ordinary case and keeps the degenerate ones for later.
# Type and decision drawn together: an approved contract sign-off is the common case.
SIGN_OFFS = st.sampled_from([("contract", "approved")] * 4 + [("contract", "rejected"), ("contract", None),
                                                             ("discount", "approved")])
WHEN = st.sampled_from([None, None, *common.SCOPES])   # a rule's scope: mostly every deal

# What the generator fills, plus what the views read (the roster's supervisor).
COLUMNS = {"deals": {"id", "owner_id", "amount", "discount_pct", "stage", "created_at", "closed_at"},
           "events": {"id", "deal_id", "customer_id", "step", "actor_id", "at", "channel"},
           "employees": {"id", "role", "supervisor_id", "region", "active_from", "active_to"},
           "approvals": {"id", "deal_id", "type", "approver_id", "decision", "at"},
           "plans": {"id", "employee_id", "period_type", "period", "submitted_at"},
           "customers": {"id", "tier"}}


def pairs() -> st.SearchStrategy:
    """Two different main steps, in either order."""
    return st.permutations(MAIN_STEPS).map(lambda p: (p[0], p[1]))


def step_sets(first: str, then: str) -> st.SearchStrategy:
    """A step setting built around one step: the step itself, or a set of it and another step
    (never the other side's step, so the two sides stay apart)."""
    others = [s for s in MAIN_STEPS + [OTHER_STEP] if s not in (first, then)]
    return st.one_of(st.just(then), st.sampled_from(others).map(lambda o: [then, o]))


TIES = st.sampled_from([None, "not_in_order", "in_order"])


def days_later(stamp: str, days: int) -> str:
    return (dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M") + dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def noisy(draw, clean: st.SearchStrategy, noise: list, on: bool):
    """Mostly a clean value; when noise is on, now and then one of the noise values."""
    if on and draw(st.integers(0, 7)) == 7:
        return draw(st.sampled_from(noise))
    return draw(clean)


@st.composite
def datasets(draw) -> tuple[dict, str]:
    """Tables of rows as a rule test gives them, and an as-of day."""
    dirty = draw(st.integers(0, 2)) == 2
    deals = [f"D{i}" for i in range(1, draw(st.integers(1, 8)) + 1)]
    # A few instants per example, so that ties are common (the grid as a whole is covered
    # across examples), plus the first one moved by whole days: an answer exactly at a
    # deadline counted in days.
    palette = draw(st.lists(st.sampled_from(GRID), min_size=2, max_size=6, unique=True))
    palette.append(days_later(palette[0], draw(st.sampled_from([1, 2, 7]))))
    time = st.sampled_from(palette)
    # E3's role starts and ends on those days, so events at the edges of a window happen;
    # the others have ordinary windows, so early approvals often count.
    edges = [t[:10] for t in palette]
    windows = {p: (st.sampled_from(FROM), st.sampled_from(TO)) for p in PEOPLE[:-1]}
    windows[PEOPLE[-1]] = (st.sampled_from(edges + [None]), st.sampled_from(edges + [None]))
    # Approvals lean early, so that many come before the step they must precede.
    approval_time = st.one_of(st.sampled_from(EARLY), time)

    employees = []
    if draw(st.integers(0, 4)) < 4:  # now and then no roster at all
        for person in PEOPLE:
            if not dirty or draw(st.integers(0, 5)) < 5:
                employees.append({"id": person, "role": noisy(draw, st.sampled_from(STAFF_ROLES), [None], dirty),
                                  "active_from": draw(windows[person][0]), "active_to": draw(windows[person][1])})

    events, approvals = [], []
    for deal in deals + (["D9"] if dirty and draw(st.booleans()) else []):
        for _ in range(draw(st.integers(0, 8))):
            events.append({"id": f"A{len(events) + 1}", "deal_id": deal,
                           "step": noisy(draw, st.sampled_from(MAIN_STEPS + [OTHER_STEP]), [None, UNKNOWN_STEP], dirty),
                           "actor_id": noisy(draw, st.sampled_from(PEOPLE), [None, STRANGER], dirty),
                           "at": noisy(draw, time, [None, "soon"], dirty)})
        for _ in range(draw(st.sampled_from([1, 2, 0, 1, 3]))):
            kind, decision = draw(SIGN_OFFS)
            approvals.append({"id": f"P{len(approvals) + 1}", "deal_id": deal, "type": kind, "decision": decision,
                              "approver_id": noisy(draw, st.sampled_from(PEOPLE), [None, STRANGER], dirty),
                              "at": noisy(draw, approval_time, [None, "soon"], dirty)})
    rows = [{"id": d, "owner_id": draw(st.sampled_from(PEOPLE + [None, STRANGER])),
             "amount": draw(st.sampled_from(AMOUNTS)), "discount_pct": draw(st.sampled_from(DISCOUNTS)),
             "stage": draw(st.sampled_from(["won", "won", "lost", None])),
             "created_at": noisy(draw, time, [None], True), "closed_at": noisy(draw, time, [None], True)}
            for d in deals]
    data = {"deals": rows, "events": events, "approvals": approvals, "employees": employees}
    # The as-of day is sometimes one of the example's own days, where deadlines end.
    as_of = draw(st.sampled_from(AS_OF + sorted(set(edges))))
    return {name: draw(st.permutations(table)) for name, table in data.items()}, as_of
