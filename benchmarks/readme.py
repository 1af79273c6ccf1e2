"""benchmarks/README.md, regenerated from results.json after every run (do not edit it by hand)."""
from __future__ import annotations

import json

import report

INTRO = """# Benchmarks

This file is written by `benchmarks/run.py` from `benchmarks/results.json`; edit
`benchmarks/readme.py` instead. Figures of a size stay until that size is measured again.

## How to run

```
python benchmarks/run.py                                   # 10,000 and 100,000 deals, 3 repetitions
python benchmarks/run.py --deals 10000 100000 1000000 --repeat 1
python benchmarks/run.py --engine dask                     # 1,000,000 on both engines, 10,000,000 out of core
```

Run it from the repository root or anywhere else; it runs the checker of this checkout
(`python -m checker.cli`, not whatever `checker` is on PATH). For each size an export is
generated once with `checker sample --deals N --seed 1` and cached in `benchmarks/out/deals-N`
(ignored by git; delete a folder to regenerate it). 1,000,000 deals take about a minute to
generate and several GB of memory to check. The dask run's 10,000,000 deals are made as a
Parquet dataset (`benchmarks/out/deals-10000000.parquet`, 7 GB, with 13 GB of CSV on the way:
half an hour or more, 4 GB of memory) and checked in about half an hour on two workers of
5 GB, the client needing about 16 GB beside them.

One run is one interleaved series: for each repetition, for each size, four measurements,
each in a fresh child process, one after the other, so that noise from other work on the
machine hits all of them alike (the order rotates between repetitions). For each child the
wall seconds and its own peak RSS are kept (`os.wait4` in the small launcher
`benchmarks/spawn.py`, so that the harness's own memory does not count in the child's):

| measurement | what runs |
|---|---|
| bare read | `benchmarks/bare_read.py`: `pyarrow.csv.read_csv` of every file the mapping names (the read floor; its seconds are the reads alone) |
| floor | `benchmarks/floor.py`: the rule subset written by hand in pandas/NumPy, reading the export itself; read, prepare (trim, value maps, times, keys) and compute ("algorithm only") seconds apart |
| engine subset | `checker check --profile` with the pack's data model, params and calendar plus `benchmarks/subset/rules.yaml` |
| full pack | `checker check --profile` with the shipped rules |

The subset is fixed: four precedences (`order`), three existences (`exists`, scoped to won or
contract-stage deals), two responses without deadline (`response`) and one
`different_actors`. Five are copies of shipped rules, five (`BENCH-*`) are not (BENCH-005 is the plain precedence PROC-005 was before it asked for the last draft). The run fails
(exit 1, figures still recorded) unless, at every size and repetition, the engine's subset
violations and not-evaluable records equal the floor's, the floor's violations of the copied
rules equal the export's `expected_violations.csv`, and the full pack's violations equal
`expected_violations.csv` exactly.

Engine algorithm time is the `views` and `evaluate` phases of `--profile` (the rules are judged
side by side, one per core; each rule's own seconds are listed under `evaluate`). The full
pack's phases are grouped as read, map and coerce, link keys, views, evaluate (all rules),
results and write (all files). Without `--profile` in the checkout, only wall time and peak memory of
the engine are recorded and the targets that need phases show as not measured.

## Targets (on a 2-core machine)

- 1,000,000 deals, full pack, end to end (child wall time) <= 5x the bare pyarrow read of the same files (aim 3x);
- peak RSS of the full-pack check at 1,000,000 deals <= 2.5 GiB;
- every phase grows <= 11x from 100,000 to 1,000,000 deals;
- the engine on the subset <= 1.5x the hand-written pandas floor, algorithm only;
- verdicts unchanged: results equal `expected_violations.csv` at 10k, 100k and 1M deals.

Ratios use the medians of one series.
"""


