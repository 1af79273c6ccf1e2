"""Running one measurement in a fresh child process: wall seconds, the child's own peak RSS,
and what it printed (the floor's timings, the engine's --profile table, its results.json)."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
PROFILE_LINE = re.compile(r"^(?P<phase>\S.*?)\s{2,}(?P<seconds>\d+\.\d+)\s+(?P<mb>\d+)$")
# How the full pack's --profile phases are grouped in the report (rules and writes are summed).
GROUPS = ("read", "map and coerce", "link keys", "views", "evaluate", "results", "write")


class MeasurementError(RuntimeError):
    """A child failed: the harness stops, since later figures would not be comparable."""


@dataclass
class Child:
    wall_s: float
    peak_mb: float
    stdout: str
    stderr: str


def run_child(args: list[str], cwd: Path = ROOT) -> Child:
    """Run args to completion and return its wall time and its own peak RSS.

    The child is started through spawn.py, which waits for it with os.wait4 (the rusage of
    exactly this child, not the largest of all children so far) and keeps the harness's own
    memory out of the child's figure (see spawn.py). Output goes to files, not pipes, so a
    chatty child cannot block."""
    with tempfile.TemporaryDirectory(prefix="bench-child-") as tmp:
        report = Path(tmp) / "spawn.json"
        with open(Path(tmp) / "out", "w+") as out, open(Path(tmp) / "err", "w+") as err:
            code = subprocess.run([sys.executable, str(BENCH / "spawn.py"), str(report), *args], cwd=cwd,
                                  stdout=out, stderr=err).returncode
            out.seek(0), err.seek(0)
            stdout, stderr = out.read(), err.read()
        figures = json.loads(report.read_text()) if report.exists() else {}
    if code != 0 or not figures:
        tail = "\n".join(stderr.strip().splitlines()[-15:])
        raise MeasurementError(f"{' '.join(args)} exited with {code}:\n{tail}")
    return Child(round(figures["wall_s"], 3), round(figures["maxrss_kb"] / 1024, 1), stdout, stderr)


def parse_profile(stderr: str) -> dict[str, dict[str, float]] | None:
    """The `checker check --profile` table as {phase: {seconds, mb}}, or None if there is none."""
    phases: dict[str, dict[str, float]] = {}
    in_table = False
    for line in stderr.splitlines():
        if line.startswith("phase"):
            in_table, phases = True, {}     # the last table printed wins
            continue
        match = PROFILE_LINE.match(line.rstrip()) if in_table else None
        if in_table and line.startswith("  "):
            continue                        # a part of the phase above it (writers side by side)
        if match:
            phases[match["phase"]] = {"seconds": float(match["seconds"]), "mb": float(match["mb"])}
        elif in_table and line.strip() and set(line.strip()) - set("-=+| "):
            in_table = False                # anything but a rule line (----) ends the table
    return phases or None


def group_phases(phases: dict[str, dict[str, float]]) -> dict[str, float]:
    """Seconds per report group; `rule ...` phases sum to evaluate, `write ...` to write."""
    grouped = dict.fromkeys(GROUPS, 0.0)
    other = 0.0
    for name, figures in phases.items():
        if name.startswith("rule "):
            grouped["evaluate"] += figures["seconds"]
        elif name.startswith("write"):
            grouped["write"] += figures["seconds"]
        elif name in grouped:
            grouped[name] += figures["seconds"]
        elif name != "total":
            other += figures["seconds"]
    if other:
        grouped["other"] = other
    if "total" in phases:
        grouped["total"] = phases["total"]["seconds"]
    return {k: round(v, 3) for k, v in grouped.items()}


def engine_algorithm_s(phases: dict[str, dict[str, float]]) -> float:
    """The engine's algorithm time: building the shared views plus evaluating every rule."""
    return round(sum(phases.get(name, {"seconds": 0.0})["seconds"] for name in ("views", "evaluate"))
                 + sum(f["seconds"] for name, f in phases.items() if name.startswith("rule ")), 3)


def profile_supported() -> bool:
    """Whether this checkout's `checker check` has --profile (older ones do not)."""
    shown = subprocess.run([sys.executable, "-m", "checker.cli", "check", "--help"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout
    return "--profile" in shown


# --- the four measurements ------------------------------------------------------------------

def bare_read(files: list[Path]) -> dict:
    child = run_child([sys.executable, str(BENCH / "bare_read.py"), *map(str, files)])
    return {"wall_s": child.wall_s, "peak_mb": child.peak_mb, **json.loads(child.stdout.strip().splitlines()[-1])}


def floor(export: Path, verdicts_out: Path) -> dict:
    child = run_child([sys.executable, str(BENCH / "floor.py"), str(export), "--out", str(verdicts_out)])
    return {"wall_s": child.wall_s, "peak_mb": child.peak_mb, **json.loads(child.stdout.strip().splitlines()[-1])}


def engine(export: Path, out: Path, profile: bool, rules: Path | None = None) -> dict:
    """`checker check` on the export; with rules, a custom rules folder (the subset)."""
    args = [sys.executable, "-m", "checker.cli", "check", "--data", str(export), "--out", str(out)]
    if rules is not None:
        args += ["--rules", str(rules), "--policy", "policy"]
    if profile:
        args.append("--profile")
    child = run_child(args)
    phases = parse_profile(child.stderr) if profile else None
    figures = {"wall_s": child.wall_s, "peak_mb": child.peak_mb, "phases": phases}
    if phases:
        figures["algorithm_s"] = engine_algorithm_s(phases)
        figures["groups"] = group_phases(phases)
    return figures


# --- verdicts -------------------------------------------------------------------------------

Pairs = set[tuple[str, str]]


def engine_verdicts(results_json: Path) -> tuple[Pairs, Pairs]:
    """(rule_id, key) of the violations and of the not-evaluable records in a results.json."""
    results = json.loads(results_json.read_text(encoding="utf-8"))
    violations = {(v["rule_id"], str(v["key"])) for v in results["violations"]}
    unknown = {(v["rule_id"], str(v["key"])) for v in results.get("not_evaluable", [])}
    return violations, unknown


def floor_verdicts(path: Path) -> tuple[Pairs, Pairs]:
    verdicts = json.loads(path.read_text(encoding="utf-8"))
    return ({(rule, key) for rule, v in verdicts.items() for key in v["violations"]},
            {(rule, key) for rule, v in verdicts.items() for key in v["not_evaluable"]})


def expected_violations(export: Path) -> Pairs:
    with (export / "expected_violations.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(row["rule_id"], row["key"]) for row in csv.DictReader(handle)}


def difference(what: str, got: Pairs, want: Pairs, got_name: str, want_name: str) -> str | None:
    """None when equal, else a short account of the difference (a few examples each way)."""
    if got == want:
        return None
    extra, missing = sorted(got - want), sorted(want - got)
    return (f"{what}: {len(extra)} in {got_name} only {extra[:5]}, "
            f"{len(missing)} in {want_name} only {missing[:5]}")
