"""`reference`: a deal's owner_id is filled, names an employee, and (with `where`) that
employee meets the condition."""
from __future__ import annotations

import operator

from hypothesis import strategies as st

from .common import NOT_EVALUABLE_RESULT, Result, World, cmp, judged, k_or

EXAMPLES = 100
# The conditions drawn, each with its plain reading of the owner's roster entry.
WHERES = {
    'owner.role == "sales_rep"': lambda owner: cmp(owner["role"], operator.eq, "sales_rep"),
    'owner.role in ["sales_manager", "general_manager"] or owner.active_to is null':
        lambda owner: k_or(cmp(owner["role"], lambda a, b: a in b, ["sales_manager", "general_manager"]),
                           owner["valid_to"] is None),
}
SPECS = st.sampled_from([None, *WHERES]).map(lambda w: {"field": "owner_id", **({"where": w} if w else {})})


def evaluate(spec: dict, case: str, world: World) -> Result:
    owner = world.deals[case]["owner_id"]
    if owner is None:
        return judged(True)
    if not world.roster:             # no roster in the export: nothing to look the owner up in
        return NOT_EVALUABLE_RESULT
    if owner not in world.roster:
        return judged(True)
    if "where" not in spec:
        return judged(False)
    holds = WHERES[spec["where"]](world.roster[owner])
    return NOT_EVALUABLE_RESULT if holds is None else judged(not holds)
