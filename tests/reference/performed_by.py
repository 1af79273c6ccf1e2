"""`performed_by`: every event of the step is done by someone holding one of the roles then."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, role_at, untrusted
from .worlds import MAIN_STEPS, ROLES

EXAMPLES = 120
SPECS = st.tuples(st.sampled_from(MAIN_STEPS), st.lists(st.sampled_from(ROLES), min_size=1, max_size=4, unique=True)) \
    .map(lambda t: {"step": t[0], "roles": t[1]})


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log, spec["step"]):
        return NOT_EVALUABLE_RESULT
    events = [e for e in log if e["step"] == spec["step"]]
    if not events:
        return NOT_ACTIVATED
    known = [e for e in events if e["actor"] is not None and e["actor"] in world.roster]
    if any(role_at(world, e["actor"], e["at"]) not in spec["roles"] for e in known):
        return judged(True)
    return NOT_EVALUABLE_RESULT if len(known) < len(events) else judged(False)
