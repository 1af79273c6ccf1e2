"""What-if and the audit period on the command line: `--param NAME=VALUE` changes exactly the
findings that the value decides, `--from/--to` sets the period the period-based kinds judge,
and results.json records both; mistakes in either are usage errors with a clear message.

Runs on the neutral test pack with a small export written here, so the expected findings
can be read off the rows; the approval matrix is changed on the shipped sample, against its
plain reference reading."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from sample_runs import check_sample
from test_sample_generator import SHIPPED, read_expected, read_export, reference_violations

PACK = Path(__file__).resolve().parent / "pack"
RULES = """rules:
  - id: CPL-001
    title: {zh: 投诉须在规定天数内处理完毕, en: A complaint is resolved within the set number of days}
    clause: "3.3.9"
    severity: medium
    applies_to: complaints
    check: {assert: "coalesce(resolved_at, as_of) - received_at <= days(params.complaint_resolution_days)"}
  - id: PLAN-001
    title: {zh: 每月开始前提交月度计划, en: Each month's plan comes before the month}
    clause: "2.2.1"
    severity: medium
    applies_to: employees
    check:
      periodic: {every: month, table: plans, by: employee_id, period: period, at: submitted_at, due: {at: start}}
"""
MAPPING = """as_of: "2025-04-30"
timezone: UTC
tables:
  employees: {file: employees.csv, columns: {id: id, role: role}}
  complaints: {file: complaints.csv, columns: {id: id, received_at: received_at, resolved_at: resolved_at}}
  plans: {file: plans.csv, columns: {id: id, employee_id: employee_id, period: period, submitted_at: submitted_at}}
"""
FILES = {
    "employees.csv": "id,role\nE1,sales_manager\n",
    # Resolved after 1, 3, 5 and 8 days (to the minute).
    "complaints.csv": "id,received_at,resolved_at\nK1,2025-03-01 09:00,2025-03-02 09:00\nK3,2025-03-01 09:00,"
                      "2025-03-04 09:00\nK5,2025-03-01 09:00,2025-03-06 09:00\nK8,2025-03-01 09:00,2025-03-09 09:00\n",
    # January to March on time, April late: May's is not yet due on 04-30.
    "plans.csv": "id,employee_id,period,submitted_at\nP1,E1,2025-01,2024-12-20 10:00\nP2,E1,2025-02,2025-01-20 10:00\n"
                 "P3,E1,2025-03,2025-02-20 10:00\nP4,E1,2025-04,2025-04-02 10:00\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(PACK, tmp_path / "pack")
    (tmp_path / "pack" / "rules.yaml").write_text(RULES, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    for name, text in FILES.items():
        (data / name).write_text(text, encoding="utf-8")
    return tmp_path


def check(folder: Path, *extra: str) -> tuple[int, dict]:
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    code = main(["check", "--rules", str(folder / "pack"), "--policy", str(folder / "pack" / "policy"),
                 "--data", str(folder / "data"), "--out", str(out), *extra])
    results = json.loads((out / "results.json").read_text("utf-8")) if code == 0 else {}
    return code, results


def violations(results: dict, rule: str) -> list[str]:
    return sorted(v["key"] for v in results["violations"] if v["rule_id"] == rule)


@pytest.mark.parametrize("days, late", [(2, ["K3", "K5", "K8"]), (5, ["K8"]), (8, [])])
def test_a_parameter_value_changes_exactly_the_findings_it_decides(project, days, late):
    code, results = check(project, "--param", f"complaint_resolution_days={days}")
    assert code == 0
    assert violations(results, "CPL-001") == late
    assert results["run"]["parameters"]["complaint_resolution_days"] == days
    assert results["run"]["parameters_given"] == ["complaint_resolution_days"]


def test_without_param_the_file_value_is_used_and_recorded(project):
    code, results = check(project)
    assert code == 0 and violations(results, "CPL-001") == ["K8"]       # params.yaml says 7
    assert results["run"]["parameters"]["complaint_resolution_days"] == 7
    assert results["run"]["parameters_given"] == []


def test_the_period_defaults_to_the_as_of_year_and_is_recorded(project):
    code, results = check(project)
    assert results["run"]["period"] == {"from": "2025-01-01", "to": "2025-04-30"}
    assert violations(results, "PLAN-001") == ["E1/2025-04"]
    assert next(r for r in results["rules"] if r["id"] == "PLAN-001")["in_scope"] == 4


def test_from_and_to_choose_the_periods_judged(project):
    code, results = check(project, "--from", "2025-02-01", "--to", "2025-03-31")
    assert code == 0
    assert results["run"]["period"] == {"from": "2025-02-01", "to": "2025-03-31"}
    assert violations(results, "PLAN-001") == []
    assert next(r for r in results["rules"] if r["id"] == "PLAN-001")["in_scope"] == 2


@pytest.mark.parametrize("args, message", [
    (["--param", "complaint_resolution_dys=3"], "--param: unknown parameter 'complaint_resolution_dys' "
                                                "(did you mean 'complaint_resolution_days'?)"),
    (["--param", "complaint_resolution_days"], "--param 'complaint_resolution_days': write NAME=VALUE"),
    (["--param", "complaint_resolution_days=soon"], "complaint_resolution_days is whole number"),
    (["--param", "complaint_resolution_days=2.5"], "complaint_resolution_days is whole number"),
    (["--param", "contract_approval_tiers=[{up_to: 1, rol: x}]"], "unknown key 'rol' (did you mean 'role'?)"),
    (["--param", "contract_approval_tiers=5"], "contract_approval_tiers is a list"),
    (["--from", "2025-03-01", "--to", "2025-02-01"], "the audit period ends (2025-02-01) before it starts (2025-03-01)"),
    (["--from", "2025-02-30"], "--from '2025-02-30' is not a date; use YYYY-MM-DD"),
], ids=["unknown", "no-value", "text-for-number", "fraction-for-whole", "unknown-item-key", "scalar-for-list",
        "backwards", "bad-date"])
def test_mistakes_are_usage_errors_that_say_what_to_do(project, capsys, args, message):
    code, _ = check(project, *args)
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert "Traceback" not in err and "internal error" not in err


# ------------------------------------------------------------------ the approval matrix on the shipped sample

# A matrix given on the command line; the same matrix as the sample's plain reference reads it,
# (upper limit, level) of each tier and the top tier's level; the amounts between the old and the
# new limit, whose findings it decides differently. The first lets the sales manager approve up to
# 2,000,000 (findings can only go); the second sends contracts above 500,000 to the general
# manager (findings can only come).
TIERS = {
    "manager up to 2,000,000": (
        "[{up_to: 200000, role: sales_supervisor}, {up_to: 2000000, role: sales_manager}, {role: general_manager}]",
        (((200_000, 2), (2_000_000, 3)), 4), (1_000_000, 2_000_000), "go"),
    "general manager above 500,000": (
        "[{up_to: 200000, role: sales_supervisor}, {up_to: 500000, role: sales_manager}, {role: general_manager}]",
        (((200_000, 2), (500_000, 3)), 4), (500_000, 1_000_000), "come"),
}


@pytest.mark.parametrize("name", TIERS)
def test_approval_tiers_change_exactly_the_findings_their_ground_truth_implies(tmp_path, name):
    text, tiers, (low, high), way = TIERS[name]
    results = check_sample(tmp_path, "--param", f"contract_approval_tiers={text}")
    found = {(v["rule_id"], v["key"]) for v in results["violations"]}
    assert found == set(reference_violations(SHIPPED, tiers))
    key = set(read_expected(SHIPPED))
    changed = (key - found) if way == "go" else (found - key)
    assert changed and changed == found ^ key, "the new matrix only adds, or only removes, findings"
    amounts = {d["id"]: float(d["amount"]) for d in read_export(SHIPPED)["deals"] if d["amount"].isdigit()}
    # The contract's approval and an amendment's new approval both read the matrix.
    assert all(rule in ("APPR-001", "AMD-003") and low < amounts[deal] <= high for rule, deal in changed), changed
    assert results["run"]["parameters"]["contract_approval_tiers"][1]["up_to"] == tiers[0][1][0]
