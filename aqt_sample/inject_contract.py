"""Planted lapses of the drafted contract procedure (policy 3.3.8, 3.3.10-3.3.16): credit check,
countersignature, seal use, discount and payment-terms authority, amendments, collection."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .deals import list_price
from .planting import Kind, Planted, Planter, on_deals, pick, settled
from .state import CHANNELS, Expect, Sample
from .workdays import DAY, HOUR

LATE_AFTERNOON = 17 * 60 + 30
ABOVE_TOP_DISCOUNT = 18.0


def _signed(s: Sample) -> np.ndarray:
    return s.has(S.SIGN) & settled(s, S.SIGN)


def after_signing(slot: int, *rules: str) -> Planter:
    """The step that must precede signing is logged an hour to a day after it; `rules` are those
    it breaks (the contract approval, too, when the step is one the approval must follow)."""
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        d = pick(s, rng, _signed(s) & s.has(slot), n)
        s.retime(d, slot, s.t[d, S.SIGN] + rng.integers(HOUR, DAY, d.size))
        return d, [on_deals(rule, d) for rule in rules]
    return plant


def tied_with_signing(slot: int, *rules: str) -> Planter:
    """The step that must precede signing is logged in the same minute: a tie is not earlier."""
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        d = pick(s, rng, _signed(s) & s.has(slot), n)
        s.retime(d, slot, s.t[d, S.SIGN])
        return d, [on_deals(rule, d) for rule in rules]
    return plant


def missing(slot: int, *rules: str) -> Planter:
    """A signed contract without the step or sign-off at all."""
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        d = pick(s, rng, _signed(s) & s.has(slot), n)
        s.present[d, slot] = False
        return d, [on_deals(rule, d) for rule in rules]
    return plant


def legal_review_by_rep(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.LEGAL), n)
    s.actor[d, S.LEGAL] = s.roster.holder(s.seat[d], s.t[d, S.LEGAL])
    return d, [on_deals("JR-003", d)]


def finance_review_by_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.FINANCE), n)
    s.actor[d, S.FINANCE] = s.roster.supervisor_of(s.seat[d])
    return d, [on_deals("JR-004", d)]


def seal_by_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & s.has(S.SEAL_OK), n)
    s.actor[d, S.SEAL_OK] = s.roster.supervisor_of(s.seat[d])
    return d, [on_deals("SEAL-001", d)]


def _discounted(s: Sample) -> np.ndarray:
    return _signed(s) & s.has(S.DISCOUNT_OK)


def _set_discount(s: Sample, deals: np.ndarray, discount: float) -> None:
    s.discount[deals] = discount
    s.terms[deals, 0] = list_price(s.amount[deals], s.discount[deals])


def discount_approver_too_low(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _discounted(s) & (s.discount_tier(np.arange(s.deals)) > 0), n)
    s.actor[d, S.DISCOUNT_OK] = s.roster.supervisor_of(s.seat[d])
    return d, [on_deals("DISC-001", d)]


def discount_above_top_tier(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _discounted(s), n)
    _set_discount(s, d, ABOVE_TOP_DISCOUNT)
    s.actor[d, S.DISCOUNT_OK] = s.roster.sales_manager
    return d, [on_deals("DISC-001", d)]


def _discount_on(limit_of) -> Planter:
    """A compliant deal whose discount sits exactly on a limit, approved by the lowest role allowed."""
    def plant(s: Sample, rng: np.random.Generator, n: int) -> Planted:
        d = pick(s, rng, _discounted(s), n)
        _set_discount(s, d, limit_of(s))
        s.actor[d, S.DISCOUNT_OK] = s.discount_approver_for(d)
        return d, []
    return plant


def discount_just_below(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Half a point under the approval threshold, with no approval: not in scope."""
    d = pick(s, rng, _discounted(s), n)
    _set_discount(s, d, s.spec.discount_from - 0.5)
    s.present[d, S.DISCOUNT_OK] = False
    return d, []


def terms_approved_by_supervisor(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & s.has(S.TERMS_OK), n)
    s.actor[d, S.TERMS_OK] = s.roster.supervisor_of(s.seat[d])
    return d, [on_deals("PAYT-001", d)]


