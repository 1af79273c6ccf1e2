"""`approval`: an approval of the type, by a role at or above the one the amount's tier
requires, precedes the first `before`."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, role_at, times_of, untrusted
from .worlds import MAIN_STEPS

# More cases than most kinds: an approval that only just suffices needs several things to line up.
EXAMPLES = 160
SPECS = st.sampled_from(MAIN_STEPS).map(
    lambda s: {"type": "contract", "before": s, "amount": "amount", "tiers": "params.contract_approval_tiers"})
# The pack's tiers, or a matrix of two tiers whose boundary sits elsewhere.
PARAMS = st.sampled_from([{}, {"contract_approval_tiers": [{"up_to": 100000, "role": "sales_manager"},
                                                            {"role": "general_manager"}]}])


def required_role(amount: float, tiers: list[dict]) -> str:
    for tier in tiers:
        if "up_to" not in tier or amount <= tier["up_to"]:
            return tier["role"]
    raise AssertionError("the tiers end with a tier without up_to")


def evaluate(spec: dict, case: str, world: World) -> Result:
    log = case_log(world, case)
    if untrusted(log):
        return NOT_EVALUABLE_RESULT
    before = times_of(log, spec["before"])
    if not before:
        return NOT_ACTIVATED
    amount = world.deals[case]["amount"]
    if amount is None:
        return NOT_EVALUABLE_RESULT
    need = world.levels[required_role(amount, world.params[spec["tiers"].removeprefix("params.")])]
    deadline = min(before)
    for a in world.approvals:
        if (a["case"] == case and a["type"] == spec["type"] and a["decision"] == "approved"
                and a["at"] is not None and a["at"] < deadline):
            role = role_at(world, a["approver"], a["at"])
            if role is not None and world.levels[role] >= need:
                return judged(False)
    return judged(True)
