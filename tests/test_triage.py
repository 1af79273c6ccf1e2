"""Waivers and baselines: exactly which violations are waived, new, persisting or resolved."""
from __future__ import annotations

import copy
import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.cli import main
from checker.problems import UserError
from checker.schema_check import packaged_schema
from checker.triage.baseline import apply_baseline, load_results, trend
from checker.triage.waivers import apply_waivers, load_waivers, waiver_problems

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "results_small.json"
CONTRACT = jsonschema.Draft202012Validator(packaged_schema("results"))
AS_OF = date(2025, 12, 31)


@pytest.fixture()
def results() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def rule_ids(results: dict[str, Any]) -> list[str]:
    return [r["id"] for r in results["rules"]]


def write_waivers(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + "".join(entries), encoding="utf-8")
    return path


def entry(rule: str, key: str, expires: str, reason: str = "agreed with legal", approved_by: str = "E001") -> str:
    return (f"  - rule: {rule}\n    key: {key}\n    reason: {reason}\n    approved_by: {approved_by}\n"
            f"    expires: {expires}\n")


def pairs(records: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["rule_id"], r["key"]) for r in records}


def test_a_holding_waiver_moves_its_violation_and_the_others_become_findings(results, tmp_path) -> None:
    v1, v2 = results["violations"][0], results["violations"][1]
    path = write_waivers(tmp_path, entry(v1["rule_id"], v1["key"], "2026-06-30"),
                         entry(v2["rule_id"], v2["key"], "2025-12-30"),
                         entry(v1["rule_id"], "NO-SUCH-KEY", "2026-06-30"))
    before = pairs(results["violations"])
    apply_waivers(results, load_waivers(path, "waivers.yaml", rule_ids(results)), AS_OF)

    assert pairs(results["waived"]) == {(v1["rule_id"], v1["key"])}
    assert pairs(results["violations"]) == before - {(v1["rule_id"], v1["key"])}
    assert results["waived"][0]["status"] == "waived"
    assert results["waived"][0]["waiver"] == {"rule_id": v1["rule_id"], "key": v1["key"], "reason": "agreed with legal",
                                              "approved_by": "E001", "expires": "2026-06-30", "file": "waivers.yaml",
                                              "line": 2}
    assert [(f["kind"], f["key"], f["line"]) for f in results["waiver_findings"]] == \
        [("expired", v2["key"], 7), ("unmatched", "NO-SUCH-KEY", 12)]
    assert results["summary"]["violations"] == len(before) - 1
    assert results["summary"]["waived"] == 1 and results["summary"]["waiver_findings"] == 2
    assert sum(results["summary"]["by_severity"].values()) == len(before) - 1
    assert {r["id"]: r["waived"] for r in results["rules"] if r["waived"]} == {v1["rule_id"]: 1}
    assert list(CONTRACT.iter_errors(results)) == []


def test_a_waiver_holds_through_its_expiry_day(results, tmp_path) -> None:
    v = results["violations"][0]
    path = write_waivers(tmp_path, entry(v["rule_id"], v["key"], "2025-12-31"))
    apply_waivers(results, load_waivers(path, "waivers.yaml", rule_ids(results)), AS_OF)
    assert pairs(results["waived"]) == {(v["rule_id"], v["key"])}
    assert results["waiver_findings"] == []


@pytest.mark.parametrize("text,expected", [
    (entry("PROC-005", "D1", "2026-01-01", reason='""'), ["waivers.yaml:4:13: waivers.0.reason"]),
    ("  - rule: PROC-005\n    key: D1\n    reason: ok\n    expires: 2026-01-01\n",
     ["waivers.yaml:2:5: waivers.0: 'approved_by' is a required property; add it"]),
    (entry("PROC-05", "D1", "2026-01-01"),
     ["waivers.yaml:2:11: waivers.0.rule: no rule 'PROC-05' (did you mean 'PROC-005'?); name a rule of the pack"]),
    (entry("PROC-005", "D1", "next week"), ["waivers.yaml:6:14: waivers.0.expires"]),
    (entry("PROC-005", "D1", '"2026-02-30"'), ["waivers.yaml:6:14: waivers.0.expires: '2026-02-30' is not a real day"]),
])
def test_an_incomplete_waiver_is_a_validation_error(results, tmp_path, text: str, expected: list[str]) -> None:
    path = write_waivers(tmp_path, text)
    problems = [str(p) for p in waiver_problems(path, "waivers.yaml", rule_ids(results))]
    assert [p[:len(e)] for p, e in zip(problems, expected)] == expected and len(problems) == len(expected)
    with pytest.raises(UserError):
        load_waivers(path, "waivers.yaml", rule_ids(results))


def test_a_baseline_marks_new_and_persisting_and_lists_the_resolved(results) -> None:
    baseline = copy.deepcopy(results)
    gone = baseline["violations"][0]
    now = copy.deepcopy(results)
    now["violations"] = now["violations"][1:]
    fresh = {**now["violations"][0], "fingerprint": "00000000000000ff", "key": "D2026-00001"}
    now["violations"].append(fresh)
    baseline["violations"] = [v for v in baseline["violations"] if v["key"] != fresh["key"]]

    apply_baseline(now, baseline)
    status = {(v["rule_id"], v["key"]): v["status"] for v in now["violations"]}
    assert {k for k, s in status.items() if s == "new"} == {(fresh["rule_id"], "D2026-00001")}
    assert {k for k, s in status.items() if s == "persisting"} == pairs(results["violations"][1:])
    assert [(r["fingerprint"], r["status"]) for r in now["resolved"]] == [(gone["fingerprint"], "resolved")]
    assert (now["summary"]["new"], now["summary"]["persisting"], now["summary"]["resolved"]) == \
        (1, len(results["violations"]) - 1, 1)
    assert list(CONTRACT.iter_errors(now)) == []


