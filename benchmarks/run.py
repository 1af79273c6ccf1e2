"""Speed and memory of loading and evaluation on generated exports.

    python benchmarks/run.py --deals 10000 100000

For each size: generates an export with `checker sample` (cached in benchmarks/out/),
then reports seconds and peak memory (RSS growth of a fresh process) for loading the
export and for evaluating the rule pack, separately. Targets are in benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from checker.project import load_project
from checker.dataset import load_mapping, load_dataset, as_of_timestamp
from checker.engine import make_context, evaluate_pack

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

data = Path(sys.argv[1])
project = load_project(Path("rules"), Path("policy"))
base = peak_mb()
t0 = time.perf_counter()
mapping = load_mapping(data / "mapping.yaml", project.pack.model)
dataset = load_dataset(data, mapping, project.pack.model)
t1 = time.perf_counter()
after_load = peak_mb()
ctx = make_context(project.pack, dataset.tables, project.calendar, as_of_timestamp(mapping.as_of, dataset.timezone), dataset.timezone)
outcomes = evaluate_pack(project.pack, ctx)
t2 = time.perf_counter()
print(json.dumps({"load_s": round(t1 - t0, 2), "evaluate_s": round(t2 - t1, 2),
                  "load_peak_mb": round(after_load - base), "total_peak_mb": round(peak_mb()),
                  "events": len(dataset.tables["events"]),
                  "violations": int(sum((f["outcome"] == "violation").sum() for f in outcomes.values()))}))
"""


def ensure_export(deals: int) -> Path:
    folder = OUT / f"deals-{deals}"
    if not (folder / "mapping.yaml").exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "checker.cli", "sample", "--deals", str(deals), "--seed", "1",
                        "--out", str(folder)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"generated {deals} deals in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


def measure(deals: int) -> dict:
    folder = ensure_export(deals)
    result = subprocess.run([sys.executable, "-c", CHILD, str(folder)], check=True, cwd=ROOT,
                            capture_output=True, text=True)
    return {"deals": deals, **json.loads(result.stdout.strip().splitlines()[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for deals in args.deals:
        print(json.dumps(measure(deals)))


if __name__ == "__main__":
    main()
