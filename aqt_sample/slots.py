"""A deal's life as a fixed row of slots, one per thing that can happen to it, in process order.

Every deal gets the same row, so a whole population is a handful of (deals x slots) arrays and
each scheduling or injection step is one vectorised operation."""
from __future__ import annotations

(CONTACT, NEEDS, PROPOSAL, PRESENT, NEGO1, NEGO2, NEGO3, DISCOUNT_OK, CREDIT, DRAFT, REVIEW, REDRAFT,
 FINANCE, LEGAL, CONTRACT_NO, CONTRACT_OK, TERMS_OK, SEAL_OK, SIGN, ARCHIVE, FOLLOWUP1, FOLLOWUP2, PAID, VISIT,
 AMEND, AMEND_REVIEW, OVERDUE, ESCALATE, AMEND_OK, AMEND_SIGN, MANAGER_TOLD) = range(31)
COUNT = 31
# The slots the clean history schedules; the amendment's approval and signing, and the collection
# of overdue instalments (PAID again, and MANAGER_TOLD), are added after it, from random streams
# of their own (see amendments.py, collection.py), so the rest of the sample stays as it was.
SCHEDULED = 28

STEP = {
    CONTACT: "first_contact", NEEDS: "needs_analysis", PROPOSAL: "proposal_drafted",
    PRESENT: "proposal_presented", NEGO1: "negotiation", NEGO2: "negotiation", NEGO3: "negotiation",
    CREDIT: "credit_check", DRAFT: "contract_drafted", REVIEW: "contract_reviewed", REDRAFT: "contract_drafted",
    FINANCE: "finance_review", LEGAL: "legal_review",
    SIGN: "contract_signed", ARCHIVE: "contract_archived", FOLLOWUP1: "payment_followup",
    FOLLOWUP2: "payment_followup", PAID: "payment_received", VISIT: "customer_visit",
    AMEND: "contract_amended", AMEND_REVIEW: "contract_reviewed", OVERDUE: "payment_overdue",
    ESCALATE: "payment_escalated", AMEND_SIGN: "amendment_signed", MANAGER_TOLD: "payment_escalated",
}
EVENT_SLOTS = tuple(sorted(STEP))
APPROVAL_TYPES = ("contract", "discount", "seal", "payment_terms")   # data-model approval type codes
APPROVAL_SLOTS = {DISCOUNT_OK: "discount", CONTRACT_NO: "contract", CONTRACT_OK: "contract",
                  TERMS_OK: "payment_terms", SEAL_OK: "seal", AMEND_OK: "contract"}
NEGOTIATIONS = (NEGO1, NEGO2, NEGO3)
COUNTERSIGN = (FINANCE, LEGAL)
AFTER_ARCHIVE = (FOLLOWUP1, FOLLOWUP2, PAID, VISIT, AMEND, AMEND_REVIEW, OVERDUE, ESCALATE)

# Work days after the previous slot that happened; (low, high) inclusive.
GAP = {
    CONTACT: (0, 0), NEEDS: (1, 8), PROPOSAL: (2, 8), PRESENT: (1, 5), NEGO1: (2, 8), NEGO2: (2, 6),
    NEGO3: (2, 6), DISCOUNT_OK: (0, 1), CREDIT: (0, 2), DRAFT: (1, 4), REVIEW: (0, 2), REDRAFT: (1, 2),
    FINANCE: (0, 1), LEGAL: (0, 1), CONTRACT_NO: (0, 1), CONTRACT_OK: (0, 2), TERMS_OK: (0, 1), SEAL_OK: (0, 1),
    SIGN: (1, 5), ARCHIVE: (1, 3), FOLLOWUP1: (2, 10), FOLLOWUP2: (5, 20), PAID: (3, 20), VISIT: (5, 30),
    AMEND: (10, 40), AMEND_REVIEW: (0, 2), OVERDUE: (20, 40), ESCALATE: (0, 2),
}
AFTER_REJECTION = (1, 3)        # a rejected contract is reworked before it is approved
ARCHIVE_MAX_CALENDAR_DAYS = 5   # otherwise it is archived on the day of signing

# How far through the process each stage has come (data-model stage codes).
STAGES = ("lead", "qualified", "proposal", "negotiation", "contract", "won", "lost")
STAGE_SHARE = (0.06, 0.08, 0.10, 0.09, 0.07, 0.35, 0.25)
REACH = {"lead": 1, "qualified": 2, "proposal": 3, "negotiation": 4, "contract": 5, "won": 6}
LOST_REACH = (2, 3, 4, 5)
LOST_REACH_SHARE = (0.2, 0.3, 0.25, 0.25)