NOTES = """### Where the time goes, and how far to trust the targets above

As measured on 2026-12-03 at 19:14 (series 20261203T191458Z; 1,000,000 deals: 8.6 million
events of deals, 10.6 million events in all, 55 rules, 3 repetitions, on a machine with
nothing else running; the bare read of the 1M files took 5.9 s). Phase seconds are read to the
millisecond. Re-check these against the figures when the engine changes. The series before it
(20261203T175305Z, same code but for the sample's parts) gave 4.17x the read, 2.15 GiB and a
worst growth of 10.77x (write); both series meet every target.

- **Growth: met, 9.1x at worst (read).** Phases grew: read 9.1x, views 8.1x, write 8.0x,
  evaluate 7.8x, map and coerce 7.5x, link keys 7.1x, results 5.4x, for 9.97x the events.
  The events and the reports grow alike, so a phase that is linear in them sits near 10x, and
  the limit of 11x leaves one tenth for noise: series of the same day put map and coerce at
  11.86x (09:56), write at 11.33x (14:05) and 10.77x (17:53). Views, the worst phase of the
  earlier series (12.75-14.9x), now take 0.25 s at 1M (0.54-0.61 s before): the events are
  grouped by step a chunk of 262,144 at a time (`ordering.grouped_by`) instead of by one radix
  sort, whose scratch buffer as large as the log came from the C heap in small pages, one
  fault each in a fresh process (22,500 faults, 0.24-0.34 s of system time at 1M).
- **Where the system time goes.** At 1M a run spends 16-22 s of its 27-37 s in the kernel,
  handing out fresh pages: about 4.1 million page faults (per phase in one run: reading the
  events 0.96 million, typing them 0.75 million, judging 0.37 million, results 0.15 million,
  writing 0.69 million). Memory on this virtual machine is dear at first touch. Keeping
  freed memory longer in arrow's allocator while the files are read (a decay of 1 s instead of
  0) took 4-5 s off a run in two of three tries and none in the third, and raised the peak by
  90-250 MB, close to the memory target, so it was not kept.
- **Memory: 2.19 GiB (2,239 MiB), met.** The peak is while the event log is typed
  (its raw text, about 1 GB as read, is held until each column is typed) or judged.
- **5x: 4.7x, met; the aim of 3x is not.** Phases at 1M (medians): read 3.9 s, map and
  coerce 4.9, link keys 0.4, views 0.3, evaluate 5.1, results 3.1, write 8.6. The write phase is the
  largest: report.html (about 6-9 s, its per-finding evidence lists about 3) beside the machine
  files in a child process (results.json's 777 MB, of which 325 MB are time lines, then
  violations.csv and junit.xml), each side mostly the kernel handing out fresh pages. The
  ratio moves with the bare read as much as with the engine: 8.4 s of read gave 4.17x, 5.9 s 4.7x.
- **Engine against the hand-written floor.** The floor computes bare violation masks, while
  the engine builds, per rule, an outcome frame of every record in scope (categorical
  outcome, detail and reason, evidence columns) and keeps per-record not-evaluable reasons
  and evidence; on the subset it is 0.86x the floor in this series (1.07x and 0.70x in the two before).
"""


def readme(results: dict) -> str:
    parts = [INTRO, "## Last measured\n", _machine(results), "",
             report._markdown(report.HEAD, report.size_rows(results)), "",
             "Floor read+prepare is pyarrow reading the three files it needs plus cleaning and linking; "
             "the engine subset wall time includes interpreter start, loading and writing all reports.", "",
             "### Full pack phases (median seconds)\n", _phases(results), "",
             "### Ratios\n", _ratios(results), "", _growth(results), "",
             "### Targets\n", *(f"- {name}: **{t['line']}**" for name, t in results["targets"].items()), "",
             NOTES,
             "### Verdicts\n", _verdicts(results), "", _dask(results), _report_scale()]
    return "\n".join(parts)


def _made(entry: dict) -> str:
    """How the dataset was made: converted from the export, or sampled as a dataset."""
    c = entry.get("convert") or entry["sample"]
    how = "convert" if "convert" in entry else "sampled" if not c["cached"] else "sampled earlier"
    timing = f"{c['wall_s']:.1f} / {c['peak_mb']:,.0f} " if "wall_s" in c else ""
    return f"{how} {timing}({c['buckets']} buckets, {c['parquet_mb']:,.0f} MB)"


def _equal(entry: dict) -> str:
    verdict = "yes" if entry["same_results"] else "**no**"
    return verdict if entry.get("compared_with") is None else f"{verdict} (violations = {entry['compared_with']})"