def test_a_waived_violation_is_not_resolved(results) -> None:
    baseline = copy.deepcopy(results)
    now = copy.deepcopy(results)
    waived = now["violations"].pop(0)
    now["waived"] = [{**waived, "status": "waived"}]
    apply_baseline(now, baseline)
    assert now["resolved"] == []
    assert {v["status"] for v in now["violations"]} == {"persisting"}


def test_the_trend_runs_oldest_first_and_ends_with_this_run(results) -> None:
    older = copy.deepcopy(results)
    older["run"]["as_of"] = "2025-11-30T23:59:59+08:00"
    older["summary"]["violations"] = 12
    oldest = copy.deepcopy(results)
    oldest["run"]["as_of"] = "2025-10-31T23:59:59+08:00"
    oldest["summary"]["violations"] = 20
    runs = trend(results, [older, oldest])
    assert [(r["as_of"][:10], r["violations"]) for r in runs] == \
        [("2025-10-31", 20), ("2025-11-30", 12), ("2025-12-31", 9)]
    assert runs[-1]["rules"]["PROC-005"] == 3


def test_a_baseline_that_is_no_results_file_is_refused(tmp_path) -> None:
    bad = tmp_path / "old.json"
    bad.write_text('{"violations": [', encoding="utf-8")
    with pytest.raises(UserError, match="not a results.json"):
        load_results(bad)
    bad.write_text('{"violations": []}', encoding="utf-8")
    with pytest.raises(UserError, match="required property"):
        load_results(bad)


# ---------------------------------------------------------------- end to end on the sample


@pytest.fixture()
def at_root(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)


def run(out: Path, *extra: str) -> dict[str, Any]:
    assert main(["check", "--out", str(out), *extra]) == 0
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(CONTRACT.iter_errors(data)) == []
    return data


def test_check_with_waivers_baseline_and_history(at_root, tmp_path) -> None:
    first = run(tmp_path / "first")
    target = first["violations"][0]
    waivers = write_waivers(tmp_path, entry(target["rule_id"], target["key"], "2026-06-30"),
                            entry(target["rule_id"], "D0000-00000", "2026-06-30"))
    history = tmp_path / "history"
    history.mkdir()
    (history / "2025-12.json").write_bytes((tmp_path / "first" / "results.json").read_bytes())
    second = run(tmp_path / "second", "--waivers", str(waivers), "--baseline", str(tmp_path / "first" / "results.json"),
                 "--history", str(history))
    assert pairs(second["waived"]) == {(target["rule_id"], target["key"])}
    assert {v["status"] for v in second["violations"]} == {"persisting"}
    assert second["resolved"] == []
    assert [(f["kind"], f["key"]) for f in second["waiver_findings"]] == [("unmatched", "D0000-00000")]
    assert [r["violations"] for r in second["trend"]] == [len(first["violations"]), len(first["violations"]) - 1]
    roles = {i["role"] for i in second["run"]["inputs"]}
    assert {"waivers", "baseline", "history"} <= roles
    html = (tmp_path / "second" / "report.html").read_text(encoding="utf-8")
    assert 'id="waived-table"' in html and 'data-kind="unmatched"' in html


def test_check_with_a_baseline_alone_marks_every_violation_persisting(at_root, tmp_path) -> None:
    first = run(tmp_path / "first")
    # An earlier run lacking its first violation: that one is new now, the rest persist.
    earlier = json.loads((tmp_path / "first" / "results.json").read_text(encoding="utf-8"))
    earlier["violations"] = earlier["violations"][1:]
    (tmp_path / "earlier.json").write_text(json.dumps(earlier, ensure_ascii=False), encoding="utf-8")
    second = run(tmp_path / "second", "--baseline", str(tmp_path / "earlier.json"))
    assert [v["status"] for v in second["violations"]] == ["new"] + ["persisting"] * (len(first["violations"]) - 1)
    assert (second["summary"]["new"], second["summary"]["persisting"]) == (1, len(first["violations"]) - 1)
    with (tmp_path / "second" / "violations.csv").open(encoding="utf-8-sig", newline="") as handle:
        statuses = [row["status"] for row in csv.DictReader(handle)]
    assert statuses == [v["status"] for v in second["violations"]]


def test_check_refuses_a_bad_waivers_file(at_root, tmp_path, capsys) -> None:
    waivers = write_waivers(tmp_path, "  - rule: APPR-001\n    key: D1\n    expires: 2026-06-30\n")
    assert main(["check", "--out", str(tmp_path / "out"), "--waivers", str(waivers)]) == 2
    err = capsys.readouterr().err
    assert "waivers.yaml:2:5: waivers.0: 'approved_by' is a required property; add it" in err
    assert "'reason' is a required property" in err
    assert not (tmp_path / "out").exists()


def test_validate_accepts_a_waivers_file(at_root, tmp_path, capsys) -> None:
    good = write_waivers(tmp_path, entry("APPR-001", "D2025-00018", "2026-06-30"))
    assert main(["validate", str(good)]) == 0
    bad = write_waivers(tmp_path, entry("APPR-001", "D2025-00018", "2026-06-30", approved_by='""'))
    assert main(["validate", str(bad)]) == 1
    assert "waivers.0.approved_by" in capsys.readouterr().out
