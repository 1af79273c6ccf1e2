"""The machine outputs: junit.xml case by case, and report files readable by others as the umask says."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from checker.report.junit import junit_xml
from checker.report.writers import write_atomic

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_small.json"


@pytest.fixture()
def results() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_junit_has_a_suite_per_rule_and_a_case_per_violation(results: dict[str, Any]) -> None:
    root = ET.fromstring(b"".join(junit_xml(results)))
    suites = {s.get("name").split()[0]: s for s in root.iter("testsuite")}
    assert list(suites) == [r["id"] for r in results["rules"]]
    for rule in results["rules"]:
        suite = suites[rule["id"]]
        keys = sorted(v["key"] for v in results["violations"] if v["rule_id"] == rule["id"])
        failing = sorted(c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None)
        assert failing == keys
        assert suite.get("failures") == str(len(keys))
        if not keys:
            cases = list(suite.iter("testcase"))
            assert len(cases) == 1 and cases[0].find("failure") is None and suite.get("tests") == "1"


def test_junit_failure_names_message_and_severity(results: dict[str, Any]) -> None:
    v = results["violations"][0]
    root = ET.fromstring(b"".join(junit_xml(results)))
    case = next(c for c in root.iter("testcase") if c.get("name") == v["key"]
                and c.get("classname").endswith(v["rule_id"]))
    failure = case.find("failure")
    assert failure.get("message") == v["message"]["en"]
    assert failure.get("type") == v["severity"]
    assert v["fingerprint"] in failure.text


def test_junit_waived_violation_is_skipped(results: dict[str, Any]) -> None:
    v = {**results["violations"][0], "status": "waived",
         "waiver": {"reason": "agreed with legal", "approved_by": "E001", "expires": "2026-06-30"}}
    results["waived"] = [v]
    results["violations"] = results["violations"][1:]
    root = ET.fromstring(b"".join(junit_xml(results)))
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    assert [(c.get("name"), c.find("skipped").get("message")) for c in skipped] == \
        [(v["key"], "waived by E001: agreed with legal")]


def test_junit_fails_each_stale_waiver(results: dict[str, Any]) -> None:
    results["waiver_findings"] = [{"kind": "expired", "rule_id": "PROC-005", "key": "D1", "file": "waivers.yaml",
                                   "line": 7, "message": {"zh": "过期", "en": "the waiver expired on 2025-01-31"}}]
    suite = [s for s in ET.fromstring(b"".join(junit_xml(results))).iter("testsuite") if s.get("name") == "waivers"]
    assert len(suite) == 1 and suite[0].get("failures") == "1"
    failure = suite[0].find("testcase/failure")
    assert (failure.get("type"), failure.get("message"), failure.text) == \
        ("expired", "the waiver expired on 2025-01-31", "waivers.yaml:7")


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_report_files_follow_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        path = write_atomic(tmp_path, "report.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode
    assert path.read_text(encoding="utf-8") == "<p>x</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
