"""When each step of each deal happened, and who did it: a clean, policy-abiding history."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .state import CHANNELS, Prospecting, Sample
from .vocab import CHANNELS as STEP_CHANNELS
from .workdays import DAY, WorkCalendar

WORK_START, LAST_START = 9 * 60, 18 * 60   # first steps of a day begin between 09:00 and 18:00
SAME_DAY_PAUSE = (10, 60)                  # minutes between two steps on one day
OPEN_DEALS_WINDOW = 80                     # open deals were last touched in the final months
REVIEW_GAP_SHARE = (0.25, 0.5, 0.25)       # reviewed the same day, one or two work days later
LEGAL_REVIEW_SHARE = 0.3
LEGAL_ARCHIVE_SHARE = 0.5
AMENDED_SHARE = 0.12                       # signed contracts later amended or supplemented
PAID_SHARE = 0.75                          # paid in full by now; the rest fell overdue
RESEARCHED_SHARE = 0.7                     # every account was screened; most were researched first
SCREENING_LEAD = 30                        # minutes at least between screening and the first deal


def schedule(sample: Sample, rng: np.random.Generator) -> None:
    n, cal = sample.deals, sample.cal
    reach = _reach(sample, rng)
    present = _present(sample, reach, rng)
    offset, core_end = _offsets(present, rng)
    lost = sample.in_stage("lost")
    closing = core_end + rng.integers(1, 11, size=n)
    end = np.where(lost, closing, core_end)
    start = _starts(sample, end, rng)
    pos = np.minimum(start[:, None] + offset, cal.count - 1)
    present[:, S.AFTER_ARCHIVE] &= (start[:, None] + offset[:, S.AFTER_ARCHIVE]) < cal.count
    _archive_by_deadline(cal, present, pos)
    sample.present[:], sample.t[:] = present, cal.workdays[pos] * DAY + _minutes(present, pos, rng)
    sample.created[:] = sample.t[:, S.CONTACT] - rng.integers(5, 61, size=n)
    won = present[:, S.SIGN]
    sample.closed[won] = sample.t[won, S.SIGN]
    sample.closed[lost] = cal.at(start[lost] + closing[lost], rng.integers(WORK_START, LAST_START + 1, lost.sum()))
    _assign_actors(sample, rng)
    _assign_channels(sample, rng)
    for slot, kind in S.APPROVAL_SLOTS.items():
        sample.approval_type[:, slot] = S.APPROVAL_TYPES.index(kind)
    sample.approved[:, S.CONTRACT_NO] = False


def prospect(sample: Sample, rng: np.random.Generator) -> None:
    """Market research and screening of each account ahead of its first deal."""
    cal, customers = sample.cal, sample.customers
    first = rng.integers(0, cal.count, size=customers.count)
    seen = np.full(customers.count, cal.count, dtype=np.int64)
    np.minimum.at(seen, sample.customer, cal.position(sample.created))
    first = np.where(seen < cal.count, seen, first)
    research = np.maximum(0, first - rng.integers(8, 31, size=customers.count))
    screening = np.minimum(research + rng.integers(1, 6, size=customers.count), cal.count - 1)
    researched = rng.random(customers.count) < RESEARCHED_SHARE
    who = np.concatenate([np.flatnonzero(researched), np.arange(customers.count)])
    pos = np.concatenate([research[researched], screening])
    research_step, screening_step = (sample.spec.steps.index(s) for s in ("market_research", "customer_screening"))
    steps = np.repeat([research_step, screening_step], [researched.sum(), customers.count])
    t = cal.at(pos, rng.integers(WORK_START, LAST_START + 1, size=pos.size))
    # Screening comes before the account's first deal is opened, even for deals of the year's first days.
    opened = np.full(customers.count, np.iinfo(np.int64).max)
    np.minimum.at(opened, sample.customer, sample.created)
    t = np.where(steps == screening_step, np.minimum(t, opened[who] - SCREENING_LEAD), t)
    research_channels = [CHANNELS.index(c) for c in STEP_CHANNELS["market_research"]]
    channel = np.where(steps == screening_step, CHANNELS.index("system"), rng.choice(research_channels, size=pos.size))
    sample.prospecting = Prospecting(who, steps, sample.roster.holder(customers.seat[who], t), t, channel)


def _reach(sample: Sample, rng: np.random.Generator) -> np.ndarray:
    by_stage = np.array([S.REACH.get(stage, 0) for stage in S.STAGES])
    reach = by_stage[sample.stage]
    lost = reach == 0
    reach[lost] = rng.choice(S.LOST_REACH, size=lost.sum(), p=S.LOST_REACH_SHARE)
    return reach


def _present(sample: Sample, reach: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = reach.size
    present = np.zeros((n, S.COUNT), dtype=bool)
    negotiations = rng.choice([1, 2, 3], size=n, p=[0.5, 0.35, 0.15])
    won, chance = reach == 6, rng.random((n, 7))
    contract = reach >= 5
    present[:, S.CONTACT] = True
    present[:, S.NEEDS] = reach >= 2
    present[:, S.PROPOSAL] = present[:, S.PRESENT] = reach >= 3
    for k, slot in enumerate(S.NEGOTIATIONS):
        present[:, slot] = (reach >= 4) & (negotiations > k)
    present[:, S.DISCOUNT_OK] = contract & (sample.discount >= sample.spec.discount_from)
    present[:, S.CREDIT] = present[:, S.DRAFT] = present[:, S.REVIEW] = contract
    present[:, S.FINANCE] = present[:, S.LEGAL] = contract
    present[:, S.TERMS_OK] = contract & sample.nonstandard_terms()
    present[:, S.SEAL_OK] = won
    present[:, S.CONTRACT_NO] = won & (chance[:, 0] < 0.08)
    present[:, S.CONTRACT_OK] = won | (sample.in_stage("contract") & (chance[:, 1] < 0.4))
    present[:, S.SIGN] = present[:, S.ARCHIVE] = won
    present[:, S.FOLLOWUP1] = won
    present[:, S.FOLLOWUP2] = present[:, S.FOLLOWUP1] & (chance[:, 3] < 0.35)
    present[:, S.PAID] = won & (chance[:, 4] < PAID_SHARE)
    present[:, S.VISIT] = won & (chance[:, 5] < 0.6)
    present[:, S.AMEND] = present[:, S.AMEND_REVIEW] = won & (chance[:, 6] < AMENDED_SHARE)
    present[:, S.OVERDUE] = present[:, S.ESCALATE] = won & ~present[:, S.PAID]
    return present


def _offsets(present: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Work days from the first contact to each slot, and to the last slot before payment."""
    n = present.shape[0]
    offset = np.zeros((n, S.COUNT), dtype=np.int64)
    last = core_last = np.zeros(n, dtype=np.int64)
    for slot in range(S.SCHEDULED):
        low, high = S.GAP[slot]
        gap = rng.integers(low, high + 1, size=n)
        if slot == S.REVIEW:
            gap = rng.choice(3, size=n, p=REVIEW_GAP_SHARE)
        if slot == S.CONTRACT_OK:
            reworked = rng.integers(S.AFTER_REJECTION[0], S.AFTER_REJECTION[1] + 1, n)
            gap = np.where(present[:, S.CONTRACT_NO], reworked, gap)
        offset[:, slot] = last + gap
        last = np.where(present[:, slot], offset[:, slot], last)
        if slot not in S.AFTER_ARCHIVE:
            core_last = last
    return offset, core_last