def _dask(results: dict) -> str:
    """The full pack on the default engine, and on the dask engine from a converted Parquet
    dataset (`run.py --engine dask`, dask_run.py), when measured."""
    sizes = results.get("dask")
    if not sizes:
        return ""
    rows = []
    for n, e in sizes.items():
        d, p = e["dask"], e["pandas"]
        workers = " / ".join(f"{w['peak_mb']:,.0f}" for w in d["workers"])
        spilled = sum(w["spilled_mb"] for w in d["workers"])
        pandas = f"{p['wall_s']:.1f} / {p['peak_mb']:,.0f}" if p else "beyond this machine"
        rows.append(f"| {int(n):,} | {pandas} | "
                    f"{_made(e)} | {d['wall_s']:.1f} | {d['peak_mb']:,.0f} | "
                    f"{workers} | {spilled:,.0f} | {', '.join(d['on_whole_data']) or 'none'} | "
                    f"{_equal(e)} | {e['series']['id']} |")
    return "\n".join([
        "## The dask engine (`python benchmarks/run.py --engine dask`)\n",
        "The full pack at each size: `checker check` on the CSV export (pandas), `checker convert --to parquet` "
        "of the export, and `checker check --engine dask` on the dataset on a local cluster "
        f"({next(iter(sizes.values()))['cluster']}); each a fresh process, peak RSS of that process (the dask "
        "client's) and, from results.json's run section, of each worker. Results equal: results.json apart from "
        "its run section, violations.csv and junit.xml byte for byte. Above a million deals the sample is made as "
        "a dataset (`checker sample --to parquet`) and checked by the dask engine alone; its violations are "
        "compared with the sample's answer key.\n",
        "| deals | pandas wall s / peak MB | dataset wall s / peak MB | dask wall s | dask client peak MB | "
        "workers peak MB | spilled MB | judged on the whole data | results equal | series |",
        "|---|---|---|---|---|---|---|---|---|---|", *rows, ""])


def _report_scale() -> str:
    """The HTML report's figures at scale (benchmarks/report_scale.py), when measured."""
    figures = report.ROOT / "benchmarks" / "report_results.json"
    if not figures.exists():
        return ""
    from report_scale import markdown   # here: it imports the checker, which the harness itself does not need
    return markdown(json.loads(figures.read_text("utf-8")))


def _machine(results: dict) -> str:
    lines = []
    for sid, s in sorted(results["series"].items()):
        sizes = ", ".join(f"{n:,}" for n in s["sizes"])
        loaded = s["load_before"][0] >= 0.5 or s.get("load_after", [0])[0] > s["cpus"] + 0.5
        lines.append(f"- series {sid} ({sizes} deals, {s['repeat']} repetition(s), checker {s['checker']} at "
                     f"{s['commit']}; Python {s['python']}, pandas {s['pandas']}, pyarrow {s['pyarrow']}, numpy {s['numpy']}; "
                     f"{s['cpus']} CPUs, load average {s['load_before'][0]:.1f} before and "
                     f"{s.get('load_after', [float('nan')])[0]:.1f} after"
                     + ("; **taken on a loaded machine: timings are noisy**" if loaded else "")
                     + ("" if s["profile"] else "; the checkout had no `check --profile`") + ")")
    return "\n".join(lines)


def _phases(results: dict) -> str:
    groups = list(report.measure.GROUPS) + ["total"]
    rows = []
    for n, s in results["sizes"].items():
        g = s["medians"]["full"].get("groups")
        rows.append([f"{int(n):,}"] + ([report._s(g.get(k)) for k in groups] if g else ["no profile"] + [""] * (len(groups) - 1)))
    return report._markdown(["deals"] + groups, rows)


def _ratios(results: dict) -> str:
    rows = [[f"{int(n):,}"] + [("-" if r[k] is None else f"{r[k]:g}x") for k in
                               ("full_vs_read", "full_vs_read_process", "subset_algorithm_vs_floor_compute",
                                "subset_vs_floor_process")]
            for n, r in results["ratios"].items()]
    return report._markdown(["deals", "full pack / bare read", "full pack / bare read process",
                             "engine subset algorithm / floor compute", "engine subset process / floor process"], rows)


def _growth(results: dict) -> str:
    if not results["growth"]:
        return "Growth between sizes: no two sizes ten times apart were measured in one series."
    keys = sorted({k for g in results["growth"].values() for k in g}, key=lambda k: (k != "end to end", k))
    rows = [[" to ".join(f"{int(n):,}" for n in step.split("->"))] + [("-" if g.get(k) is None else f"{g[k]:g}x") for k in keys]
            for step, g in results["growth"].items()]
    return "Growth of the full pack's time when the deals grow tenfold:\n\n" + report._markdown(["deals"] + keys, rows)


def _verdicts(results: dict) -> str:
    lines = []
    for n, s in results["sizes"].items():
        v = s["verdicts"]
        said = {True: "equal", False: "DIFFER"}
        lines.append(f"- {int(n):,} deals: full pack vs expected_violations.csv {said[v['full_equals_expected']]}; "
                     f"engine subset vs floor {said[v['subset_equals_floor']]}; "
                     f"floor vs expected (copied rules) {said[v['floor_equals_expected']]}")
    return "\n".join(lines)
