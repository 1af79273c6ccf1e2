"""A deal's life as a fixed row of slots, one per thing that can happen to it, in process order.

Every deal gets the same row, so a whole population is a handful of (deals x slots) arrays and
each scheduling or injection step is one vectorised operation."""
from __future__ import annotations

(CONTACT, NEEDS, PROPOSAL, PRESENT, NEGO1, NEGO2, NEGO3, DISCOUNT_OK, DRAFT, REVIEW, REDRAFT,
 CONTRACT_NO, CONTRACT_OK, SIGN, ARCHIVE, FOLLOWUP1, FOLLOWUP2, PAID, VISIT) = range(19)
COUNT = 19

STEP = {
    CONTACT: "first_contact", NEEDS: "needs_analysis", PROPOSAL: "proposal_drafted",
    PRESENT: "proposal_presented", NEGO1: "negotiation", NEGO2: "negotiation", NEGO3: "negotiation",
    DRAFT: "contract_drafted", REVIEW: "contract_reviewed", REDRAFT: "contract_drafted",
    SIGN: "contract_signed", ARCHIVE: "contract_archived", FOLLOWUP1: "payment_followup",
    FOLLOWUP2: "payment_followup", PAID: "payment_received", VISIT: "customer_visit",
}
EVENT_SLOTS = tuple(sorted(STEP))
APPROVAL_SLOTS = (DISCOUNT_OK, CONTRACT_NO, CONTRACT_OK)
NEGOTIATIONS = (NEGO1, NEGO2, NEGO3)
AFTER_ARCHIVE = (FOLLOWUP1, FOLLOWUP2, PAID, VISIT)

# Work days after the previous slot that happened; (low, high) inclusive.
GAP = {
    CONTACT: (0, 0), NEEDS: (1, 8), PROPOSAL: (2, 8), PRESENT: (1, 5), NEGO1: (2, 8), NEGO2: (2, 6),
    NEGO3: (2, 6), DISCOUNT_OK: (0, 1), DRAFT: (1, 4), REVIEW: (0, 2), REDRAFT: (1, 2), CONTRACT_NO: (0, 1),
    CONTRACT_OK: (0, 2), SIGN: (1, 5), ARCHIVE: (1, 3), FOLLOWUP1: (5, 25), FOLLOWUP2: (5, 20),
    PAID: (3, 20), VISIT: (5, 30),
}
AFTER_REJECTION = (1, 3)        # a rejected contract is reworked before it is approved
ARCHIVE_MAX_CALENDAR_DAYS = 5   # otherwise it is archived on the day of signing

# How far through the process each stage has come (data-model stage codes).
STAGES = ("lead", "qualified", "proposal", "negotiation", "contract", "won", "lost")
STAGE_SHARE = (0.06, 0.08, 0.10, 0.09, 0.07, 0.35, 0.25)
REACH = {"lead": 1, "qualified": 2, "proposal": 3, "negotiation": 4, "contract": 5, "won": 6}
LOST_REACH = (2, 3, 4, 5)
LOST_REACH_SHARE = (0.2, 0.3, 0.25, 0.25)
