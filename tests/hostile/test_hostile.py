"""The hostile catalogue (catalogue.py): each broken or malicious input is run through
`python -m checker.cli` in a child process under a timeout, and must give its exact exit
code and its message or data-quality finding; none may give a traceback, an internal error,
a hang, or a results.json that is not strict JSON."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalogue import CASES, RULES, SAMPLE, Case

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180   # seconds; the sample checks in a few, so only a hang comes near it


@dataclass
class Outcome:
    code: int
    output: str
    workspace: Path


def _workspace(case: Case, base: Path) -> Path:
    ws = base / case.name
    shutil.copytree(ROOT / "sample_data", ws / "data", symlinks=True)
    shutil.copytree(ROOT / "rules", ws / "rules")
    case.edit(ws)
    return ws


def _run(case: Case, base: Path) -> Outcome:
    ws = _workspace(case, base)
    args = [a.format(ws=ws) for a in case.args]
    if case.command == "check":
        args = ["check", "--rules", str(ws / "rules"), "--policy", str(ROOT / "policy"), "--data", str(ws / "data"),
                "--out", str(ws / "out"), "--lang", "en", *args]
    try:
        done = subprocess.run([sys.executable, "-m", "checker.cli", *args], cwd=ROOT, capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: no answer within {TIMEOUT} s (a hang)")
    return Outcome(done.returncode, done.stdout + done.stderr, ws)


@pytest.fixture(scope="module")
def sample_summary(tmp_path_factory) -> str:
    """The unedited sample's summary line (up to its data-quality count): what an edit that
    loses nothing must print too."""
    clean = _run(Case("unedited-sample", lambda ws: None, 0), tmp_path_factory.mktemp("unedited"))
    assert clean.code == 0, clean.output
    return clean.output.splitlines()[0].partition(" findings")[0]


def _expected_message(case: Case, summary: str) -> str:
    return case.message.replace(SAMPLE, summary).replace(RULES, summary.split()[0])


def _strict(text: str) -> dict:
    def refuse(constant: str):
        raise AssertionError(f"results.json holds {constant}, which is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_input(case: Case, sample_summary: str, tmp_path: Path):
    got = _run(case, tmp_path)
    assert "Traceback" not in got.output and "internal error" not in got.output, got.output
    assert got.code == case.exit, got.output
    assert _expected_message(case, sample_summary) in got.output, got.output
    results = got.workspace / "out" / "results.json"
    if case.command == "check" and case.exit in (0, 1):
        found = _strict(results.read_text("utf-8"))["data_quality"]
        if case.finding:
            assert any(case.finding.items() <= f.items() for f in found), \
                f"{case.finding} not among {[f for f in found if f['table'] == case.finding.get('table')][:8]}"
    elif case.command == "check":
        assert not results.exists(), "a refused input still wrote results"
    for relative, fragment in case.files.items():
        assert fragment in (got.workspace / relative).read_text("utf-8-sig"), relative
    for relative in case.absent:
        # A command run by an attack would start in the working folder (the repository), or in the workspace.
        assert not (got.workspace / relative).exists() and not (ROOT / relative).exists(), f"{relative} was made"


def test_the_catalogue_is_large_and_has_unique_names():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
