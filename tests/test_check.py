"""`checker check` end to end on the shipped sample export: ground truth, determinism,
exit codes, data-quality handling and the report files."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main
from checker.schema_check import packaged_schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    assert main(["check", "--out", str(out)]) == 0
    return out


RESULTS_CONTRACT = jsonschema.Draft202012Validator(packaged_schema("results"))


def _results(out: Path) -> dict:
    """A run's results.json, which must follow the published contract, whatever the run."""
    results = json.loads((out / "results.json").read_text("utf-8"))
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in RESULTS_CONTRACT.iter_errors(results)]
    assert not problems, problems[:5]
    return results


def test_finds_exactly_the_injected_violations(sample_run):
    with (SAMPLE / "expected_violations.csv").open(encoding="utf-8") as handle:
        expected = {(r["rule_id"], r["key"]) for r in csv.DictReader(handle)}
    found = {(v["rule_id"], v["key"]) for v in _results(sample_run)["violations"]}
    assert found - expected == set(), "false positives"
    assert expected - found == set(), "missed violations"
    rule_ids = {r["id"] for r in _results(sample_run)["rules"]}
    assert {rule for rule, _ in expected} == rule_ids, "every rule has injected violations"


def test_writes_the_four_reports(sample_run):
    assert sorted(p.name for p in sample_run.iterdir()) == ["junit.xml", "report.html", "results.json", "violations.csv"]


