"""`approval`: an approval of the type, by a role at or above the one the amount's tier
requires, precedes the first `before`; with `after`, it follows the first occurrence of each
of those steps; with `not_by`, it is not given by an actor of those steps in the case or by
the person those fields of the deal name."""
from __future__ import annotations

from hypothesis import strategies as st

from .common import NOT_ACTIVATED, NOT_EVALUABLE_RESULT, Result, World, case_log, judged, role_at, times_of, untrusted
from .worlds import MAIN_STEPS, OTHER_STEP

# More cases than most kinds: an approval that only just suffices needs several things to line up.
EXAMPLES = 200
NOT_BY = st.sampled_from([None, {"steps": ["contract_drafted"]}, {"fields": ["owner_id"]},
                          {"steps": ["contract_drafted", OTHER_STEP], "fields": ["owner_id"]}])
AFTER = st.sampled_from([None, ["contract_reviewed"], ["contract_drafted", OTHER_STEP]])


@st.composite
def _specs(draw) -> dict:
    spec = {"type": "contract", "before": draw(st.sampled_from(MAIN_STEPS)), "amount": "amount",
            "tiers": "params.contract_approval_tiers"}
    after, not_by = draw(AFTER), draw(NOT_BY)
    return {**spec, **({"after": after} if after else {}), **({"not_by": not_by} if not_by else {})}


SPECS = _specs()
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
    if untrusted(log, spec["before"], spec.get("after"), spec.get("not_by", {}).get("steps")):
        return NOT_EVALUABLE_RESULT
    before = times_of(log, spec["before"])
    if not before:
        return NOT_ACTIVATED
    amount = world.deals[case]["amount"]
    if amount is None:
        return NOT_EVALUABLE_RESULT
    need = world.levels[required_role(amount, world.params[spec["tiers"].removeprefix("params.")])]
    deadline = min(before)
    at_level = [a for a in world.approvals
                if a["case"] == case and a["type"] == spec["type"] and a["decision"] == "approved"
                and a["at"] is not None and a["at"] < deadline and _level(world, a) >= need]
    firsts = [min(times_of(log, step), default=None) for step in spec.get("after", [])]
    in_turn = [a for a in at_level if all(t is not None and t < a["at"] for t in firsts)]
    barred, unknown = _barred(spec.get("not_by", {}), case, log, world)
    allowed = [a for a in in_turn if a["approver"] not in barred]
    if allowed and unknown:
        return NOT_EVALUABLE_RESULT
    return judged(not allowed)


def looked_at(spec: dict, case: str, world: World) -> dict[str, list]:
    """The evidence of a violation: every approved sign-off of the type for the case, in time
    order (then by id), with who gave it (as linked: none for someone a given roster does not
    hold), the role they held then and when."""
    seen = sorted((a for a in world.approvals if a["case"] == case and a["type"] == spec["type"]
                   and a["decision"] == "approved" and a["at"] is not None), key=lambda a: (a["at"], a["id"]))
    return {"approvers": [a["approver"] for a in seen],
            "approver_roles": [role_at(world, a["approver"], a["at"]) for a in seen],
            "approved_at": [a["at"].isoformat() for a in seen]}


def _level(world: World, approval: dict) -> int:
    role = role_at(world, approval["approver"], approval["at"])
    return -1 if role is None else world.levels[role]


def _barred(not_by: dict, case: str, log: list[dict], world: World) -> tuple[set[str], bool]:
    """Who may not approve the case, and whether one of them is not known."""
    people = [e["actor"] for e in log if e["step"] in not_by.get("steps", [])]
    for field in not_by.get("fields", []):
        value = world.deals[case][field]
        people.append(value if value is not None and (not world.roster or value in world.roster) else None)
    return {p for p in people if p is not None}, None in people
