"""Speed and memory of the checker on generated exports, against a read floor and a hand-written floor.

    python benchmarks/run.py [--deals 10000 100000 1000000] [--repeat N]
    python benchmarks/run.py --engine dask [--deals 1000000 10000000]     (see dask_run.py)

For each size an export is generated once with `checker sample --seed 1` and cached in
benchmarks/out/deals-N. Then, in one interleaved series (for each repetition, for each size,
each measurement in a fresh child process, side by side so that machine noise hits all of
them alike), it measures wall seconds and the child's peak RSS of:

  read    bare pyarrow.csv.read_csv of every input file of the export (the read floor);
  floor   benchmarks/floor.py, the rule subset written by hand in pandas/NumPy;
  subset  `checker check --profile` with the same subset (benchmarks/subset/rules.yaml);
  full    `checker check --profile` with the shipped rule pack.

It fails (exit 1, after recording the figures) when the engine's subset verdicts differ from
the floor's, or the full pack's violations differ from the export's expected_violations.csv.
Results go to benchmarks/results.json and benchmarks/README.md (see report.py).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import yaml

import floor as floor_impl
import measure
import report

ROOT = measure.ROOT
OUT = ROOT / "benchmarks" / "out"
SUBSET_RULES = ROOT / "benchmarks" / "subset" / "rules.yaml"
CONFIG_FILES = ("datamodel.yaml", "params.yaml", "calendar.yaml")
MEASUREMENTS = ("read", "floor", "subset", "full")


def ensure_export(deals: int) -> Path:
    """The cached export of this size; generated when missing (or left half-written)."""
    folder = OUT / f"deals-{deals}"
    if not (folder / "expected_violations.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        print(f"generating {deals:,} deals ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "checker.cli", "sample", "--deals", str(deals), "--seed", "1",
                        "--out", str(folder)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"generated {deals:,} deals in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


def input_files(export: Path) -> list[Path]:
    """Every data file the export's mapping names (what the checker reads)."""
    mapping = yaml.safe_load((export / "mapping.yaml").read_text(encoding="utf-8"))
    return [export / spec["file"] for spec in mapping["tables"].values()]


def warm_cache(files: list[Path]) -> None:
    # Read each file once untimed, so the first measurement of a series does not pay for the disk.
    for path in files:
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def subset_rules_dir(parent: Path) -> Path:
    """A rules folder holding the pack's data model, params and calendar plus the subset rules."""
    folder = parent / "subset-rules"
    folder.mkdir()
    for name in CONFIG_FILES:
        shutil.copyfile(ROOT / "rules" / name, folder / name)
    shutil.copyfile(SUBSET_RULES, folder / "rules.yaml")
    return folder


def check_subset_in_step() -> None:
    """floor.py hard-codes the subset; stop if it no longer says what subset/rules.yaml says."""
    wanted = []
    for rule in yaml.safe_load(SUBSET_RULES.read_text(encoding="utf-8"))["rules"]:
        (kind, spec), = rule["check"].items()
        entry = {"id": rule["id"], "kind": kind, **spec}
        if "when" in rule:
            match = re.fullmatch(r'stage == "(\w+)"', rule["when"].strip())
            if not match:
                raise SystemExit(f"{SUBSET_RULES}: floor.py only knows scopes of the form stage == \"...\"")
            entry["stage"] = match[1]
        wanted.append(entry)
    key = lambda rules: sorted(rules, key=lambda r: r["id"])  # noqa: E731
    if key(wanted) != key(floor_impl.SUBSET):
        raise SystemExit(f"benchmarks/floor.py SUBSET and {SUBSET_RULES.relative_to(ROOT)} describe different rules")


