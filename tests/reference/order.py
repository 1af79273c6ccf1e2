"""`order`: if `then` occurs, `first` occurred strictly earlier (first against first)."""
from __future__ import annotations

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, times_of, untrusted
from .worlds import pairs

EXAMPLES = 100
SPECS = pairs().map(lambda p: {"first": p[0], "then": p[1]})


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    then = times_of(log, spec["then"])
    if not then:
        return NOT_ACTIVATED
    first = times_of(log, spec["first"])
    return judged(not first or not min(first) < min(then))
