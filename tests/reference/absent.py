"""`absent`: none of the listed steps occurs."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_EVALUABLE_RESULT, Result, World, case_log, judged, readable_times, untrusted
from .worlds import MAIN_STEPS, OTHER_STEP

EXAMPLES = 100
SPECS = st.lists(st.sampled_from(MAIN_STEPS + [OTHER_STEP]), min_size=1, max_size=3, unique=True).map(
    lambda s: {"steps": s})


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    found = any(readable_times(log, step) for step in spec["steps"])
    if not found and untrusted(log, spec["steps"]):    # an unreadable event could be a forbidden step
        return NOT_EVALUABLE_RESULT
    return judged(found)
