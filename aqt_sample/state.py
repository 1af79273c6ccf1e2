"""Everything the generator knows about one sample, in data-model terms, before it becomes CSV."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import slots as S
from .customers import Customers
from .people import Roster
from .spec import Spec
from .vocab import PAYMENT_TERMS
from .workdays import WorkCalendar

if TYPE_CHECKING:
    from .planning import Filings
    from .trainings import Trainings

CHANNELS = ("phone", "email", "visit", "online_meeting", "system")
TERMS = ("proposal_price", "delivery_terms", "payment_terms", "after_sales_terms", "proposal_items")
STATED_TERMS = (0, 4, 1, 3)   # what policy 3.2.1 wants a proposal to state: price, items, delivery, after-sales
BLANK = -1


@dataclass
class Expect:
    """Expected violations of one rule: keyed by deal, by a deal's event slot, or by complaint."""
    rule: str
    table: str                 # "deals", "events", "approvals", "complaints", "trainings", "employees", "reports"
    index: np.ndarray
    slot: int = BLANK


@dataclass
class Outcome:
    """One kind of planted record and what the checker should make of it."""
    kind: str
    group: str                 # "violation", "defect" or "boundary"
    records: int
    expects: list[Expect] = field(default_factory=list)


@dataclass
class Prospecting:
    """Account-level steps that belong to no deal."""
    customer: np.ndarray
    step: np.ndarray           # index into Spec.steps
    actor: np.ndarray
    t: np.ndarray
    channel: np.ndarray


@dataclass
class Complaints:
    deal: np.ndarray
    customer: np.ndarray
    handler: np.ndarray
    serious: np.ndarray
    received: np.ndarray
    responded: np.ndarray      # BLANK while unanswered
    resolved: np.ndarray       # BLANK while open
    used: np.ndarray


@dataclass
class Sample:
    """Per-deal arrays, and per (deal, slot) arrays whose columns follow `slots`."""
    spec: Spec
    cal: WorkCalendar
    roster: Roster
    customers: Customers
    customer: np.ndarray
    seat: np.ndarray
    stage: np.ndarray          # index into slots.STAGES
    amount: np.ndarray
    discount: np.ndarray
    terms: np.ndarray          # (deals, 4): price in yuan and indices into the term pools; BLANK when left empty
    present: np.ndarray
    t: np.ndarray
    actor: np.ndarray
    channel: np.ndarray
    approval_type: np.ndarray  # approval slots: index into slots.APPROVAL_TYPES
    approved: np.ndarray       # approval slots: the decision
    recipient: np.ndarray      # escalation slots: the employee it was sent to; BLANK elsewhere
    created: np.ndarray
    closed: np.ndarray         # BLANK while open
    used: np.ndarray           # deals already carrying a planted case
    prospecting: Prospecting | None = None
    complaints: Complaints | None = None
    trainings: Trainings | None = None
    plans: Filings | None = None
    reports: Filings | None = None
    customers_used: np.ndarray | None = None   # accounts already carrying a planted case
    event_text: list[tuple[np.ndarray, int, str, np.ndarray]] = field(default_factory=list)
    amount_text: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    roster_text: list[tuple[np.ndarray, str, np.ndarray]] = field(default_factory=list)   # employees, column, text
    outcomes: list[Outcome] = field(default_factory=list)

    @classmethod
    def unscheduled(cls, spec: Spec, cal: WorkCalendar, roster: Roster, customers: Customers,
                    **deal_columns: np.ndarray) -> Sample:
        """Deals with their attributes drawn and an empty history."""
        n = deal_columns["seat"].size
        grid = (n, S.COUNT)
        return cls(spec=spec, cal=cal, roster=roster, customers=customers, **deal_columns,
                   present=np.zeros(grid, dtype=bool), t=np.zeros(grid, dtype=np.int64),
                   actor=np.zeros(grid, dtype=np.int16), channel=np.zeros(grid, dtype=np.int8),
                   approval_type=np.zeros(grid, dtype=np.int8), approved=np.ones(grid, dtype=bool),
                   recipient=np.full(grid, BLANK, dtype=np.int16),
                   created=np.zeros(n, dtype=np.int64), closed=np.full(n, BLANK, dtype=np.int64),
                   used=np.zeros(n, dtype=bool))

    @property
    def deals(self) -> int:
        return int(self.seat.size)

    def has(self, slot: int) -> np.ndarray:
        return self.present[:, slot]

    def in_stage(self, *stages: str) -> np.ndarray:
        return np.isin(self.stage, [S.STAGES.index(s) for s in stages])

    def retime(self, deals: np.ndarray, slot: int, t: np.ndarray) -> None:
        """Move a slot; work done by the account's rep moves to whoever holds the account then."""
        was_holder = self.actor[deals, slot] == self.roster.holder(self.seat[deals], self.t[deals, slot])
        self.t[deals, slot] = t
        self.actor[deals, slot] = np.where(was_holder, self.roster.holder(self.seat[deals], t),
                                           self.actor[deals, slot])

    def owner_at(self) -> np.ndarray:
        """When the export takes each deal's owner: at closing, or at the end for an open deal."""
        return np.where(self.closed >= 0, self.closed, self.cal.as_of - 1)

    def owner(self, deals: np.ndarray) -> np.ndarray:
        return self.roster.holder(self.seat[deals], self.owner_at()[deals])

    def tier(self, deals: np.ndarray) -> np.ndarray:
        """Index into Spec.tiers of the approval tier each deal's amount falls in."""
        limits = np.array([t.up_to for t in self.spec.tiers if t.up_to is not None], dtype=float)
        return np.searchsorted(limits, self.amount[deals], side="left")

    def role_holder(self, role: str, deals: np.ndarray) -> np.ndarray:
        """Who holds `role` for each deal: the deal's regional supervisor or the one manager."""
        if role == "sales_supervisor":
            return self.roster.supervisor_of(self.seat[deals])
        single = {"sales_manager": self.roster.sales_manager, "general_manager": self.roster.general_manager}
        return np.full(deals.size, single[role])

    def discount_tier(self, deals: np.ndarray) -> np.ndarray:
        """Index into Spec.discount_tiers of the tier each deal's discount falls in (limits inclusive)."""
        limits = np.array([t.up_to for t in self.spec.discount_tiers if t.up_to is not None], dtype=float)
        return np.searchsorted(limits, self.discount[deals], side="left")

    def discount_approver_for(self, deals: np.ndarray) -> np.ndarray:
        holders = np.stack([self.role_holder(t.role, deals) for t in self.spec.discount_tiers])
        return holders[self.discount_tier(deals), np.arange(deals.size)]

    def nonstandard_terms(self) -> np.ndarray:
        """Deals whose agreed payment terms are not among the company's standard ones."""
        standard = [PAYMENT_TERMS.index(t) for t in self.spec.standard_terms if t in PAYMENT_TERMS]
        return (self.terms[:, 2] != BLANK) & ~np.isin(self.terms[:, 2], standard)

    def approver_for(self, deals: np.ndarray) -> np.ndarray:
        """The holder of exactly the role the contract amount calls for."""
        holders = np.stack([self.role_holder(t.role, deals) for t in self.spec.tiers])
        return holders[self.tier(deals), np.arange(deals.size)]
