"""`different_actors`: no actor of `first` is also an actor of `second`."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, untrusted
from .worlds import pairs

EXAMPLES = 100
_WHICH = st.sampled_from([None, "every", "first", "last"])
SPECS = st.tuples(pairs(), _WHICH, _WHICH).map(lambda t: {
    "first": t[0][0], "second": t[0][1],
    **({"occurrences": {k: v for k, v in (("first", t[1]), ("second", t[2])) if v}} if t[1] or t[2] else {})})


def _chosen(log: list[dict], step: str, which: str) -> list[str | None]:
    """The actors of the step's events that count: all, or of the first or last by time and event key."""
    events = sorted((e for e in log if e["step"] == step), key=lambda e: (e["at"], e["id"]))
    if which != "every" and events:
        events = [events[0] if which == "first" else events[-1]]
    return [e["actor"] for e in events]


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log, spec["first"], spec["second"]):
        return NOT_EVALUABLE_RESULT
    which = spec.get("occurrences", {})
    first = _chosen(log, spec["first"], which.get("first", "every"))
    second = _chosen(log, spec["second"], which.get("second", "every"))
    if not first or not second:
        return NOT_ACTIVATED
    if (set(first) & set(second)) - {None}:
        return judged(True)
    if None in first or None in second:
        return NOT_EVALUABLE_RESULT
    return judged(False)
