"""Planted lapses around signing: a signed deal recorded as lost (PROC-009), a contract approved
before its review or by its own drafter (APPR-001), a redraft signed unreviewed (PROC-005), a
countersignature before or in the minute of the review (JR-005, JR-006), and, compliant, an
approval in the minute after the last countersignature and countersignatures in the minute after
the review.

These are planted after every other case, so that adding them left the records the other cases
chose as they were."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted, Planter, on_deals, pick, settled
from .state import Sample
from .workdays import HOUR

MINUTE = 1    # the sample keeps its times in minutes
HALF_HOUR = HOUR // 2


def signed_then_lost(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A won deal's stage turned to lost; it closes when it was signed, as it did when won."""
    d = pick(s, rng, s.in_stage("won") & s.has(S.SIGN), n)
    s.stage[d] = S.STAGES.index("lost")
    return d, [on_deals("PROC-009", d)]


def _approved(s: Sample) -> np.ndarray:
    return s.has(S.SIGN) & s.has(S.CONTRACT_OK) & s.has(S.REVIEW) & s.has(S.LEGAL)


def approved_before_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Approved the minute before the review, after the draft: in time for signing, out of turn."""
    d = pick(s, rng, _approved(s) & s.has(S.DRAFT) & (s.t[:, S.DRAFT] < s.t[:, S.REVIEW] - MINUTE), n)
    s.retime(d, S.CONTRACT_OK, s.t[d, S.REVIEW] - MINUTE)
    return d, [on_deals("APPR-001", d)]


def approved_after_countersigning(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Approved the minute after the legal countersignature, the last step it must follow: compliant."""
    d = pick(s, rng, _approved(s) & (s.t[:, S.LEGAL] + MINUTE < s.t[:, S.SIGN]), n)
    s.retime(d, S.CONTRACT_OK, s.t[d, S.LEGAL] + MINUTE)
    return d, []


def _countersigned_after_review(s: Sample) -> np.ndarray:
    """Signed deals whose countersignatures both come after the review, as planned."""
    return (s.has(S.SIGN) & s.has(S.REVIEW) & s.has(S.FINANCE) & s.has(S.LEGAL)
            & (s.t[:, S.FINANCE] > s.t[:, S.REVIEW]) & (s.t[:, S.LEGAL] > s.t[:, S.REVIEW]))


def countersigned_unreviewed(slot: int, offset: int, rule: str) -> Planter:
    """A countersignature moved to `offset` minutes from the Sales Department's review, at or
    before it: the countersignature must come after the review (3.3.10), a tie is not after."""
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        d = pick(s, rng, _countersigned_after_review(s), n)
        s.retime(d, slot, s.t[d, S.REVIEW] + offset)
        return d, [on_deals(rule, d)]
    return plant


def countersigned_a_minute_after_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Both countersign in the minute after the review, still before the approval: compliant."""
    d = pick(s, rng, _countersigned_after_review(s) & s.has(S.CONTRACT_OK)
             & (s.t[:, S.CONTRACT_OK] > s.t[:, S.REVIEW] + MINUTE), n)
    for slot in S.COUNTERSIGN:
        s.retime(d, slot, s.t[d, S.REVIEW] + MINUTE)
    return d, []


def manager_drafts_and_approves(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """The sales manager drafts a contract of the manager's tier and approves it himself: he may
    draft (3.3.1), but not approve what he drafted (3.3.4, 3.3.5)."""
    tier = s.tier(np.arange(s.deals))
    manager_tier = [t.role for t in s.spec.tiers].index("sales_manager")
    d = pick(s, rng, _approved(s) & s.has(S.DRAFT) & (tier == manager_tier), n)
    s.actor[d, S.DRAFT] = s.roster.sales_manager
    return d, [on_deals("APPR-001", d)]


def redraft_signed_unreviewed(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Reviewed, then drafted again half an hour before signing and signed without a second review.
    An amended contract is reviewed again later, so only unamended ones are taken: the redraft then
    also goes unreviewed past its deadline."""
    d = pick(s, rng, _approved(s) & settled(s, S.SIGN) & ~s.has(S.REDRAFT) & ~s.has(S.AMEND), n)
    s.present[d, S.REDRAFT] = True
    s.t[d, S.REDRAFT] = s.t[d, S.SIGN] - HALF_HOUR
    s.actor[d, S.REDRAFT] = s.roster.holder(s.seat[d], s.t[d, S.REDRAFT])
    return d, [on_deals("PROC-005", d), on_deals("PROC-007", d)]


V, B = "violation", "boundary"
KINDS = (
    Kind("signed_then_lost", V, 3, "已签订合同的商机记为输单", "a deal with a signed contract recorded as lost",
         signed_then_lost),
    Kind("approved_before_review", V, 2, "合同审批早于合同审核", "the contract approved before it was reviewed",
         approved_before_review),
    Kind("manager_drafts_and_approves", V, 2, "销售经理起草并审批同一合同",
         "the sales manager drafts and approves the same contract", manager_drafts_and_approves),
    Kind("redraft_signed_unreviewed", V, 2, "审核后再次起草,未再审核即签订",
         "drafted again after the review and signed without a second review", redraft_signed_unreviewed),
    Kind("approved_after_countersigning", B, 1, "法务会签后一分钟审批(合规)",
         "approved a minute after the legal countersignature (compliant)", approved_after_countersigning),
    Kind("finance_before_review", V, 2, "财务会签早于合同审核", "finance countersigned before the contract review",
         countersigned_unreviewed(S.FINANCE, -HALF_HOUR, "JR-005")),
    Kind("legal_review_tie", V, 1, "法务会签与合同审核同一分钟", "legal countersignature in the same minute as the review",
         countersigned_unreviewed(S.LEGAL, 0, "JR-006")),
    Kind("countersigned_a_minute_after_review", B, 1, "审核后一分钟财务、法务会签(合规)",
         "finance and legal countersign a minute after the review (compliant)", countersigned_a_minute_after_review),
)
