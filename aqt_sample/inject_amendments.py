"""Planted lapses of an amendment's signing (policy 3.3.13): signed before its review (AMD-002),
signed without a new approval or in the approval's minute (AMD-003), and, compliant, approved a
minute after the review and signed a minute after the approval.

These are planted last, on the amendments signed by amendments.py, so that adding them left the
records the other cases chose as they were. Few amended contracts are left that no other case
chose, so these take amended deals whatever else was planted on them: they change only the
amendment's approval and signing, which nothing else planted or checked reads. They avoid the
deals with a data defect (those are not evaluable) and amendments reviewed late (AMD-001's cases),
and each takes an amendment still as scheduled, so no deal is taken twice."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted, on_deals, with_defect
from .state import Sample

MINUTE = 1
REVIEW_GAP = 60     # minutes at least between the amendment and its review, for a signing in between


def _as_scheduled(s: Sample) -> np.ndarray:
    """Amendments reviewed in time, approved on a later work day and then signed, on deals
    without a data defect."""
    reviewed_in_time = s.t[:, S.AMEND_REVIEW] <= s.cal.deadline(s.t[:, S.AMEND], s.spec.review_workdays)
    return (s.has(S.AMEND_SIGN) & s.has(S.AMEND_OK) & s.has(S.AMEND_REVIEW) & reviewed_in_time & ~with_defect(s)
            & (s.t[:, S.AMEND_OK] > s.t[:, S.AMEND_REVIEW] + MINUTE) & (s.t[:, S.AMEND_SIGN] > s.t[:, S.AMEND_OK]))


def _take(s: Sample, rng: np.random.Generator, mask: np.ndarray, n: int) -> np.ndarray:
    free = np.flatnonzero(mask)
    return np.sort(rng.choice(free, size=min(n, free.size), replace=False))


def signed_before_review(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Approved and signed within the hour after the change, before the review came: the review
    itself is in time (AMD-001), the signing is not after it (AMD-002)."""
    d = _take(s, rng, _as_scheduled(s) & (s.t[:, S.AMEND_REVIEW] > s.t[:, S.AMEND] + REVIEW_GAP), n)
    s.retime(d, S.AMEND_OK, s.t[d, S.AMEND] + REVIEW_GAP // 3)
    s.retime(d, S.AMEND_SIGN, s.t[d, S.AMEND] + 2 * REVIEW_GAP // 3)
    return d, [on_deals("AMD-002", d)]


def signed_unapproved(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = _take(s, rng, _as_scheduled(s), n)
    s.present[d, S.AMEND_OK] = False
    return d, [on_deals("AMD-003", d)]


def approval_sign_tie(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Approved in the minute of the signing: a tie is not before."""
    d = _take(s, rng, _as_scheduled(s), n)
    s.retime(d, S.AMEND_OK, s.t[d, S.AMEND_SIGN])
    return d, [on_deals("AMD-003", d)]


def minute_after_minute(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """Approved a minute after the review, signed a minute after the approval: compliant."""
    d = _take(s, rng, _as_scheduled(s), n)
    s.retime(d, S.AMEND_OK, s.t[d, S.AMEND_REVIEW] + MINUTE)
    s.retime(d, S.AMEND_SIGN, s.t[d, S.AMEND_REVIEW] + 2 * MINUTE)
    return d, []


V, B = "violation", "boundary"
KINDS = (
    Kind("amendment_signed_before_review", V, 3, "变更文本未经重新审核即签署",
         "an amendment signed before its review", signed_before_review),
    Kind("amendment_signed_unapproved", V, 2, "变更文本未经重新审批即签署",
         "an amendment signed without being approved again", signed_unapproved),
    Kind("amendment_approval_sign_tie", V, 1, "变更审批与签署同一分钟",
         "an amendment approved in the same minute as signed", approval_sign_tie),
    Kind("amendment_signed_a_minute_after_approval", B, 1, "变更审核后一分钟审批、再一分钟签署(合规)",
         "an amendment approved a minute after its review and signed a minute later (compliant)",
         minute_after_minute),
)
