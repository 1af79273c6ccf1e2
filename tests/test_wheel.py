"""The built wheel works outside the repository: `checker sample` finds aqt's generator through its
entry point and reads the pack given with --rules, `checker check` runs on what it wrote, and the
pack `checker init` writes (from the wheel's package data) validates, passes its tests and checks."""
from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("checker", "aqt_sample", "pyproject.toml", "README.md")

pytestmark = pytest.mark.packaging


def run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def copy_sources(into: Path) -> Path:
    """Build from a copy: setuptools writes build/ and *.egg-info next to pyproject.toml."""
    for name in SOURCES:
        source, target = ROOT / name, into / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return into


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    (work / "src").mkdir()
    source = copy_sources(work / "src")
    wheels = work / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", wheels],
                cwd=source)
    assert built.returncode == 0, built.stderr
    # The system site-packages provide pandas and friends; the project itself comes from the wheel.
    env_dir = work / "venv"
    assert run([sys.executable, "-m", "venv", "--system-site-packages", env_dir], cwd=work).returncode == 0
    wheel = next(wheels.glob("checker-*.whl"))
    installed = run([env_dir / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                     "--no-index", wheel], cwd=work)
    assert installed.returncode == 0, installed.stderr
    return env_dir


@pytest.fixture
def outside(tmp_path, venv) -> tuple[Path, dict]:
    """A working folder outside the repository, and an environment whose `checker` is the venv's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return tmp_path, env


def test_installed_packages_are_the_wheels(venv, outside):
    cwd, env = outside
    where = run(["python", "-c", "import checker, aqt_sample; print(checker.__file__); print(aqt_sample.__file__)"],
                cwd, env)
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(venv) for line in where.stdout.splitlines()), where.stdout
    assert shutil.which("checker", path=env["PATH"]) == str(venv / "bin" / "checker")


def test_sample_and_check_run_outside_the_repository(outside):
    cwd, env = outside
    made = run(["checker", "sample", "--rules", ROOT / "rules", "--out", "export"], cwd, env)
    assert made.returncode == 0, made.stderr
    names = sorted(p.name for p in (cwd / "export").iterdir())
    assert names == sorted(p.name for p in (ROOT / "sample_data").iterdir())
    _, mismatch, errors = filecmp.cmpfiles(cwd / "export", ROOT / "sample_data", names, shallow=False)
    assert mismatch == [] and errors == [], "the installed generator writes the shipped sample's bytes"
    checked = run(["checker", "check", "--rules", ROOT / "rules", "--policy", ROOT / "policy",
                   "--data", "export", "--out", "reports"], cwd, env)
    assert checked.returncode == 0, checked.stderr
    assert (cwd / "reports" / "results.json").is_file()


def test_sample_without_a_pack_says_what_to_pass(outside):
    cwd, env = outside
    failed = run(["checker", "sample", "--out", "export"], cwd, env)
    assert failed.returncode == 2
    assert failed.stderr.startswith("checker: error: rules folder 'rules' not found; pass")
    assert "Traceback" not in failed.stderr


def test_init_writes_a_pack_that_validates_tests_and_checks_outside_the_repository(outside):
    cwd, env = outside
    made = run(["checker", "init", "acme"], cwd, env)
    assert made.returncode == 0, made.stderr
    pack = cwd / "acme"
    assert (pack / "schemas" / "rules.schema.json").read_bytes() == \
        (ROOT / "checker" / "schemas" / "rules.schema.json").read_bytes()
    assert run(["checker", "validate"], pack, env).stdout.strip() == "1 rules and 1 clauses are valid"
    tested = run(["checker", "test"], pack, env)
    assert tested.returncode == 0 and tested.stdout.strip().endswith("2 passed, 0 failed"), tested.stdout
    checked = run(["checker", "check", "--data", "export", "--mapping", "mapping.yaml", "--out", "reports"], pack, env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("1 rules, 1 violations (1 high), 0 not evaluable"), checked.stdout
