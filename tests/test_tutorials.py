"""The walk-throughs stay true: every command of a ```sh block in docs/getting-started.md and
docs/own-export.md is run as written, in order, and must succeed. A file the document shows
after an `<!-- file: PATH -->` line is written before the commands that follow it.

getting-started.md runs in an empty folder; own-export.md from a folder that holds the
repository's docs/, tests/, rules/, policy/ and sample_data/, and the Maven CRM export as maven-crm/
(the block that reads it is skipped when the export is not beside the repository)."""
from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
MAVEN = ROOT.parent / "shared" / "realdata" / "maven-crm"
BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.DOTALL)


def _steps(doc: str) -> list[tuple[str, str, str]]:
    """The document's runnable pieces in order: ("file", path, text) and ("sh", block, "")."""
    steps = []
    for match in BLOCK.finditer((ROOT / "docs" / doc).read_text("utf-8")):
        if match["file"]:
            steps.append(("file", match["file"], match["body"]))
        elif match["lang"] == "sh":
            steps.append(("sh", match["body"], ""))
    return steps


def _commands(block: str) -> list[list[str]]:
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if shlex.split(line, comments=True)]


def _run(doc: str, cwd: Path, monkeypatch, capsys) -> int:
    ran = 0
    for kind, what, text in _steps(doc):
        if kind == "file":
            (cwd / what).parent.mkdir(parents=True, exist_ok=True)
            (cwd / what).write_text(text, encoding="utf-8")
            continue
        if "maven-crm" in what and not MAVEN.is_dir():
            continue
        for argv in _commands(what):
            if argv[0] == "cd":
                cwd = cwd / argv[1]
                continue
            assert argv[0] == "checker", f"{doc}: only checker and cd commands are run, not {argv}"
            monkeypatch.chdir(cwd)
            expanded = [p for a in argv[1:] for p in (sorted(glob.glob(a)) if "*" in a else [a])]
            code = main(expanded)
            captured = capsys.readouterr()
            assert code == 0, f"{doc}: `{shlex.join(argv)}` exited {code}:\n{captured.out}{captured.err}"
            ran += 1
    return ran


def test_getting_started_runs_as_written(tmp_path, monkeypatch, capsys):
    assert _run("getting-started.md", tmp_path, monkeypatch, capsys) == 7
    assert (tmp_path / "acme" / "my-export" / "mapping.yaml").is_file()
    assert (tmp_path / "acme" / "reports" / "report.html").is_file()


def test_own_export_runs_as_written(tmp_path, monkeypatch, capsys):
    for name in ("docs", "tests", "rules", "policy", "sample_data"):
        (tmp_path / name).symlink_to(ROOT / name)
    if MAVEN.is_dir():
        (tmp_path / "maven-crm").symlink_to(MAVEN)
    ran = _run("own-export.md", tmp_path, monkeypatch, capsys)
    assert ran == (8 if MAVEN.is_dir() else 5)
    assert (tmp_path / "reports" / "p2p" / "results.json").is_file()
    if not MAVEN.is_dir():
        pytest.skip(f"the Maven CRM export is not at {MAVEN}: its commands were not run")
    assert (tmp_path / "reports" / "maven" / "results.json").is_file()