def test_results_are_byte_identical_across_runs(sample_run, tmp_path):
    assert main(["check", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "results.json").read_bytes() == (sample_run / "results.json").read_bytes()
    assert (tmp_path / "violations.csv").read_bytes() == (sample_run / "violations.csv").read_bytes()


def test_run_records_every_input_with_its_hash(sample_run):
    inputs = _results(sample_run)["run"]["inputs"]
    paths = {i["path"] for i in inputs}
    assert "sample_data/商机.csv" in paths and "rules/params.yaml" in paths and "policy/03-sales-process.yaml" in paths
    assert all(len(i["sha256"]) == 64 for i in inputs)
    # The mapping is the reading of the export, not part of it.
    assert [(i["path"], i["role"]) for i in inputs if i["path"].endswith("mapping.yaml")] == \
        [("sample_data/mapping.yaml", "mapping")]
    assert all(i["role"] == "data" for i in inputs if i["path"].endswith(".csv"))


def test_misspelt_step_is_a_finding_and_its_deal_not_evaluable(sample_run):
    results = _results(sample_run)
    misspelt = [d for d in results["data_quality"] if d["kind"] == "unknown_value" and d["column"] == "步骤"]
    assert misspelt, "the sample carries misspelt steps"
    for finding in misspelt:
        assert finding["file"] == "销售活动.csv" and finding["row"] >= 2 and "unknown step" in finding["message"]
    deals_with_bad_steps = _deals_of_event_rows(r["row"] for r in misspelt)
    not_evaluable = {(n["rule_id"], n["key"]) for n in results["not_evaluable"]}
    for deal in deals_with_bad_steps:
        assert ("PROC-005", deal) in not_evaluable
        assert all(v["key"] != deal for v in results["violations"] if v["table"] == "deals")


def _deals_of_event_rows(rows) -> set[str]:
    wanted = set(rows)
    with (SAMPLE / "销售活动.csv").open(encoding="utf-8-sig") as handle:
        return {r["商机编号"] for i, r in enumerate(csv.DictReader(handle), start=2) if i in wanted}


def test_rule_figures_add_up(sample_run):
    for rule in _results(sample_run)["rules"]:
        assert rule["passed"] + rule["violations"] + rule["not_evaluable"] == rule["in_scope"]
        assert rule["activated"] <= rule["in_scope"]


def test_fail_on_severity_sets_exit_code(tmp_path):
    assert main(["check", "--out", str(tmp_path), "--fail-on", "critical"]) == 1
    assert main(["check", "--out", str(tmp_path), "--fail-on", "high", "--rules", str(_only_rule(tmp_path, "PROC-008"))]) == 0


def _only_rule(tmp_path: Path, rule_id: str) -> Path:
    rules = tmp_path / "rules-one"
    shutil.copytree(ROOT / "rules", rules)
    for folder in [p for p in rules.iterdir() if p.is_dir()]:
        shutil.rmtree(folder)
    source = (ROOT / "rules/process/contract.yaml").read_text("utf-8")
    block = source[source.index(f"  - id: {rule_id}"):]
    block = block[:block.index("\n  - id: ", 1)] if "\n  - id: " in block[1:] else block
    (rules / "one.yaml").write_text("rules:\n" + block, "utf-8")
    return rules


def test_invalid_rules_exit_2_with_location(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "process" / "contract.yaml"
    path.write_text(path.read_text("utf-8").replace("then: contract_signed,", "then: contract_sighned,", 1), "utf-8")
    assert main(["check", "--rules", str(rules), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "unknown step 'contract_sighned' (did you mean 'contract_signed'?)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_missing_data_file_exits_3(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "商机.csv").unlink()
    assert main(["check", "--data", str(data), "--out", str(tmp_path / "out")]) == 3
    assert "商机.csv: file not found" in capsys.readouterr().err


def test_undecodable_data_file_exits_3(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    (data / "商机.csv").write_bytes(b"\xff\xfe\x00garbage\x81\x82")
    assert main(["check", "--data", str(data), "--out", str(tmp_path / "out")]) == 3
    assert "Traceback" not in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path):
    assert main(["check", "--lang", "fr", "--out", str(tmp_path)]) == 2   # not a language of the pack
    assert main(["check", "--as-of", "not-a-date", "--out", str(tmp_path)]) == 2


def test_hostile_cells_are_neutralised_in_csv(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    path = data / "员工.csv"
    lines = path.read_text("utf-8-sig").splitlines()
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    name_col = header.index("姓名")
    for row in rows:
        row[name_col] = "=HYPERLINK(\"http://x\")"
    path.write_text("\ufeff" + "\n".join([lines[0]] + [",".join(r) for r in rows]) + "\n", "utf-8")
    assert main(["check", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    with (tmp_path / "out" / "violations.csv").open(encoding="utf-8-sig") as handle:
        names = {r["owner_name"] for r in csv.DictReader(handle)}
    # A staffing count has no owner: its findings carry no name to neutralise.
    assert names and all(n.startswith("'=") for n in names if n)


def test_english_report(tmp_path):
    assert main(["check", "--out", str(tmp_path), "--lang", "en"]) == 0
    assert '<html lang="en"' in (tmp_path / "report.html").read_text("utf-8")


def test_missing_policy_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["check", "--policy", str(tmp_path / "nope"), "--out", str(tmp_path)]) == 2
    assert "policy folder" in capsys.readouterr().err


def _shuffled_copy(source: Path, target: Path, seed: int) -> None:
    """The export with the data rows of every CSV file in another order (header kept)."""
    import random

    shutil.copytree(source, target)
    rng = random.Random(seed)
    for path in target.glob("*.csv"):
        if path.name == "expected_violations.csv":
            continue
        header, *rows = path.read_text("utf-8-sig").splitlines(keepends=True)
        rng.shuffle(rows)
        path.write_text("\ufeff" + header + "".join(rows), encoding="utf-8")


def test_results_do_not_depend_on_row_order(sample_run, tmp_path):
    _shuffled_copy(SAMPLE, tmp_path / "data", seed=3)
    assert main(["check", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 0
    original, shuffled = _results(sample_run), _results(tmp_path / "out")
    for part in ("summary", "rules", "violations", "not_evaluable"):
        assert shuffled[part] == original[part], part
    # Findings name the rows as the file has them: the same findings, at the rows they moved to.
    without_rows = lambda findings: sorted(json.dumps({**f, "row": None}, sort_keys=True) for f in findings)  # noqa: E731
    assert without_rows(shuffled["data_quality"]) == without_rows(original["data_quality"])


def test_profile_lists_every_phase_on_stderr(tmp_path, capsys):
    assert main(["check", "--out", str(tmp_path), "--profile"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].split() == ["phase", "seconds", "peak", "MB"]
    phases = [line.rsplit(None, 2)[0] for line in lines[1:]]
    rules = [r["id"] for r in _results(tmp_path)["rules"]]
    assert phases == ["rules and mapping", "read", "map and coerce", "link keys", "views", "evaluate",
                      *[f"  rule {r}" for r in sorted(rules)], "results", "write reports", "  report.html", "  results.json",
                      "  violations.csv", "  junit.xml", "total"]


@pytest.mark.parametrize("evidence", [
    [{"at": "2025-01-01T10:00:00+08:00", "by": "E001"}, {}, {"by": None, "n": 3}],
    [{"note": "a}, {b"}, {"note": "}, {"}, {"note": "},{"}],   # the cut text inside values
    [{}], [{}, {}], [{"x": {"y": 1}}, {"x": [{}, {}]}], [],
])
def test_evidence_cells_equal_each_object_encoded_on_its_own(evidence):
    from checker.report.jsontext import compact, each_encoded
    assert each_encoded(evidence, sort_keys=True) == [compact(e, sort_keys=True) for e in evidence]
    assert [json.loads(text) for text in each_encoded(evidence)] == evidence
