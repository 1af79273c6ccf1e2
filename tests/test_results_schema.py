"""results.json keeps its published contract: checker/schemas/results.schema.json."""
from __future__ import annotations

import copy
import fnmatch
import json
import tomllib
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from checker.cli import main
from checker.schema_check import packaged_schema
from synthetic_results import synthetic_results

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "results_small.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = packaged_schema("results")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def sample_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        assert main(["check", "--out", str(out)]) == 0
    return json.loads((out / "results.json").read_text("utf-8"))


@pytest.fixture()
def small() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text("utf-8"))


def errors(validator: jsonschema.Draft202012Validator, results: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(results)]


def test_a_real_run_on_the_sample_data_follows_the_contract(validator, sample_results) -> None:
    assert sample_results["violations"] and sample_results["not_evaluable"] and sample_results["data_quality"]
    assert errors(validator, sample_results) == []


def test_the_report_fixture_follows_the_contract(validator, small) -> None:
    assert errors(validator, small) == []


def test_the_synthetic_scale_results_follow_the_contract(validator) -> None:
    assert errors(validator, synthetic_results(300)) == []


def test_the_summary_counts_the_lists(sample_results) -> None:
    summary = sample_results["summary"]
    for name in ("violations", "not_evaluable", "data_quality", "waived"):
        assert summary[name] == len(sample_results[name]), name
    assert sum(summary["by_severity"].values()) == summary["violations"]
    assert summary["rules"] == len(sample_results["rules"])


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    *parents, last = path.split("/")

    def change(results: dict[str, Any]) -> None:
        target: Any = results
        for step in parents:
            target = target[int(step)] if step.isdigit() else target[step]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return change


@pytest.mark.parametrize("path,value", [
    ("schema_version", 2),
    ("violations/0/key", 117),
    ("violations/0/fingerprint", "f25dcf53824c7b8"),
    ("violations/0/fingerprint", "F25DCF53824C7B83"),
    ("violations/0/severity", "urgent"),
    ("violations/0/status", "done"),
    ("violations/0/message", "only one language"),
    ("violations/0/message", {"zh": "只有中文"}),
    ("violations/0/evidence", []),
    ("violations/0/owner_id", KeyError),
    ("violations/0/rule_id", "proc-6"),
    ("rules/0/compliance_rate", 1.5),
    ("rules/0/compliance_rate", "92%"),
    ("rules/0/in_scope", -1),
    ("rules/0/activated", KeyError),
    ("rules/0/violations", 2.5),
    ("not_evaluable/0/reason", KeyError),
    ("not_evaluable/0/key", None),
    ("data_quality/0/row", "17"),
    ("data_quality/0/message", KeyError),
    ("run/inputs/0/sha256", "abc"),
    ("run/inputs/0/role", KeyError),
    ("run/as_of", "31.12.2025"),
    ("run/tool_version", KeyError),
    ("summary/by_severity/info", KeyError),
    ("waived", {}),
    ("resolved", KeyError),
])
def test_the_contract_rejects_what_it_does_not_promise(validator, small, path: str, value: Any) -> None:
    _set(path, value)(small)
    assert errors(validator, small) != []


@pytest.mark.parametrize("path", ["new_section", "run/new_field", "summary/new_count", "rules/0/new_figure",
                                  "violations/0/new_detail", "not_evaluable/0/new_hint", "data_quality/0/new_hint"])
def test_fields_may_be_added_anywhere(validator, small, path: str) -> None:
    _set(path, "added")(small)
    assert errors(validator, small) == []


def test_waived_and_resolved_violations_keep_their_identity(validator, small) -> None:
    moved = copy.deepcopy(small["violations"][0])
    small.update(waived=[{**moved, "status": "waived"}], resolved=[{**moved, "status": "resolved"}])
    assert errors(validator, small) == []
    small["waived"][0].pop("fingerprint")
    assert errors(validator, small) != []


def test_the_schema_ships_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["checker"]
    assert any(fnmatch.fnmatch("schemas/results.schema.json", pattern) for pattern in patterns)
