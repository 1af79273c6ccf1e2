"""Planted breaches of who may do what: segregation of duties, drafting roles, approval authority."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .deals import list_price
from .planting import Kind, Planted, on_deals, pick, settled
from .state import Expect, Sample
from .workdays import DAY

OVER_TOP_LIMIT = 1.5    # "a 1,500,000 deal" when the highest limit is 1,000,000


def _reviewed_by_supervisor(s: Sample) -> np.ndarray:
    return s.has(S.DRAFT) & s.has(S.REVIEW) & (s.actor[:, S.REVIEW] == s.roster.supervisor_of(s.seat))


def _signed(s: Sample) -> np.ndarray:
    return s.has(S.SIGN) & s.has(S.CONTRACT_OK)


def _set_approver(s: Sample, deals: np.ndarray, approver: np.ndarray) -> None:
    s.actor[deals, S.CONTRACT_OK] = s.actor[deals, S.CONTRACT_NO] = approver


def _approved_by_drafter(s: Sample, deals: np.ndarray) -> Expect:
    """APPR-001 for the signed deals whose one approval is now the drafter's own (3.3.4, 3.3.5)."""
    own = s.has(S.SIGN)[deals] & s.has(S.CONTRACT_OK)[deals] & (s.actor[deals, S.CONTRACT_OK] == s.actor[deals, S.DRAFT])
    return on_deals("APPR-001", deals[own])


def self_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.DRAFT) & s.has(S.REVIEW), n)
    s.actor[d, S.REVIEW] = s.actor[d, S.DRAFT]
    # The drafter is the account's rep, whom 3.3.3 does not let review either.
    return d, [on_deals("SOD-001", d), on_deals("REV-001", d)]


def reviewed_by_finance(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A finance officer gives the Sales Department's review, which 3.3.3 leaves to a supervisor,
    the manager or legal counsel."""
    d = pick(s, rng, s.has(S.REVIEW), n)
    s.actor[d, S.REVIEW] = s.roster.finance[rng.integers(s.roster.finance.size, size=d.size)]
    return d, [on_deals("REV-001", d)]


def supervisor_drafts_and_reviews(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _reviewed_by_supervisor(s), n)
    s.actor[d, S.DRAFT] = s.actor[d, S.REVIEW]
    return d, [on_deals("SOD-001", d), _approved_by_drafter(s, d)]


def drafted_after_leaving(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    r = s.roster
    late = s.has(S.DRAFT) & (s.t[:, S.DRAFT] // DAY > r.end[r.leaver])
    d = pick(s, rng, late, n, prefer=s.seat == r.leaver_seat)
    s.actor[d, S.DRAFT] = r.leaver
    return d, [on_deals("ROLE-001", d)]


def drafted_before_joining(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    r = s.roster
    early = s.has(S.DRAFT) & (s.t[:, S.DRAFT] // DAY < r.start[r.joiner])
    d = pick(s, rng, early, n, prefer=s.seat == r.leaver_seat)
    s.actor[d, S.DRAFT] = r.joiner
    return d, [on_deals("ROLE-001", d)]


def drafted_by_legal(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _reviewed_by_supervisor(s), n)
    s.actor[d, S.DRAFT] = s.roster.legal[rng.integers(s.roster.legal.size, size=d.size)]
    return d, [on_deals("ROLE-001", d)]


def drafted_by_general_manager(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.DRAFT), n)
    s.actor[d, S.DRAFT] = s.roster.general_manager
    return d, [on_deals("ROLE-001", d), _approved_by_drafter(s, d)]


def supervisor_approves_top_tier(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s), n)
    top = max(t.up_to for t in s.spec.tiers if t.up_to is not None)
    s.amount[d] = round(top * OVER_TOP_LIMIT)
    s.terms[d, 0] = list_price(s.amount[d], s.discount[d])
    _set_approver(s, d, s.roster.supervisor_of(s.seat[d]))
    return d, [on_deals("APPR-001", d)]


def approver_one_tier_low(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & (s.tier(np.arange(s.deals)) > 0), n)
    lower = s.tier(d) - 1
    holders = np.stack([s.role_holder(t.role, d) for t in s.spec.tiers])
    _set_approver(s, d, holders[lower, np.arange(d.size)])
    return d, [on_deals("APPR-001", d)]


def approved_after_signing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & settled(s, S.SIGN), n)
    s.retime(d, S.CONTRACT_OK, s.t[d, S.SIGN] + rng.integers(60, 2 * DAY, d.size))
    return d, [on_deals("APPR-001", d)]


def approval_sign_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s), n)
    s.retime(d, S.CONTRACT_OK, s.t[d, S.SIGN])
    return d, [on_deals("APPR-001", d)]


def owner_approves_own_contract(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """The deal owner signs off his own small contract: no approver may, and a rep lacks the level anyway."""
    d = pick(s, rng, _signed(s) & ~s.has(S.CONTRACT_NO) & (s.tier(np.arange(s.deals)) == 0), n)
    s.actor[d, S.CONTRACT_OK] = s.owner(d)
    return d, [on_deals("APPR-001", d), Expect("APPR-002", "approvals", d, S.CONTRACT_OK)]


def owner_rejects_own_contract(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """The owner's own rejection is still an approval act he may not perform; the later approval stands."""
    d = pick(s, rng, _signed(s) & s.has(S.CONTRACT_NO), n)
    s.actor[d, S.CONTRACT_NO] = s.owner(d)
    return d, [Expect("APPR-002", "approvals", d, S.CONTRACT_NO)]


def rejected_only(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s), n)
    s.approved[d, S.CONTRACT_OK] = False
    return d, [on_deals("APPR-001", d)]


