"""Planted gaps in the roster: the organisation the policy lays down (2.1) that the employee list breaks."""
from __future__ import annotations

import numpy as np

from .planting import Kind, Planted
from .state import Expect, Sample


def supervisor_without_region(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    k = np.sort(rng.choice(s.roster.supervisors, size=min(n, s.roster.supervisors.size), replace=False))
    s.roster_text.append((k, "region", np.full(k.size, "", dtype=object)))
    return k, [Expect("ORG-002", "employees", k)]


KINDS = (
    Kind("supervisor_without_region", "violation", 1, "销售主管未登记分管区域", "a supervisor with no region on record",
         supervisor_without_region),
)
