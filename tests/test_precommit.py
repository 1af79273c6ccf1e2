"""CI for repositories that keep a rule pack: the pre-commit hooks, run for real by pre-commit in a
repository of its own, and the example GitHub Actions workflow, whose commands must exist."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.cli import build_parser
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=checker", "-c", "user.email=checker@example.invalid", *args],
                   cwd=cwd, check=True, capture_output=True)


# What pre-commit needs of the project to install the hooks: the package and the hooks file.
HOOKS_REPO_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "checker", "aqt_sample")


def _snapshot(source: Path, into: Path) -> Path:
    """The project's package as it is now (committed or not), committed in a repository of its own,
    since pre-commit installs hooks from a commit."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", *HOOKS_REPO_FILES],
                            cwd=source, capture_output=True, text=True, check=True).stdout.splitlines()
    for name in listed:
        if (source / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, into / name)
    _git(into, "init", "-q")
    _git(into, "add", "-A")
    _git(into, "commit", "-q", "-m", "snapshot")
    return into


@pytest.fixture(scope="module")
def hooks(tmp_path_factory) -> tuple[Path, dict]:
    if shutil.which("pre-commit") is None:
        pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
    base = tmp_path_factory.mktemp("precommit")
    return _snapshot(ROOT, base / "hooks"), {**os.environ, "PRE_COMMIT_HOME": str(base / "cache")}


def _pack_repo(where: Path) -> Path:
    where.mkdir()
    for folder in ("rules", "policy"):
        shutil.copytree(ROOT / folder, where / folder)
    return where


def _run_hooks(hooks_repo: Path, env: dict, pack: Path, *hook: str) -> subprocess.CompletedProcess:
    """What `pre-commit try-repo HOOKS_REPO [HOOK] --all-files` does, through a config naming the
    hooks repository at its commit: try-repo installs the hooks afresh each time (about a minute
    and a half: the package and its dependencies in a new virtualenv), a config shares one
    install between the runs of a test session (PRE_COMMIT_HOME)."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks_repo, capture_output=True, text=True,
                         check=True).stdout.strip()
    (pack / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: checker-validate\n      - id: checker-test\n", "utf-8")
    _git(pack, "init", "-q")
    _git(pack, "add", "-A")
    return subprocess.run(["pre-commit", "run", *hook, "--all-files"], cwd=pack, env=env,
                          capture_output=True, text=True, timeout=900)


def test_hooks_pass_on_the_project_rules_and_validate_fails_on_a_broken_rule(hooks, tmp_path):
    hooks_repo, env = hooks
    good = _run_hooks(hooks_repo, env, _pack_repo(tmp_path / "good"))
    assert good.returncode == 0, good.stdout + good.stderr
    results = [line for line in good.stdout.splitlines() if line.startswith("checker ")]
    assert [(line.split(".")[0], line.rsplit(".", 1)[-1]) for line in results] == [
        ("checker validate", "Passed"), ("checker test", "Passed")]

    bad = _pack_repo(tmp_path / "bad")
    text = (ROOT / "tests/fixtures/lint/unknown_step.yaml").read_text("utf-8").replace("PROC-005", "PROC-905")
    (bad / "rules/process/broken.yaml").write_text(text, "utf-8")
    failed = _run_hooks(hooks_repo, env, bad, "checker-validate")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "rules/process/broken.yaml:11:15: unknown step 'contract_sighned' (did you mean 'contract_signed'?)" \
        in failed.stdout


def test_hooks_check_the_whole_pack_whatever_file_changed():
    hooks_file = load_file(ROOT / ".pre-commit-hooks.yaml")
    assert {(h["id"], h["entry"], h["language"], h["pass_filenames"]) for h in hooks_file} == {
        ("checker-validate", "checker validate", "python", False), ("checker-test", "checker test", "python", False)}


def _workflow_steps() -> list[dict]:
    workflow = load_file(WORKFLOW)
    # YAML 1.1 reads the key `on` as true; GitHub reads it as the text "on".
    assert {"push", "pull_request"} <= set(workflow.get("on", workflow.get(True)))
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_workflow_commands_exist_in_the_command_line():
    commands = [shlex.split(line) for step in _workflow_steps() for line in str(step.get("run", "")).splitlines()
                if line.startswith("checker ")]
    assert [c[1] for c in commands] == ["validate", "test", "check"]
    parser = build_parser()
    for command in commands:
        args = parser.parse_args(command[1:])   # an unknown option or value exits with status 2
        assert args.run.__name__ == command[1]
    check = parser.parse_args(commands[-1][1:])
    assert (check.fail_on, check.format, str(check.out)) == ("high", "sarif", "reports")


def test_workflow_uploads_the_reports_and_the_sarif_the_check_writes():
    steps = {step.get("uses", "").partition("@")[0]: step for step in _workflow_steps()}
    assert steps["actions/upload-artifact"]["with"]["path"] == "reports/"
    assert steps["github/codeql-action/upload-sarif"]["with"]["sarif_file"] == "reports/results.sarif"
    assert all(str(steps[name]["if"]).startswith("always()")
               for name in ("actions/upload-artifact", "github/codeql-action/upload-sarif"))
