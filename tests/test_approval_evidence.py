"""The approval kind's evidence lists the approvals it looked at (who, the role then, when),
as the plain reference in tests/reference/approval.py lists them, on the random worlds of the
agreement test; and the finding carries them into results.json."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from reference import approval, common
from reference.worlds import datasets
from test_kinds_reference import CALENDAR, LEVELS, PARAMS, STEPS, engine_frames, generated_rule, project  # noqa: F401

LISTS = ("approvers", "approver_roles", "approved_at")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(case=datasets(), spec=approval.SPECS, params=approval.PARAMS)
def test_a_violation_lists_the_approvals_the_reference_lists(project, case, spec, params):  # noqa: F811
    data, as_of = case
    frame, _ = engine_frames(generated_rule("approval", spec, None), data, as_of, params, project)
    world = common.read_world(data, as_of, {**PARAMS, **params}, CALENDAR, STEPS, LEVELS)
    for key, row in frame[frame["outcome"] == "violation"].iterrows():
        got = {name: row[f"ev:value:{name}"] for name in LISTS}
        assert got == approval.looked_at(spec, str(key), world), key
    assert frame.loc[frame["outcome"] == "pass", "ev:value:approvers"].isna().all()


def test_results_name_each_approval_of_a_finding(tmp_path):
    assert main(["check", "--out", str(tmp_path), "--lang", "en"]) == 0
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    found = [v["evidence"] for v in results["violations"] if v["rule_id"] == "APPR-001"]
    assert found and all(len({len(e[name]) for name in LISTS}) == 1 for e in found)
    staff = {e for v in results["violations"] for e in v["evidence"].get("approvers", []) if e}
    assert staff and all(person.startswith("E") for person in staff)
    assert any(e["approvers"] == [] for e in found)    # a contract signed with no approval at all
