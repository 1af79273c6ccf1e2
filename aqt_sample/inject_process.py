"""Planted breaches of the sales process's step order and deadlines (PROC rules), and the
countersignatures (JR-005, JR-006) a review moved past them leaves unreviewed.

Each planter names every rule its change breaks, not only the one it aims at: a missing review on
a won deal also leaves the signing without an earlier review and the draft without a review."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted, on_deals, pick, settled
from .state import BLANK, STATED_TERMS, Expect, Sample
from .workdays import DAY


def _late_review(s: Sample, deals: np.ndarray, reviewed: np.ndarray) -> Expect:
    """PROC-007 for the deals whose (only) review now comes after the draft's deadline."""
    due = s.cal.deadline(s.t[deals, S.DRAFT], s.spec.review_workdays)
    return on_deals("PROC-007", deals[reviewed > due])


def _approved_unreviewed(s: Sample, deals: np.ndarray) -> Expect:
    """APPR-001 for the deals whose contract approval now comes before the (only) review."""
    return on_deals("APPR-001", deals[s.has(S.CONTRACT_OK)[deals] & (s.t[deals, S.CONTRACT_OK] <= s.t[deals, S.REVIEW])])


def countersigned_unreviewed(s: Sample, deals: np.ndarray) -> list[Expect]:
    """JR-005 and JR-006 for the deals whose finance or legal countersignature no longer comes
    strictly after a review (3.3.10): the review was moved to or past it, or dropped."""
    reviews = [s.t[deals, slot] for slot in (S.REVIEW, S.AMEND_REVIEW)]
    reviewed = [s.has(slot)[deals] for slot in (S.REVIEW, S.AMEND_REVIEW)]
    first = np.min([np.where(has, t, np.iinfo(np.int64).max) for has, t in zip(reviewed, reviews)], axis=0)
    return [on_deals(rule, deals[s.has(slot)[deals] & (first >= s.t[deals, slot])])
            for rule, slot in (("JR-005", S.FINANCE), ("JR-006", S.LEGAL))]


def _signed_unreviewed_draft(s: Sample, deals: np.ndarray) -> Expect:
    """PROC-005 for the signed deals whose review no longer follows their draft."""
    return on_deals("PROC-005", deals[s.has(S.SIGN)[deals]])


def needs_after_proposal(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEEDS) & s.has(S.PROPOSAL), n)
    s.retime(d, S.NEEDS, s.t[d, S.PROPOSAL] + rng.integers(30, 181, d.size))
    return d, [on_deals("PROC-001", d)]


def needs_missing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEEDS) & s.has(S.PROPOSAL), n)
    s.present[d, S.NEEDS] = False
    return d, [on_deals("PROC-001", d)]


def needs_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEEDS) & s.has(S.PROPOSAL), n)
    s.retime(d, S.NEEDS, s.t[d, S.PROPOSAL])
    return d, [on_deals("PROC-001", d)]


def proposal_blank(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.PROPOSAL), n)
    s.terms[d, np.array(STATED_TERMS)[np.arange(d.size) % len(STATED_TERMS)]] = BLANK
    return d, [Expect("PROC-002", "events", d, S.PROPOSAL)]


def proposal_price_zero(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.PROPOSAL), n)
    s.terms[d, 0] = 0
    return d, [Expect("PROC-002", "events", d, S.PROPOSAL)]


def proposal_without_payment_terms(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """3.2.1 does not ask a proposal for payment terms (the contract settles them): compliant."""
    d = pick(s, rng, s.has(S.PROPOSAL) & ~s.has(S.DRAFT), n)
    s.terms[d, 2] = BLANK
    return d, []


def negotiation_after_draft(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEGO1) & s.has(S.DRAFT), n)
    for k, slot in enumerate(S.NEGOTIATIONS):
        here = d[s.present[d, slot]]
        s.retime(here, slot, s.t[here, S.DRAFT] + 20 * (k + 1))
    return d, [on_deals("PROC-003", d)]


def negotiation_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEGO1) & ~s.has(S.NEGO2) & s.has(S.DRAFT), n)
    s.retime(d, S.NEGO1, s.t[d, S.DRAFT])
    return d, [on_deals("PROC-003", d)]


