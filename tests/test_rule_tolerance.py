"""A rule's `tolerance`: the least compliance rate at which the rule is met as a whole. A met
rule reports no violations (its failing records are tolerated); below it, every failing
record is a violation. Checked exactly, against a plain reference, on the sample and in
`checker validate` / `checker test`."""
from __future__ import annotations

import csv
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from checker.cli import main
from checker.engine import tolerance_met
from sample_runs import ROOT, check_sample

FUP = '    clause: "2.2.3.3"\n'


@pytest.mark.parametrize("passed, decided, tolerance, met", [
    (9, 10, 0.9, True),       # 9 >= 0.9 * 10, though 0.9 * 10 is 9.000000000000002 in floats
    (8, 10, 0.9, False),
    (1, 3, 0.3333, True),
    (2, 3, 0.6667, False),
    (0, 5, 0, True),
    (5, 5, 1, True),
    (4, 5, 1, False),
    (0, 0, 0.5, None),        # nothing decided: neither met nor failed
    (3, 4, None, None),       # no tolerance
])
def test_the_rate_is_compared_exactly(passed, decided, tolerance, met):
    assert tolerance_met(passed, decided, tolerance) is met


@given(st.integers(0, 10_000), st.integers(1, 10_000), st.integers(0, 10_000))
def test_tolerance_agrees_with_a_plain_rate_in_basis_points(passed, decided, basis_points):
    passed = min(passed, decided)
    assert tolerance_met(passed, decided, basis_points / 10_000) is \
        (Fraction(passed, decided) >= Fraction(basis_points, 10_000))


def _rules_with_fup_tolerance(tmp_path: Path, tolerance: str, param: str = "") -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    visits = rules / "organisation" / "visits.yaml"
    text = visits.read_text("utf-8")
    assert text.count(FUP) == 1
    visits.write_text(text.replace(FUP, f"{FUP}    tolerance: {tolerance}\n"), encoding="utf-8")
    if param:
        with (rules / "params.yaml").open("a", encoding="utf-8") as params:
            params.write(param)
    return rules


def _answer_key_keys(rule_id: str) -> list[str]:
    rows = csv.DictReader((ROOT / "sample_data" / "expected_violations.csv").open(encoding="utf-8"))
    return sorted(r["key"] for r in rows if r["rule_id"] == rule_id)


def _fup(results: dict) -> tuple[dict, list[str]]:
    summary = next(r for r in results["rules"] if r["id"] == "FUP-001")
    return summary, sorted(v["key"] for v in results["violations"] if v["rule_id"] == "FUP-001")


def test_a_rule_met_as_a_whole_tolerates_its_failing_records(tmp_path):
    """FUP-001 on the sample: the answer key's 8 customers of 120 not followed up, a rate of
    112 / 120 = 0.9333, reach a tolerance of 0.9 and not one of 0.95."""
    failing = _answer_key_keys("FUP-001")
    assert len(failing) == 8
    met = check_sample(tmp_path / "met", "--rules", str(_rules_with_fup_tolerance(tmp_path / "a", "0.9")))
    summary, keys = _fup(met)
    assert (summary["tolerance"], summary["met"], summary["tolerated"], summary["violations"], keys) == \
        (0.9, True, 8, 0, [])
    assert (summary["passed"], summary["compliance_rate"]) == (112, 0.9333)
    failed = check_sample(tmp_path / "failed", "--rules", str(_rules_with_fup_tolerance(tmp_path / "b", "0.95")))
    summary, keys = _fup(failed)
    assert (summary["tolerance"], summary["met"], summary["tolerated"], summary["violations"], keys) == \
        (0.95, False, 0, 8, failing)
    assert met["summary"]["violations"] == failed["summary"]["violations"] - 8


def test_a_tolerance_may_be_a_parameter_and_the_what_if_moves_it(tmp_path):
    param = ("customer_followup_rate:\n  value: 0.9\n"
             "  doc: {zh: 客户回访达标率, en: The share of customers followed up in time}\n  clause: \"2.2.3.3\"\n")
    rules = _rules_with_fup_tolerance(tmp_path, "params.customer_followup_rate", param)
    summary, keys = _fup(check_sample(tmp_path / "as-set", "--rules", str(rules)))
    assert (summary["tolerance"], summary["met"], keys) == (0.9, True, [])
    summary, keys = _fup(check_sample(tmp_path / "what-if", "--rules", str(rules),
                                      "--param", "customer_followup_rate=0.94"))
    assert (summary["tolerance"], summary["met"], keys) == (0.94, False, _answer_key_keys("FUP-001"))


def test_a_rule_without_tolerance_says_so(tmp_path):
    results = check_sample(tmp_path)
    assert all((r["tolerance"], r["met"], r["tolerated"]) == (None, None, 0) for r in results["rules"])


def _validate(tmp_path: Path, rules: Path, capsys) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        code = main(["validate", "--rules", str(rules)])
    return code, capsys.readouterr().out


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, row in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in row)


@pytest.mark.parametrize("tolerance, param, message", [
    ("1.5", "", "1.5 is greater than the maximum of 1"),
    ("params.customer_followup_rat", "", "unknown param 'customer_followup_rat' (did you mean 'customer_followup_days'?)"),
    ("params.customer_followup_days", "", "param 'customer_followup_days' is 90; a tolerance is a rate from 0 to 1"),
])
def test_a_bad_tolerance_is_reported_at_its_line(tmp_path, capsys, tolerance, param, message):
    rules = _rules_with_fup_tolerance(tmp_path, tolerance, param)
    code, out = _validate(tmp_path, rules, capsys)
    line = _line_of(rules / "organisation" / "visits.yaml", "tolerance:")
    assert code == 1
    assert f"visits.yaml:{line}:16: " in out and message in out, out


def test_checker_test_expects_the_violations_after_the_tolerance(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    case = """
  - id: FUP-901
    title: {zh: 回访达标率, en: Follow-up rate}
    clause: "2.2.3.3"
    tolerance: 0.5
    severity: low
    applies_to: customers
    check:
      recurrence: {step: customer_visit, via: customer_id, every: {days: 90}}
    tests:
      - name: one of two followed up reaches one half
        as_of: "2025-04-30"
        data:
          customers: [{id: C1}, {id: C2}]
          events: [{id: A1, customer_id: C1, step: customer_visit, channel: phone, at: "2025-02-01 10:00"}]
        expect: []
      - name: one of three falls below it, and both failures are violations
        as_of: "2025-04-30"
        data:
          customers: [{id: C1}, {id: C2}, {id: C3}]
          events: [{id: A1, customer_id: C1, step: customer_visit, channel: phone, at: "2025-02-01 10:00"}]
        expect: [C2, C3]
      - name: a wrong expectation fails
        as_of: "2025-04-30"
        data:
          customers: [{id: C1}, {id: C2}]
          events: [{id: A1, customer_id: C1, step: customer_visit, channel: phone, at: "2025-02-01 10:00"}]
        expect: [C2]
"""
    (rules / "organisation" / "rate.yaml").write_text("rules:" + case, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        code = main(["test", "--rules", str(rules), str(rules / "organisation" / "rate.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert "2 passed, 1 failed" in out, out
    assert "a wrong expectation fails" in out, out
