"""The rule reference is generated from the kinds' own docstrings and examples."""
from pathlib import Path

from checker.docs import render

ROOT = Path(__file__).resolve().parents[1]


def test_rule_reference_is_current():
    assert (ROOT / "docs" / "rules.md").read_text("utf-8") == render(), \
        "docs/rules.md is stale: run python -m checker.docs > docs/rules.md"


# -- clause coverage ---------------------------------------------------------------------------

import json  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402

from checker.cli import main  # noqa: E402

PACK = ROOT / "tests" / "pack"
POLICY = """chapter: {id: "9", title: {zh: 测试, en: Test}}
clauses:
  - {id: "9.1", title: {zh: 甲, en: "A <b>"}, text: {zh: 甲, en: A}, source: seed, automatable: true}
  - {id: "9.2", title: {zh: 乙, en: B}, text: {zh: 乙, en: B}, source: seed, automatable: false,
     reason: {zh: 无记录, en: no record}}
  - {id: "9.3", title: {zh: 丙, en: C}, text: {zh: 丙, en: C}, source: drafted, status: drafted, automatable: true}
  - {id: "9.4", title: {zh: 丁, en: D}, text: {zh: 丁, en: D}, source: drafted, status: adopted,
     adopted_by: 销售总监, adopted_on: "2025-06-30", automatable: true}
"""
RULE = """rules:
  - id: T-001
    title: {zh: 测试, en: test}
    clause: "9.3"
    clauses: [CITED]
    severity: low
    applies_to: deals
    check: {exists: {steps: [contract_signed]}}
"""


def coverage_of(tmp_path, capsys, cited: str, fmt: str = "json") -> tuple[int, str, str]:
    pack = tmp_path / "pack"
    if not pack.exists():
        shutil.copytree(PACK, pack)
        shutil.rmtree(pack / "policy")
        (pack / "policy").mkdir()
        (pack / "policy" / "test.yaml").write_text(POLICY, "utf-8")
    (pack / "rule.yaml").write_text(RULE.replace("CITED", cited), "utf-8")
    code = main(["coverage", "--rules", str(pack), "--policy", str(pack / "policy"), "--format", fmt])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_coverage_json_lists_every_clause_with_status_and_citing_rules(tmp_path, capsys):
    code, out, _ = coverage_of(tmp_path, capsys, '"9.4"')
    report = json.loads(out)
    assert code == 1  # 9.1 is automatable and no rule cites it
    assert [(c["id"], c["source"], c["status"], c["automatable"], c["rules"], c["coverage"])
            for c in report["clauses"]] == [
        ("9.1", "seed", "adopted", True, [], "uncovered"),
        ("9.2", "seed", "adopted", False, [], "manual"),
        ("9.3", "drafted", "drafted", True, ["T-001"], "automated"),
        ("9.4", "drafted", "adopted", True, ["T-001"], "automated"),
    ]
    assert report["clauses"][1]["reason"] == {"zh": "无记录", "en": "no record"}
    assert (report["clauses"][3]["adopted_by"], report["clauses"][3]["adopted_on"]) == ("销售总监", "2025-06-30")
    assert report["summary"] == {"clauses": 4, "automated": 2, "manual": 1, "uncovered": 1, "drafted": 1}


def test_coverage_exits_0_when_every_automatable_clause_has_a_rule(tmp_path, capsys):
    code, out, _ = coverage_of(tmp_path, capsys, '"9.1", "9.4"', "text")
    assert code == 0
    lines = out.splitlines()
    assert lines[3].split() == ["9.3", "automated", "drafted", "T-001", "C"]
    assert lines[-1] == "4 clauses: 3 automated, 1 manual, 0 uncovered; 1 drafted, not yet adopted " \
                        "(their findings rest on proposed text)"


def test_coverage_text_names_the_gaps(tmp_path, capsys):
    code, out, _ = coverage_of(tmp_path, capsys, '"9.4"', "text")
    assert code == 1
    assert out.splitlines()[-1] == "automatable but without a rule: 9.1"


def test_coverage_html_escapes_policy_text(tmp_path, capsys):
    code, out, _ = coverage_of(tmp_path, capsys, '"9.4"', "html")
    assert code == 1
    assert "A &lt;b&gt;" in out and "A <b>" not in out
    assert '<tr class="automated drafted">' in out and "drafted (not adopted)" in out
    assert "adopted by 销售总监 on 2025-06-30" in out


@pytest.mark.parametrize("cited, message", [
    ('"9.9"', "unknown clause '9.9'"),
    ('"9.3"', "clause '9.3' is already the rule's clause; list only further clauses here"),
])
def test_every_cited_clause_is_checked(tmp_path, capsys, cited, message):
    code, _, err = coverage_of(tmp_path, capsys, cited)
    rule = tmp_path / "pack" / "rule.yaml"
    lines = rule.read_text("utf-8").splitlines()
    line = lines.index(f"    clauses: [{cited}]")
    col = lines[line].index(cited.strip('"')) + 1   # the clause id itself, inside its quotes
    assert code == 2 and err.startswith(f"{rule}:{line + 1}:{col}: {message}")


def test_shipped_pack_leaves_no_automatable_clause_without_a_rule(capsys):
    code = main(["coverage", "--rules", str(ROOT / "rules"), "--policy", str(ROOT / "policy"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in report["clauses"] if c["coverage"] == "uncovered"] == []
    assert code == 0 and len(report["clauses"]) >= 40
    assert all(c["status"] == "drafted" for c in report["clauses"] if c["source"] == "drafted")