def negotiation_missing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.NEGO1) & s.has(S.DRAFT), n)
    s.present[np.ix_(d, S.NEGOTIATIONS)] = False
    return d, [on_deals("PROC-003", d)]


def review_before_draft(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.DRAFT) & settled(s, S.REVIEW), n)
    drafted, reviewed = s.t[d, S.DRAFT].copy(), s.t[d, S.REVIEW].copy()
    s.retime(d, S.DRAFT, reviewed)
    s.retime(d, S.REVIEW, drafted)
    return d, [on_deals("PROC-004", d), on_deals("PROC-007", d), _signed_unreviewed_draft(s, d)]


def review_draft_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.DRAFT) & s.has(S.REVIEW), n)
    s.retime(d, S.REVIEW, s.t[d, S.DRAFT])
    return d, [on_deals("PROC-004", d), on_deals("PROC-007", d), _signed_unreviewed_draft(s, d)]


def review_sign_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.DRAFT) & s.has(S.REVIEW) & settled(s, S.SIGN), n)
    s.retime(d, S.REVIEW, s.t[d, S.SIGN])
    return d, [on_deals("PROC-005", d), _late_review(s, d, s.t[d, S.REVIEW]), _approved_unreviewed(s, d),
               *countersigned_unreviewed(s, d)]