def measure_size(deals: int, export: Path, files: list[Path], subset_dir: Path, profile: bool,
                 order: tuple[str, ...]) -> tuple[dict, dict[str, str | None]]:
    """One repetition at one size: the four measurements, then their verdict checks."""
    figures, verdicts = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp_path = Path(tmp)
        for name in order:
            if name == "read":
                figures[name] = measure.bare_read(files)
            elif name == "floor":
                figures[name] = measure.floor(export, tmp_path / "floor.json")
            elif name == "subset":
                figures[name] = measure.engine(export, tmp_path / "subset", profile, subset_dir)
            else:
                figures[name] = measure.engine(export, tmp_path / "full", profile)
            print(f"  {deals:>9,} deals  {name:<6} {figures[name]['wall_s']:8.2f} s {figures[name]['peak_mb']:8.0f} MB",
                  file=sys.stderr, flush=True)
        verdicts = check_verdicts(export, tmp_path)
    return figures, verdicts


def check_verdicts(export: Path, tmp: Path) -> dict[str, str | None]:
    """None per check when the verdicts agree, else what differs."""
    expected = measure.expected_violations(export)
    floor_v, floor_u = measure.floor_verdicts(tmp / "floor.json")
    subset_v, subset_u = measure.engine_verdicts(tmp / "subset" / "results.json")
    full_v, _ = measure.engine_verdicts(tmp / "full" / "results.json")
    shipped = {rule for rule, _ in floor_v | floor_u} & {rule for rule, _ in expected}
    return {
        "subset_violations": measure.difference("subset violations", subset_v, floor_v, "engine", "floor"),
        "subset_not_evaluable": measure.difference("subset not evaluable", subset_u, floor_u, "engine", "floor"),
        # The copies of shipped rules in the subset must also find exactly the planted violations.
        "floor_vs_expected": measure.difference("floor on shipped rules", {p for p in floor_v if p[0] in shipped},
                                                {p for p in expected if p[0] in shipped}, "floor", "expected"),
        "full_vs_expected": measure.difference("full pack", full_v, expected, "engine", "expected_violations.csv"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, nargs="+", help="sizes (default: 10000 100000; with --engine dask: 1000000 10000000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the whole series (default: 3)")
    parser.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                        help="dask: the full pack on both engines and on a converted dataset (dask_run.py)")
    args = parser.parse_args()
    if args.engine == "dask":
        import dask_run
        sizes = sorted(set(args.deals or [1_000_000, 10_000_000]))
        return dask_run.run(sizes, {n: ensure_export(n) for n in sizes if n <= dask_run.OUT_OF_CORE}, OUT)
    sizes = sorted(set(args.deals or [10_000, 100_000]))
    check_subset_in_step()
    profile = measure.profile_supported()
    if not profile:
        print("this checkout's `checker check` has no --profile: recording wall time and peak memory only",
              file=sys.stderr)
    exports = {n: ensure_export(n) for n in sizes}
    files = {n: input_files(exports[n]) for n in sizes}
    for n in sizes:
        warm_cache(files[n])
    series = report.series_info(sizes, args.repeat, profile)
    runs: dict[int, dict[str, list]] = {n: {m: [] for m in MEASUREMENTS} for n in sizes}
    checks: dict[int, list[dict]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="bench-rules-") as rules_tmp:
        subset_dir = subset_rules_dir(Path(rules_tmp))
        for rep in range(args.repeat):
            # Rotating the order keeps any one measurement from always running first (or last).
            order = MEASUREMENTS[rep % 4:] + MEASUREMENTS[:rep % 4]
            print(f"repetition {rep + 1}/{args.repeat}", file=sys.stderr, flush=True)
            for n in sizes:
                figures, verdicts = measure_size(n, exports[n], files[n], subset_dir, profile, order)
                for name, value in figures.items():
                    runs[n][name].append(value)
                checks[n].append(verdicts)
                for problem in filter(None, verdicts.values()):
                    print(f"\n*** VERDICTS DIFFER at {n:,} deals: {problem}\n", file=sys.stderr, flush=True)
    series["load_after"] = list(os.getloadavg())
    series["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results = report.record(series, runs, checks, exports)
    print(report.text_table(results, sizes))
    failed = [(n, p) for n in sizes for c in checks[n] for p in c.values() if p]
    if failed:
        print(f"FAILED: verdicts differ in {len(failed)} check(s); see above and benchmarks/results.json",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