def approval_missing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s), n)
    s.present[np.ix_(d, (S.CONTRACT_NO, S.CONTRACT_OK))] = False
    return d, [on_deals("APPR-001", d)]


def discount_approval_only(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s), n)
    s.approval_type[d, S.CONTRACT_OK] = S.APPROVAL_TYPES.index("discount")
    return d, [on_deals("APPR-001", d)]


V = "violation"
KINDS = (
    Kind("self_review", V, 2, "起草人自己审核合同", "the drafter also reviews the contract", self_review),
    Kind("supervisor_drafts_and_reviews", V, 1, "销售主管起草并审核同一合同",
         "a supervisor drafts and reviews the same contract", supervisor_drafts_and_reviews),
    Kind("drafted_after_leaving", V, 1, "离职后的销售代表起草合同",
         "a contract drafted by a rep after his leaving date", drafted_after_leaving),
    Kind("drafted_before_joining", V, 1, "入职前的员工起草合同",
         "a contract drafted by a rep before his start date", drafted_before_joining),
    Kind("drafted_by_legal", V, 1, "法务专员起草合同", "a contract drafted by legal counsel", drafted_by_legal),
    Kind("drafted_by_general_manager", V, 1, "总经理起草合同",
         "a contract drafted by the general manager", drafted_by_general_manager),
    Kind("supervisor_approves_top_tier", V, 1, "销售主管审批150万元合同",
         "a supervisor approves a 1,500,000 yuan contract", supervisor_approves_top_tier),
    Kind("approver_one_tier_low", V, 1, "审批人低于金额所需级别",
         "approved one authority level too low", approver_one_tier_low),
    Kind("approved_after_signing", V, 1, "合同签订后才审批",
         "the approval is dated after signing", approved_after_signing),
    Kind("approval_sign_tie", V, 1, "审批与签订同一分钟", "approved in the same minute as signed", approval_sign_tie),
    Kind("owner_approves_own_contract", V, 2, "商机负责人审批自己的合同",
         "the deal owner approves his own contract", owner_approves_own_contract),
    Kind("owner_rejects_own_contract", V, 1, "商机负责人驳回自己的合同",
         "the deal owner rejects his own contract", owner_rejects_own_contract),
    Kind("rejected_only", V, 1, "合同审批仅有驳回", "the contract approval was only ever rejected", rejected_only),
    Kind("approval_missing", V, 1, "签订合同无任何审批", "a signed contract with no approval at all", approval_missing),
    Kind("discount_approval_only", V, 1, "只有折扣审批没有合同审批",
         "only a discount approval, no contract approval", discount_approval_only),
)
# Planted after every other case, so that adding it left the records the other cases chose as they were.
REVIEWER_KINDS = (
    Kind("reviewed_by_finance", V, 1, "合同审核由财务专员完成", "the contract review given by a finance officer",
         reviewed_by_finance),
)
