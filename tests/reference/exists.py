"""`exists`: each listed step occurs at least once."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, readable_times, untrusted
from .worlds import MAIN_STEPS, OTHER_STEP

EXAMPLES = 100
SPECS = st.tuples(st.lists(st.sampled_from(MAIN_STEPS), min_size=1, max_size=3, unique=True),
                  st.sampled_from([None, *MAIN_STEPS, OTHER_STEP])).map(
    lambda t: {"steps": t[0], **({"if": t[1]} if t[1] else {})})


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    missing = any(not readable_times(log, step) for step in spec["steps"])
    if missing and untrusted(log, spec["steps"], spec.get("if")):      # an unreadable event could be the missing step (or the `if`)
        return NOT_EVALUABLE_RESULT
    if "if" in spec and not readable_times(log, spec["if"]):
        return NOT_ACTIVATED
    return judged(missing)
