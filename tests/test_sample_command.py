"""`checker sample` finds its generator among the installed `checker.samplers` entry points."""
from __future__ import annotations

import csv
import importlib.metadata
import json
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]


class FakeEntryPoint:
    def __init__(self, name: str, calls: list) -> None:
        self.name = name
        self._calls = calls

    def load(self):
        def generate(deals: int, seed: int, out: Path, rules: Path) -> str:
            self._calls.append((self.name, deals, seed, out, rules))
            return f"{deals} deals from {self.name}"
        return generate


@pytest.fixture
def installed(monkeypatch):
    """Replace the installed generators with fakes named as given; returns the calls they receive."""
    calls: list = []

    def install(*names: str) -> list:
        points = [FakeEntryPoint(name, calls) for name in names]
        monkeypatch.setattr(importlib.metadata, "entry_points",
                            lambda group: points if group == "checker.samplers" else [])
        return calls
    return install


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["sample", "--rules", str(ROOT / "rules"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_only_generator_is_used_with_the_pack_folder(installed, capsys, tmp_path):
    calls = installed("acme")
    code, out, _ = run(capsys, "--deals", "12", "--seed", "3", "--out", str(tmp_path))
    assert code == 0
    assert calls == [("acme", 12, 3, tmp_path, ROOT / "rules")]
    assert out == f"sample export written to {tmp_path}/ (12 deals from acme)\n"


def test_none_installed_says_how_to_get_one(installed, capsys):
    installed()
    code, _, err = run(capsys)
    assert code == 2
    assert err.startswith("checker: error: no sample generator is installed (none registers the "
                          "'checker.samplers' entry point); install the package")


def test_several_installed_asks_to_choose(installed, capsys, tmp_path):
    calls = installed("acme", "globex")
    code, _, err = run(capsys)
    assert code == 2 and "several sample generators are installed (acme, globex); choose one with --generator" in err
    assert run(capsys, "--generator", "globex", "--out", str(tmp_path))[0] == 0
    assert [call[0] for call in calls] == ["globex"]


def test_an_unknown_generator_suggests_a_close_name(installed, capsys):
    installed("acme", "globex")
    code, _, err = run(capsys, "--generator", "acmee")
    assert code == 2 and "no sample generator 'acmee' (did you mean 'acme'?); installed: acme, globex" in err


def test_no_deals_is_a_usage_error(installed, capsys):
    installed("acme")
    assert run(capsys, "--deals", "0")[:2] == (2, "")


def test_a_missing_rules_folder_is_named(installed, capsys, tmp_path):
    installed("acme")
    code = main(["sample", "--rules", str(tmp_path / "nope")])
    assert code == 2
    assert f"rules folder '{tmp_path / 'nope'}' not found; pass the rule pack's folder with --rules DIR" \
        in capsys.readouterr().err


def test_a_sample_written_as_a_dataset_checks_as_its_answer_key(tmp_path, capsys):
    """--to parquet: the CSV is made beside the dataset, converted and removed; the dataset keeps
    the answer key, and the check on it finds exactly that."""
    out = tmp_path / "dataset"
    code, printed, _ = run(capsys, "--deals", "300", "--seed", "5", "--to", "parquet", "--out", str(out))
    assert code == 0 and "sample dataset written" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset"]       # no CSV left beside it
    assert {"manifest.json", "mapping.yaml", "expected_violations.csv", "README.md"} <= {p.name for p in out.iterdir()}
    assert main(["check", "--rules", str(ROOT / "rules"), "--policy", str(ROOT / "policy"), "--data", str(out),
                 "--out", str(tmp_path / "reports")]) == 0
    found = json.loads((tmp_path / "reports" / "results.json").read_text(encoding="utf-8"))["violations"]
    with open(out / "expected_violations.csv", encoding="utf-8", newline="") as handle:
        expected = {(row["rule_id"], row["key"]) for row in csv.DictReader(handle)}
    assert {(v["rule_id"], v["key"]) for v in found} == expected


def test_a_dataset_sample_refuses_a_folder_of_other_files_before_generating(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = run(capsys, "--deals", "300", "--to", "parquet", "--out", str(out))
    assert code == 2 and "not empty and holds no dataset" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
