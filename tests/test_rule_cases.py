"""`checker test` cases that assert a finding's details: `expect: [{key, detail, evidence}]`
compares what broke and the evidence items, each shown as the case wrote it; a case that names
only keys compares keys alone."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULE = """rules:
  - id: AMD-901
    title: {zh: 变更须重新审批, en: An amendment is approved again}
    clause: "3.3.13"
    severity: high
    applies_to: deals
    check:
      approval: {type: contract, before: amendment_signed, amount: amount, tiers: params.contract_approval_tiers,
                 after: [contract_amended]}
    tests:
      - name: details
        data:
          employees: [{id: S1, role: sales_supervisor, active_from: "2020-01-01"}]
          deals: [{id: D1, amount: 50000}, {id: D2}]
          events:
            - {id: A1, deal_id: D1, step: contract_amended, at: "2025-05-01 10:00"}
            - {id: A2, deal_id: D1, step: amendment_signed, at: "2025-05-03 10:00"}
          approvals:
            - {id: P1, deal_id: D1, type: contract, approver_id: S1, decision: approved, at: "2025-03-01 10:00"}
        expect: [EXPECT]
"""


def _run(tmp_path: Path, capsys, expect: str) -> tuple[int, str]:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    case = rules / "case.yaml"
    case.write_text(RULE.replace("EXPECT", expect), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        code = main(["test", "--rules", str(rules), str(case)])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("expect", [
    "D1",
    "{key: D1}",
    "{key: D1, detail: not_after}",
    '{key: D1, evidence: {amount: 50000.0, required_role: sales_supervisor, amendment_signed.first_at: "2025-05-03 10:00",'
    ' contract_amended.first_at: "2025-05-01 10:00"}}',
])
def test_the_details_a_case_names_are_the_findings(tmp_path, capsys, expect):
    code, out = _run(tmp_path, capsys, expect)
    assert (code, out.splitlines()[-1]) == (0, "1 passed, 0 failed"), out


@pytest.mark.parametrize("expect, expected, got", [
    ("{key: D1, detail: missing}", "'D1 {detail: missing}'", "'D1 {detail: not_after}'"),
    ("{key: D1, evidence: {amount: 60000}}", "'D1 {evidence.amount: 60000}'", "'D1 {evidence.amount: 50000}'"),
    ('{key: D1, evidence: {amendment_signed.first_at: "2025-05-03 10:01"}}',
     "'D1 {evidence.amendment_signed.first_at: 2025-05-03 10:01}'",
     "'D1 {evidence.amendment_signed.first_at: 2025-05-03 10:00}'"),
    ("{key: D1, evidence: {approver: S1}}", "'D1 {evidence.approver: S1}'",
     "'D1 {evidence.approver: <no such evidence>}'"),
    ("{key: D2, detail: not_after}", "'D2 {detail: not_after}'", "'D1'"),
])
def test_a_wrong_detail_fails_the_case_and_shows_both(tmp_path, capsys, expect, expected, got):
    code, out = _run(tmp_path, capsys, expect)
    assert code == 1
    assert f"expected [{expected}], got [{got}]" in out, out


def test_a_misspelt_detail_key_is_a_validation_error(tmp_path, capsys):
    code, out = _run(tmp_path, capsys, "{key: D1, detial: not_after}")
    assert code == 2
    assert "case.yaml:" in out and "detial" in out and "'detail'" in out, out