def review_after_sign(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Signed well inside the review deadline, so only the order is broken."""
    due = s.cal.deadline(s.t[:, S.DRAFT], s.spec.review_workdays)
    d = pick(s, rng, s.has(S.DRAFT) & s.has(S.REVIEW) & settled(s, S.SIGN) & (s.t[:, S.SIGN] + 120 <= due), n)
    s.retime(d, S.REVIEW, s.t[d, S.SIGN] + rng.integers(20, 121, d.size))
    return d, [on_deals("PROC-005", d), _late_review(s, d, s.t[d, S.REVIEW]), _approved_unreviewed(s, d),
               *countersigned_unreviewed(s, d)]


def won_without_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    # An amended contract is reviewed again, so dropping its first review would leave it reviewed.
    unamended = ~s.has(S.AMEND)
    d = pick(s, rng, s.in_stage("won") & settled(s, S.DRAFT) & s.has(S.REVIEW) & s.has(S.SIGN) & unamended, n)
    s.present[d, S.REVIEW] = False
    return d, [*(on_deals(rule, d) for rule in ("PROC-005", "PROC-006", "PROC-007", "APPR-001")),
               *countersigned_unreviewed(s, d)]


def won_without_draft(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.in_stage("won") & s.has(S.DRAFT) & s.has(S.REVIEW), n)
    s.present[d, S.DRAFT] = False
    return d, [on_deals("PROC-006", d), on_deals("PROC-004", d)]


def won_without_signing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.in_stage("won") & s.has(S.SIGN), n)
    s.present[d, S.SIGN] = False
    return d, [on_deals("PROC-006", d)]


def review_too_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.in_stage("contract", "lost") & settled(s, S.DRAFT) & s.has(S.REVIEW), n)
    day = s.cal.position(s.t[d, S.DRAFT]) + s.spec.review_workdays + rng.integers(1, 4, d.size)
    s.retime(d, S.REVIEW, s.cal.at(day, rng.integers(9 * 60, 18 * 60, d.size)))
    _close_after(s, d, s.t[d, S.REVIEW])
    return d, [on_deals("PROC-007", d), *countersigned_unreviewed(s, d)]


def redrafted_without_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.in_stage("contract", "lost") & s.has(S.DRAFT) & settled(s, S.REVIEW), n)
    day = s.cal.position(s.t[d, S.REVIEW]) + rng.integers(1, 3, d.size)
    s.present[d, S.REDRAFT] = True
    s.t[d, S.REDRAFT] = s.cal.at(day, rng.integers(9 * 60, 18 * 60, d.size))
    s.actor[d, S.REDRAFT] = s.roster.holder(s.seat[d], s.t[d, S.REDRAFT])
    _close_after(s, d, s.t[d, S.REDRAFT])
    return d, [on_deals("PROC-007", d)]


def draft_never_reviewed(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.in_stage("contract") & settled(s, S.DRAFT) & s.has(S.REVIEW), n)
    s.present[d, S.REVIEW] = False
    return d, [on_deals("PROC-007", d), *countersigned_unreviewed(s, d)]


def archive_too_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.SIGN) & s.has(S.ARCHIVE), n)
    # On a calendar day after the last one allowed (the signing day is not counted), at any hour.
    last_day = s.t[d, S.SIGN] // DAY + s.spec.archive_days
    s.retime(d, S.ARCHIVE, (last_day + 1) * DAY + rng.integers(0, 3 * DAY, d.size))
    return d, [on_deals("PROC-008", d)]


def archive_missing(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.SIGN) & s.has(S.ARCHIVE), n)
    s.present[d, S.ARCHIVE] = False
    return d, [on_deals("PROC-008", d)]


def archive_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.SIGN) & s.has(S.ARCHIVE), n)
    s.retime(d, S.ARCHIVE, s.t[d, S.SIGN])
    return d, [on_deals("PROC-008", d)]


def _close_after(s: Sample, deals: np.ndarray, t: np.ndarray) -> None:
    """A lost deal is closed after its last step."""
    closed = s.closed[deals]
    s.closed[deals] = np.where((closed >= 0) & (closed <= t), t + DAY, closed)


V = "violation"
KINDS = (
    Kind("needs_after_proposal", V, 2, "需求分析记录晚于方案制定",
         "needs analysis logged after the proposal", needs_after_proposal),
    Kind("needs_missing", V, 1, "有方案但无需求分析", "a proposal without any needs analysis", needs_missing),
    Kind("needs_tie", V, 1, "需求分析与方案制定同一分钟",
         "needs analysis in the same minute as the proposal", needs_tie),
    Kind("proposal_blank", V, 4, "方案缺少报价、交付、付款或售后条款",
         "a proposal missing its price, items, delivery or after-sales terms", proposal_blank),
    Kind("proposal_price_zero", V, 1, "方案报价为0", "a proposal priced at zero", proposal_price_zero),
    Kind("proposal_without_payment_terms", "boundary", 1, "方案未写付款方式(3.2.1未要求,合规)",
         "a proposal without payment terms (3.2.1 does not ask for them: compliant)", proposal_without_payment_terms),
    Kind("negotiation_after_draft", V, 2, "商务谈判晚于合同起草",
         "negotiation only after the contract draft", negotiation_after_draft),
    Kind("negotiation_tie", V, 1, "唯一一次商务谈判与合同起草同一分钟",
         "the only negotiation in the same minute as the draft", negotiation_tie),
    Kind("negotiation_missing", V, 1, "未经商务谈判即起草合同",
         "a contract drafted without any negotiation", negotiation_missing),
    Kind("review_before_draft", V, 1, "合同审核早于合同起草",
         "contract reviewed before it was drafted", review_before_draft),
    Kind("review_draft_tie", V, 1, "合同审核与起草同一分钟",
         "contract reviewed in the same minute as drafted", review_draft_tie),
    Kind("review_sign_tie", V, 1, "合同审核与签订同一分钟",
         "contract reviewed in the same minute as signed", review_sign_tie),
    Kind("review_after_sign", V, 1, "合同签订后才审核", "contract reviewed only after signing", review_after_sign),
    Kind("won_without_review", V, 1, "赢单缺少合同审核", "a won deal with no contract review", won_without_review),
    Kind("won_without_draft", V, 1, "赢单缺少合同起草", "a won deal with no contract draft", won_without_draft),
    Kind("won_without_signing", V, 1, "赢单缺少合同签订", "a won deal with no contract signing", won_without_signing),
    Kind("review_too_late", V, 1, "合同起草超过3个工作日才审核",
         "contract reviewed more than 3 work days after drafting", review_too_late),
    Kind("redrafted_without_review", V, 1, "审核后再次起草但未再审核",
         "draft, review, draft again without a second review", redrafted_without_review),
    Kind("draft_never_reviewed", V, 1, "合同起草后一直未审核", "a draft that was never reviewed", draft_never_reviewed),
    Kind("archive_too_late", V, 1, "合同签订超过7天才归档",
         "contract archived more than 7 days after signing", archive_too_late),
    Kind("archive_missing", V, 1, "合同签订后未归档", "a signed contract never archived", archive_missing),
    Kind("archive_tie", V, 1, "合同归档与签订同一分钟", "contract archived in the same minute as signed", archive_tie),
)
