"""Which cases are planted, in which order, and how many at a given sample size."""
from __future__ import annotations

import numpy as np

from . import (boundaries, defects, inject_accounts, inject_amendments, inject_authority, inject_calendar,
               inject_collection, inject_complaints, inject_contract, inject_process, inject_roster, inject_signing,
               planning, trainings, visits)
from .planting import Kind
from .state import Outcome, Sample

ALL_KINDS: tuple[Kind, ...] = (inject_process.KINDS + inject_calendar.KINDS + inject_authority.KINDS
                               + inject_contract.KINDS + inject_roster.KINDS + inject_complaints.KINDS
                               + inject_accounts.KINDS + trainings.KINDS + planning.KINDS + visits.KINDS
                               + defects.KINDS + boundaries.KINDS + inject_signing.KINDS + inject_amendments.KINDS
                               + inject_collection.KINDS + inject_authority.REVIEWER_KINDS)
# These need open contracts, year-end timing, the one rep who left, an overdue instalment or an amended
# contract: few deals qualify, so they choose first.
NARROW = ("review_on_last_day_after_holiday", "review_a_day_late_after_holiday", "review_due_next_year",
          "archive_due_after_year_end",
          "review_too_late", "redrafted_without_review", "draft_never_reviewed", "drafted_after_leaving",
          "drafted_before_joining", "overdue_not_escalated", "escalated_a_day_late", "escalated_on_last_workday",
          "amendment_not_reviewed", "amendment_reviewed_late")
COMPLAINT_KINDS = tuple(inject_complaints.KINDS)
# On records drawn after the deals: accounts' screening and follow-ups, training records, plans and reports.
LATER_KINDS = tuple(inject_accounts.KINDS + trainings.KINDS + planning.KINDS + visits.KINDS)
# On deals again, after everything else was drawn (see inject_signing, inject_amendments, inject_collection).
LAST_KINDS = tuple(inject_signing.KINDS + inject_amendments.KINDS + inject_collection.KINDS
                   + inject_authority.REVIEWER_KINDS)
DEAL_KINDS = tuple(sorted((k for k in ALL_KINDS if k not in COMPLAINT_KINDS + LATER_KINDS + LAST_KINDS),
                          key=lambda k: NARROW.index(k.name) if k.name in NARROW else len(NARROW)))


def plant_deal_cases(sample: Sample, rng: np.random.Generator) -> None:
    _plant(sample, rng, DEAL_KINDS)


def plant_complaint_cases(sample: Sample, rng: np.random.Generator) -> None:
    _plant(sample, rng, COMPLAINT_KINDS)


def plant_later_cases(sample: Sample, rng: np.random.Generator) -> None:
    _plant(sample, rng, LATER_KINDS)


def plant_last_cases(sample: Sample, rng: np.random.Generator) -> None:
    _plant(sample, rng, LAST_KINDS)


def _plant(sample: Sample, rng: np.random.Generator, kinds: tuple[Kind, ...]) -> None:
    for kind in kinds:
        records, expects = kind.plant(sample, rng, kind.records(sample.deals))
        sample.outcomes.append(Outcome(kind.name, kind.group, int(records.size), expects))
