"""`different_actors`: no actor of `first` is also an actor of `second`."""
from __future__ import annotations

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, untrusted
from .worlds import pairs

EXAMPLES = 100
SPECS = pairs().map(lambda p: {"first": p[0], "second": p[1]})


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    first = [e["actor"] for e in log if e["step"] == spec["first"]]
    second = [e["actor"] for e in log if e["step"] == spec["second"]]
    if not first or not second:
        return NOT_ACTIVATED
    if (set(first) & set(second)) - {None}:
        return judged(True)
    if None in first or None in second:
        return NOT_EVALUABLE_RESULT
    return judged(False)