def _starts(sample: Sample, end: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    days = sample.cal.count
    closed = sample.in_stage("won", "lost")
    anywhere = (rng.random(end.size) * np.maximum(days - end, 1)).astype(np.int64)
    recent = rng.integers(days - OPEN_DEALS_WINDOW, days, size=end.size)
    return np.where(closed, anywhere, np.maximum(0, recent - end))


def _archive_by_deadline(cal: WorkCalendar, present: np.ndarray, pos: np.ndarray) -> None:
    """Around long holidays the next work day is too far off, so the contract is archived on signing day."""
    signed = present[:, S.SIGN]
    far = (cal.workdays[pos[:, S.ARCHIVE]] - cal.workdays[pos[:, S.SIGN]]) > S.ARCHIVE_MAX_CALENDAR_DAYS
    pos[signed & far, S.ARCHIVE] = pos[signed & far, S.SIGN]


def _minutes(present: np.ndarray, pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Clock times; a step on the same day as the previous one comes a little after it."""
    n = present.shape[0]
    minute = np.zeros((n, S.COUNT), dtype=np.int64)
    last_pos, last_minute = np.full(n, -1), np.zeros(n, dtype=np.int64)
    for slot in range(S.SCHEDULED):
        fresh = rng.integers(WORK_START, LAST_START + 1, size=n)
        later = last_minute + rng.integers(SAME_DAY_PAUSE[0], SAME_DAY_PAUSE[1] + 1, size=n)
        minute[:, slot] = np.where(pos[:, slot] == last_pos, later, fresh)
        last_pos = np.where(present[:, slot], pos[:, slot], last_pos)
        last_minute = np.where(present[:, slot], minute[:, slot], last_minute)
    return minute


def _assign_actors(sample: Sample, rng: np.random.Generator) -> None:
    n, roster = sample.deals, sample.roster
    actor = np.stack([roster.holder(sample.seat, sample.t[:, slot]) for slot in range(S.COUNT)], axis=1)
    legal = roster.legal[rng.integers(roster.legal.size, size=(n, 2))]
    by_legal = rng.random((n, 2)) < (LEGAL_REVIEW_SHARE, LEGAL_ARCHIVE_SHARE)
    actor[:, S.REVIEW] = np.where(by_legal[:, 0], legal[:, 0], roster.supervisor_of(sample.seat))
    actor[:, S.AMEND_REVIEW] = actor[:, S.REVIEW]
    actor[:, S.LEGAL] = legal[:, 1]
    actor[:, S.FINANCE] = roster.finance[rng.integers(roster.finance.size, size=n)]
    actor[:, S.ARCHIVE] = np.where(by_legal[:, 1], legal[:, 1], actor[:, S.ARCHIVE])
    actor[:, S.DISCOUNT_OK] = sample.discount_approver_for(np.arange(n))
    actor[:, S.CONTRACT_NO] = actor[:, S.CONTRACT_OK] = sample.approver_for(np.arange(n))
    actor[:, S.TERMS_OK] = roster.sales_manager
    actor[:, S.SEAL_OK] = sample.role_holder(sample.spec.seal_role, np.arange(n))
    sample.actor[:] = actor
    sample.recipient[:, S.ESCALATE] = roster.supervisor_of(sample.seat)


def _assign_channels(sample: Sample, rng: np.random.Generator) -> None:
    channel = np.full((sample.deals, S.COUNT), CHANNELS.index("system"), dtype=np.int8)
    for slot, step in ((slot, step) for slot, step in S.STEP.items() if slot < S.SCHEDULED):
        options = np.array([CHANNELS.index(c) for c in STEP_CHANNELS[step]])
        channel[:, slot] = options[rng.integers(options.size, size=sample.deals)]
    sample.channel[:] = channel
