"""Planted lapses around signing: a signed deal recorded as lost (PROC-009).

These are planted after every other case, so that adding them left the records the other cases
chose as they were."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .planting import Kind, Planted, on_deals, pick
from .state import Sample


def signed_then_lost(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    """A won deal's stage turned to lost; it closes when it was signed, as it did when won."""
    d = pick(s, rng, s.in_stage("won") & s.has(S.SIGN), n)
    s.stage[d] = S.STAGES.index("lost")
    return d, [on_deals("PROC-009", d)]


V = "violation"
KINDS = (
    Kind("signed_then_lost", V, 3, "已签订合同的商机记为输单", "a deal with a signed contract recorded as lost",
         signed_then_lost),
)
