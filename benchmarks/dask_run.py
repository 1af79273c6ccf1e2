"""`python benchmarks/run.py --engine dask`: the full pack on the default engine and on the dask
engine, at each size, in fresh child processes one after the other:

  pandas   `checker check` on the CSV export (one process);
  convert  `checker convert --to parquet` of the export into benchmarks/out/deals-N.parquet;
  dask     `checker check --engine dask` on that dataset, a LocalCluster of WORKERS workers of
           MEMORY each: the client's own peak RSS (spawn.py), each worker's peak RSS and spill
           (which the run section of results.json records).

The dask run's results.json must equal the pandas run's apart from the run section, and its
violations.csv and junit.xml byte for byte; the figures go to results.json under "dask".

Sizes above OUT_OF_CORE are beyond what the pandas engine can hold on this machine: the
sample is made as a Parquet dataset straight away (`checker sample --to parquet`, cached in
benchmarks/out/deals-N.parquet), checked by the dask engine alone, and its violations.csv must
name exactly the violations of the sample's answer key."""
from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import measure
import report

WORKERS, MEMORY = 2, "5GB"
OUT_OF_CORE = 1_000_000


def dataset_of(export: Path, deals: int) -> tuple[Path, dict]:
    """The export's dataset (converted again each series, the conversion being measured)."""
    dataset = export.parent / f"{export.name}.parquet"
    shutil.rmtree(dataset, ignore_errors=True)
    child = measure.run_child([sys.executable, "-m", "checker.cli", "convert", "--to", "parquet", "--data", str(export),
                               "--out", str(dataset)])
    return dataset, {"wall_s": child.wall_s, "peak_mb": child.peak_mb,
                     "buckets": json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))["buckets"],
                     "parquet_mb": round(sum(p.stat().st_size for p in dataset.rglob("*.parquet")) / 2 ** 20, 1)}


def check(data: Path, out: Path, *options: str) -> dict:
    """Wall seconds and the checking process's own peak RSS (its --profile total: the peak that
    spawn.py sees is also its children's, the local cluster's workers)."""
    child = measure.run_child([sys.executable, "-m", "checker.cli", "check", "--profile", "--data", str(data),
                               "--out", str(out), *options])
    phases = measure.parse_profile(child.stderr) or {}
    return {"wall_s": child.wall_s, "peak_mb": phases.get("total", {}).get("mb", child.peak_mb),
            "phases": {name: p["seconds"] for name, p in phases.items() if not name.startswith("rule ")}}


def without_run(path: Path) -> str:
    return re.sub(r'\n  "run": \{.*?\n  \},\n', "\n", path.read_text(encoding="utf-8"), count=1, flags=re.S)


def same_reports(a: Path, b: Path) -> bool:
    return without_run(a / "results.json") == without_run(b / "results.json") and \
        all((a / name).read_bytes() == (b / name).read_bytes() for name in ("violations.csv", "junit.xml"))


def check_on_dask(dataset: Path, out: Path, deals: int) -> dict:
    """`checker check --engine dask` on the dataset: check()'s figures, the workers' memory, the
    partitions and tasks from the run section, and the size of each report written."""
    dask = check(dataset, out, "--engine", "dask", "--workers", str(WORKERS), "--memory-limit", MEMORY)
    engine = run_section(out / "results.json")["engine"]
    dask.update(workers=engine["workers_memory"], partitions=engine["partitions"],
                on_whole_data=engine["on_whole_data"], task_seconds=engine["task_seconds"],
                reports_mb={p.name: round(p.stat().st_size / 2 ** 20, 1) for p in sorted(out.iterdir()) if p.is_file()})
    print(f"  {deals:>9,} deals  dask    {dask['wall_s']:8.2f} s {dask['peak_mb']:8.0f} MB client, workers "
          f"{', '.join(str(w['peak_mb']) for w in dask['workers'])} MB", file=sys.stderr)
    return dask


