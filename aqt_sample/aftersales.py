"""Customer complaints about delivered contracts, answered and settled within the policy's limits;
the sales manager handles the serious ones."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .state import BLANK, Complaints, Sample
from .workdays import DAY, HOUR

COMPLAINTS_PER_DEAL = 0.075
SERIOUS_SHARE = 0.2
FIRST_COMPLAINT_AFTER = 2 * DAY
LAST_COMPLAINT_AFTER = 120 * DAY
OFFICE_HOURS = (8 * HOUR, 21 * HOUR)          # when complaints come in
RESPONSE_MINUTES = (10, 6 * HOUR)
RESOLUTION_DAYS = (1, 6)                       # settled one to five days later, in working hours
SETTLING_HOURS = (9 * HOUR, 20 * HOUR)


def file_complaints(sample: Sample, rng: np.random.Generator) -> None:
    cal, roster = sample.cal, sample.roster
    signed = np.flatnonzero(sample.has(S.SIGN) & (sample.t[:, S.SIGN] < cal.as_of - 10 * DAY))
    count = round(sample.deals * COMPLAINTS_PER_DEAL) if signed.size else 0
    deal = rng.choice(signed, size=count, replace=count > signed.size) if count else signed[:0]
    signed_at = sample.t[deal, S.SIGN]
    room = np.minimum(cal.as_of - HOUR - signed_at, LAST_COMPLAINT_AFTER) - FIRST_COMPLAINT_AFTER
    day = (signed_at + FIRST_COMPLAINT_AFTER + (rng.random(count) * room).astype(np.int64)) // DAY
    received = day * DAY + rng.integers(*OFFICE_HOURS, size=count)
    responded = received + rng.integers(*RESPONSE_MINUTES, size=count)
    resolved = (day + rng.integers(*RESOLUTION_DAYS, size=count)) * DAY + rng.integers(*SETTLING_HOURS, size=count)
    serious = rng.random(count) < SERIOUS_SHARE
    seat = sample.seat[deal]
    sample.complaints = Complaints(
        deal=deal, customer=sample.customer[deal],
        handler=np.where(serious, roster.sales_manager, roster.holder(seat, received)),
        serious=serious, received=received,
        responded=np.where(responded < cal.as_of, responded, BLANK),
        resolved=np.where(resolved < cal.as_of, resolved, BLANK),
        used=np.zeros(count, dtype=bool),
    )