def amendment_not_reviewed(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.AMEND) & s.has(S.AMEND_REVIEW), n)
    s.present[d, S.AMEND_REVIEW] = False
    return d, [on_deals("AMD-001", d)]


def amendment_reviewed_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, settled(s, S.AMEND) & s.has(S.AMEND_REVIEW), n)
    day = s.cal.position(s.t[d, S.AMEND]) + s.spec.review_workdays + rng.integers(1, 3, d.size)
    s.retime(d, S.AMEND_REVIEW, s.cal.at(day, rng.integers(9 * 60, 18 * 60, d.size)))
    return d, [on_deals("AMD-001", d)]


def signed_without_followup(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & s.has(S.FOLLOWUP1), n)
    s.present[np.ix_(d, (S.FOLLOWUP1, S.FOLLOWUP2))] = False
    return d, [on_deals("PAY-001", d)]


def followup_a_day_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _signed(s) & s.has(S.FOLLOWUP1), n)
    s.present[d, S.FOLLOWUP2] = False
    s.retime(d, S.FOLLOWUP1, s.t[d, S.SIGN] + (s.spec.followup_days + 1) * DAY + HOUR)
    return d, [on_deals("PAY-001", d)]


def followup_on_last_day(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """On the last calendar day allowed, no later in the day than the signing: compliant however
    the day is counted."""
    d = pick(s, rng, _signed(s) & s.has(S.FOLLOWUP1), n)
    s.present[d, S.FOLLOWUP2] = False
    signed = s.t[d, S.SIGN]
    s.retime(d, S.FOLLOWUP1, (signed // DAY + s.spec.followup_days) * DAY + np.minimum(signed % DAY, 9 * 60))
    return d, []


def _overdue(s: Sample) -> np.ndarray:
    return settled(s, S.OVERDUE) & s.has(S.ESCALATE)


def overdue_not_escalated(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _overdue(s), n)
    s.present[d, S.ESCALATE] = False
    return d, [on_deals("PAY-002", d)]


def escalated_a_day_late(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _overdue(s), n)
    day = s.cal.position(s.t[d, S.OVERDUE]) + s.spec.escalation_workdays + 1
    s.retime(d, S.ESCALATE, s.cal.at(day, 9 * 60 + 30))
    return d, [on_deals("PAY-002", d)]


def escalated_on_last_workday(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, _overdue(s), n)
    day = s.cal.position(s.t[d, S.OVERDUE]) + s.spec.escalation_workdays
    s.retime(d, S.ESCALATE, s.cal.at(day, LATE_AFTERNOON))
    return d, []


def presented_by_email(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.PRESENT), n)
    s.channel[d, S.PRESENT] = CHANNELS.index("email")
    return d, [Expect("PRES-001", "events", d, S.PRESENT)]


def first_contact_by_legal(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.CONTACT) & s.has(S.NEEDS), n)
    s.actor[d, S.CONTACT] = s.roster.legal[rng.integers(s.roster.legal.size, size=d.size)]
    return d, [on_deals("CONT-001", d)]


V, B = "violation", "boundary"
KINDS = (
    Kind("credit_missing", V, 1, "签订合同前无客户资信审查", "signed without any customer credit check",
         missing(S.CREDIT, "CRD-001")),
    Kind("credit_after_signing", V, 1, "资信审查晚于合同签订", "credit check only after signing",
         after_signing(S.CREDIT, "CRD-001")),
    Kind("credit_sign_tie", V, 1, "资信审查与签订同一分钟", "credit check in the same minute as signing",
         tied_with_signing(S.CREDIT, "CRD-001")),
    Kind("finance_missing", V, 3, "签订合同缺少财务会签", "signed without the finance countersignature",
         missing(S.FINANCE, "JR-001", "APPR-001")),
    Kind("legal_after_signing", V, 2, "法务会签晚于合同签订", "legal countersignature only after signing",
         after_signing(S.LEGAL, "JR-002", "APPR-001")),
    Kind("legal_sign_tie", V, 1, "法务会签与签订同一分钟", "legal countersignature in the same minute as signing",
         tied_with_signing(S.LEGAL, "JR-002", "APPR-001")),
    Kind("legal_review_by_rep", V, 3, "法务会签由销售代表完成", "the legal countersignature given by a sales rep",
         legal_review_by_rep),
    Kind("finance_review_by_supervisor", V, 3, "财务会签由销售主管完成",
         "the finance countersignature given by a sales supervisor", finance_review_by_supervisor),
    Kind("seal_missing", V, 1, "签订合同无用印审批", "signed without a seal-use approval",
         missing(S.SEAL_OK, "SEAL-001")),
    Kind("seal_after_signing", V, 1, "用印审批晚于合同签订", "seal use approved only after signing",
         after_signing(S.SEAL_OK, "SEAL-001")),
    Kind("seal_by_supervisor", V, 1, "用印由销售主管审批", "seal use approved by a sales supervisor", seal_by_supervisor),
    Kind("discount_unapproved", V, 2, "折扣达到10%未经审批", "a discount of 10% or more never approved",
         missing(S.DISCOUNT_OK, "DISC-001")),
    Kind("discount_approver_too_low", V, 1, "折扣超过12%由销售主管审批",
         "a discount above 12% approved by a supervisor", discount_approver_too_low),
    Kind("discount_above_top_tier", V, 1, "折扣18%仅经销售经理审批", "an 18% discount approved only by the sales manager",
         discount_above_top_tier),
    Kind("discount_on_threshold", B, 1, "折扣恰为10%,销售主管审批(合规)",
         "a discount of exactly 10% approved by a supervisor (compliant)", _discount_on(lambda s: s.spec.discount_from)),
    Kind("discount_on_supervisor_limit", B, 1, "折扣恰为12%,销售主管审批(合规)",
         "a discount of exactly 12% approved by a supervisor (compliant)",
         _discount_on(lambda s: s.spec.discount_tiers[0].up_to)),
    Kind("discount_just_below_threshold", B, 1, "折扣9.5%无审批(无需审批)",
         "a 9.5% discount without approval (none needed)", discount_just_below),
    Kind("terms_unapproved", V, 2, "非标准付款方式未经审批", "non-standard payment terms never approved",
         missing(S.TERMS_OK, "PAYT-001")),
    Kind("terms_approved_by_supervisor", V, 2, "非标准付款方式由销售主管审批",
         "non-standard payment terms approved by a supervisor", terms_approved_by_supervisor),
    Kind("amendment_not_reviewed", V, 2, "合同变更后未重新审核", "an amendment never reviewed", amendment_not_reviewed),
    Kind("amendment_reviewed_late", V, 2, "合同变更超过3个工作日才审核",
         "an amendment reviewed more than 3 work days later", amendment_reviewed_late),
    Kind("signed_without_followup", V, 39, "合同签订后未跟进回款", "a signed contract with no payment follow-up",
         signed_without_followup),
    Kind("followup_a_day_late", V, 1, "签订31天后才首次跟进回款", "the first payment follow-up 31 days after signing",
         followup_a_day_late),
    Kind("followup_on_last_day", B, 1, "签订后第30天首次跟进回款(合规)",
         "the first payment follow-up on the 30th day after signing (compliant)", followup_on_last_day),
    Kind("overdue_not_escalated", V, 2, "回款逾期未上报", "an overdue instalment never escalated",
         overdue_not_escalated),
    Kind("escalated_a_day_late", V, 2, "逾期后第4个工作日才上报", "escalated on the 4th work day after falling overdue",
         escalated_a_day_late),
    Kind("escalated_on_last_workday", B, 1, "逾期后第3个工作日下班前上报(合规)",
         "escalated late on the 3rd work day after falling overdue (compliant)", escalated_on_last_workday),
    Kind("presented_by_email", V, 3, "方案仅通过邮件介绍", "a proposal presented only by e-mail", presented_by_email),
    Kind("first_contact_by_legal", V, 3, "法务专员首次接触客户", "first contact made by legal counsel",
         first_contact_by_legal),
)
