"""The signing of reviewed amendments (policy 3.3.13): an amended contract that went back through
review is approved again at its amount's level, then the amendment is signed, before the year ends.

They are added after every other step and case is drawn, from a random stream of their own, so
that adding them left the rest of the sample as it was."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .state import CHANNELS, Sample
from .vocab import CHANNELS as STEP_CHANNELS

WORK_START, LAST_START = 9 * 60, 17 * 60
APPROVAL_WORKDAYS = (1, 2)      # re-approved on one of the next work days after the review
SIGNING_PAUSE = (30, 120)       # minutes from the re-approval to the signing


def sign_amendments(sample: Sample, rng: np.random.Generator) -> None:
    s, cal = sample, sample.cal
    d = np.flatnonzero(s.has(S.AMEND) & s.has(S.AMEND_REVIEW))
    day = cal.position(s.t[d, S.AMEND_REVIEW]) + rng.integers(APPROVAL_WORKDAYS[0], APPROVAL_WORKDAYS[1] + 1, d.size)
    approved = cal.at(np.minimum(day, cal.count - 1), rng.integers(WORK_START, LAST_START + 1, d.size))
    signed = approved + rng.integers(SIGNING_PAUSE[0], SIGNING_PAUSE[1] + 1, d.size)
    options = np.array([CHANNELS.index(c) for c in STEP_CHANNELS["amendment_signed"]])
    channel = options[rng.integers(options.size, size=d.size)]
    # An amendment whose turn would come after the year's end is still awaiting approval.
    d, approved, signed, channel = (a[(day < cal.count) & (signed < cal.as_of)] for a in (d, approved, signed, channel))
    s.present[d, S.AMEND_OK] = s.present[d, S.AMEND_SIGN] = True
    s.t[d, S.AMEND_OK], s.t[d, S.AMEND_SIGN] = approved, signed
    s.actor[d, S.AMEND_OK] = s.approver_for(d)
    s.actor[d, S.AMEND_SIGN] = s.roster.holder(s.seat[d], signed)
    s.channel[d, S.AMEND_SIGN] = channel
