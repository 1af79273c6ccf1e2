"""A response timed before its trigger (a complaint answered before it came in) is not judged and
is a data-quality finding on the answer's cell, found once however many rules compare the two
times; checked against the sample export's complaint file read plainly."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from sample_runs import check_sample

ROOT = Path(__file__).resolve().parents[1]
COMPLAINTS = ROOT / "sample_data" / "投诉.csv"
SECOND_RULE = """rules:
  - id: CPL-901
    title: {zh: "投诉须在24小时内首次响应", en: "A complaint is answered within 24 hours"}
    clause: "3.3.9"
    severity: low
    applies_to: complaints
    check:
      response: {if: received_at, then: first_response_at, of: fields, within: {hours: 24}}
"""


def answered_before_receipt() -> list[tuple[int, str, str, str]]:
    """(file line, complaint id, response time, receipt time) of each complaint answered before it came in."""
    with COMPLAINTS.open(encoding="utf-8-sig", newline="") as handle:
        return [(line, row["投诉编号"], row["首次响应时间"], row["受理时间"])
                for line, row in enumerate(csv.DictReader(handle), start=2)
                if row["首次响应时间"] and row["首次响应时间"] < row["受理时间"]]


def early_findings(results: dict) -> list[tuple[int, str, str, str]]:
    return [(d["row"], d["file"], d["column"], d["value"][:16]) for d in results["data_quality"]
            if d["kind"] == "answer_before_trigger"]


def test_an_answer_before_its_complaint_is_a_finding_and_not_judged(tmp_path):
    results = check_sample(tmp_path)
    broken = answered_before_receipt()
    assert len(broken) == 1
    assert early_findings(results) == [(line, "投诉.csv", "首次响应时间", answered) for line, _, answered, _ in broken]
    unjudged = {n["key"] for n in results["not_evaluable"] if n["rule_id"] == "CPL-001"}
    failed = {v["key"] for v in results["violations"] if v["rule_id"] == "CPL-001"}
    keys = {key for _, key, _, _ in broken}
    assert keys <= unjudged and not keys & failed


def test_two_rules_on_the_same_times_give_one_finding(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "service" / "second-response.yaml").write_text(SECOND_RULE, encoding="utf-8")
    results = check_sample(tmp_path / "out", "--rules", str(rules))
    unjudged = {n["key"] for n in results["not_evaluable"] if n["rule_id"] == "CPL-901"}
    assert unjudged == {key for _, key, _, _ in answered_before_receipt()}
    assert len(early_findings(results)) == 1
