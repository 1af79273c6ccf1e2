"""`order`: if `then` occurs, `first` occurred strictly earlier (first against first); with
`since_last`, that `first` also came after the last `since_last` at or before the first `then`."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import (NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, any_times, case_log, judged, times_of,
                     untrusted)
from .worlds import MAIN_STEPS, OTHER_STEP, TIES, pairs, step_sets

EXAMPLES = 150


@st.composite
def _specs(draw) -> dict:
    first, then = draw(pairs())
    since = draw(st.sampled_from([None, None, *MAIN_STEPS, OTHER_STEP]))
    ties = draw(TIES)
    return {"first": draw(step_sets(then, first)), "then": draw(step_sets(first, then)),
            **({"since_last": since} if since else {}), **({"ties": ties} if ties else {})}


SPECS = _specs()


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log, spec["first"], spec["then"], spec.get("since_last")):
        return NOT_EVALUABLE_RESULT
    then = any_times(log, spec["then"])
    if not then:
        return NOT_ACTIVATED
    signed = min(then)
    since = [t for t in times_of(log, spec.get("since_last", "")) if t <= signed]
    before = (lambda t: t <= signed) if spec.get("ties") == "in_order" else (lambda t: t < signed)
    return judged(not any(before(t) and (not since or t > max(since)) for t in any_times(log, spec["first"])))