def measure_size(deals: int, export: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        tmp_path = Path(tmp)
        pandas = check(export, tmp_path / "pandas")
        print(f"  {deals:>9,} deals  pandas  {pandas['wall_s']:8.2f} s {pandas['peak_mb']:8.0f} MB", file=sys.stderr)
        dataset, convert = dataset_of(export, deals)
        print(f"  {deals:>9,} deals  convert {convert['wall_s']:8.2f} s {convert['peak_mb']:8.0f} MB", file=sys.stderr)
        dask = check_on_dask(dataset, tmp_path / "dask", deals)
        return {"deals": deals, "pandas": pandas, "convert": convert, "dask": dask,
                "same_results": same_reports(tmp_path / "pandas", tmp_path / "dask")}


def sample_dataset(deals: int, folder: Path) -> tuple[Path, dict]:
    """The sample of this size made as a dataset (cached; made again when left half-written)."""
    dataset = folder / f"deals-{deals}.parquet"
    made = {"cached": True}
    if not ((dataset / "manifest.json").exists() and (dataset / "expected_violations.csv").exists()):
        shutil.rmtree(dataset, ignore_errors=True)
        print(f"generating {deals:,} deals as a dataset ...", file=sys.stderr, flush=True)
        child = measure.run_child([sys.executable, "-m", "checker.cli", "sample", "--deals", str(deals), "--seed", "1",
                                   "--to", "parquet", "--out", str(dataset)])
        made = {"cached": False, "wall_s": child.wall_s, "peak_mb": child.peak_mb}
    manifest = json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))
    return dataset, {**made, "buckets": manifest["buckets"],
                     "parquet_mb": round(sum(p.stat().st_size for p in dataset.rglob("*.parquet")) / 2 ** 20, 1)}


def run_section(results: Path) -> dict:
    """results.json's run section, read without reading the rest (at 10M deals the file is
    several GB)."""
    lines = []
    with results.open(encoding="utf-8") as handle:
        for line in handle:
            if lines or line.startswith('  "run": {'):
                lines.append(line)
                if line.rstrip() in ("  },", "  }"):
                    break
    return json.loads("{" + "".join(lines).rstrip().rstrip(",") + "}")["run"]


def reported_violations(violations_csv: Path) -> set[tuple[str, str]]:
    """The (rule, key) of every violation in violations.csv, read by arrow (millions of rows)."""
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(violations_csv, convert_options=pacsv.ConvertOptions(include_columns=["rule_id", "key"]))
    return set(zip(table.column("rule_id").to_pylist(), table.column("key").to_pylist()))


def measure_out_of_core(deals: int, folder: Path) -> dict:
    dataset, made = sample_dataset(deals, folder)
    with tempfile.TemporaryDirectory(prefix="bench-dask-", dir=folder) as tmp:
        out = Path(tmp) / "dask"
        dask = check_on_dask(dataset, out, deals)
        differ = measure.difference("dask engine", reported_violations(out / "violations.csv"),
                                    measure.expected_violations(dataset), "engine", "expected_violations.csv")
    return {"deals": deals, "pandas": None, "sample": made, "dask": dask, "same_results": differ is None,
            "compared_with": "expected_violations.csv", **({"difference": differ} if differ else {})}


def run(sizes: list[int], exports: dict[int, Path], folder: Path) -> int:
    """One series at every size; figures into results.json (under "dask") and the README."""
    series = report.series_info(sizes, 1, False)
    figures = {str(n): measure_size(n, exports[n]) if n in exports else measure_out_of_core(n, folder) for n in sizes}
    series["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results = json.loads(report.RESULTS.read_text(encoding="utf-8")) if report.RESULTS.exists() else {}
    dask = results.setdefault("dask", {})
    for n, entry in figures.items():
        dask[n] = {**entry, "cluster": f"local, {WORKERS} workers x {MEMORY}", "series": series}
    results["dask"] = dict(sorted(dask.items(), key=lambda kv: int(kv[0])))
    report.RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    from readme import readme
    report.README.write_text(readme(results), encoding="utf-8")
    differ = [n for n, entry in figures.items() if not entry["same_results"]]
    if differ:
        print(f"FAILED: the dask engine's results differ from the pandas engine's at {', '.join(differ)} deals",
              file=sys.stderr)
        return 1
    return 0
