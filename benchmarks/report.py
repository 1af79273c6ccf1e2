"""Medians, ratios and targets of a benchmark series; benchmarks/results.json and README.md.

results.json keeps every size ever measured: a run replaces the sizes it measured and keeps
the others (each size names the series it comes from), so the README always shows the last
figures of every size. Ratios between sizes are only computed within one series."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import measure

ROOT = measure.ROOT
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "benchmarks" / "README.md"
SIZES = (10_000, 100_000, 1_000_000)        # the sizes the targets speak of
BIG, MID = 1_000_000, 100_000
E2E_LIMIT, E2E_AIM, RSS_LIMIT_MB, GROWTH_LIMIT, SUBSET_LIMIT = 5.0, 3.0, 2.5 * 1024, 11.0, 1.5


def series_info(sizes: list[int], repeat: int, profile: bool) -> dict:
    import numpy, pandas, pyarrow  # noqa: E401  (versions for the record)
    version = subprocess.run([sys.executable, "-m", "checker.cli", "--version"], cwd=ROOT, capture_output=True,
                             text=True).stdout.strip().removeprefix("checker ")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--", "checker", "rules", "policy"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip())
    return {"id": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sizes": sizes, "repeat": repeat, "profile": profile, "cpus": os.cpu_count(),
            "load_before": list(os.getloadavg()), "checker": version, "commit": commit + ("+changes" if dirty else ""),
            "python": platform.python_version(), "pandas": pandas.__version__, "pyarrow": pyarrow.__version__,
            "numpy": numpy.__version__}


# --- figures --------------------------------------------------------------------------------

def medians(runs: list[dict]) -> dict:
    """Median of every number present in every run (nested dicts such as phases included)."""
    out: dict = {}
    for key in runs[0]:
        values = [r.get(key) for r in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            out[key] = round(statistics.median(values), 3)
        elif all(isinstance(v, dict) for v in values):
            inner = [{k: (f["seconds"] if isinstance(f, dict) else f) for k, f in v.items()} for v in values]
            common = [k for k in inner[0] if all(k in i for i in inner)]
            out[key] = {k: round(statistics.median(i[k] for i in inner), 3) for k in common}
    return out


def record(series: dict, runs: dict[int, dict[str, list]], checks: dict[int, list[dict]],
           exports: dict[int, Path]) -> dict:
    """Merge this series into results.json, recompute ratios and targets, rewrite the README."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    results.setdefault("series", {})[series["id"]] = series
    sizes = results.setdefault("sizes", {})
    for n, by_measurement in runs.items():
        med = {name: medians(values) for name, values in by_measurement.items() if values}
        sizes[str(n)] = {
            "deals": n, "series": series["id"], "export": str(exports[n].relative_to(ROOT)),
            "events": med["floor"].get("events"), "input_rows": med["read"].get("rows"),
            "runs": by_measurement, "medians": med, "checks": checks[n],
            "verdicts": {"subset_equals_floor": not any(c["subset_violations"] or c["subset_not_evaluable"] for c in checks[n]),
                         "floor_equals_expected": not any(c["floor_vs_expected"] for c in checks[n]),
                         "full_equals_expected": not any(c["full_vs_expected"] for c in checks[n])},
        }
    results["sizes"] = dict(sorted(sizes.items(), key=lambda kv: int(kv[0])))
    used = {s["series"] for s in results["sizes"].values()}
    results["series"] = {k: v for k, v in results["series"].items() if k in used}
    results["ratios"] = {n: ratios(s["medians"]) for n, s in results["sizes"].items()}
    results["growth"] = growth(results["sizes"])
    results["targets"] = targets(results)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    from readme import readme        # here, not at the top: readme.py uses this module's tables
    README.write_text(readme(results), encoding="utf-8")
    return results


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def ratios(med: dict) -> dict:
    full, read, floor, subset = med.get("full", {}), med.get("read", {}), med.get("floor", {}), med.get("subset", {})
    return {"full_vs_read": _ratio(full.get("wall_s"), read.get("read_s")),
            "full_vs_read_process": _ratio(full.get("wall_s"), read.get("wall_s")),
            "subset_algorithm_vs_floor_compute": _ratio(subset.get("algorithm_s"), floor.get("compute_s")),
            "subset_vs_floor_process": _ratio(subset.get("wall_s"), floor.get("wall_s"))}


def growth(sizes: dict) -> dict:
    """Per full-pack phase group (and end to end), how much it grew from each size to the next
    one ten times bigger, when both come from the same series."""
    out = {}
    for small, big in ((10_000, 100_000), (MID, BIG)):
        a, b = sizes.get(str(small)), sizes.get(str(big))
        if not a or not b or a["series"] != b["series"]:
            continue
        fa, fb = a["medians"]["full"], b["medians"]["full"]
        figures = {"end to end": _ratio(fb["wall_s"], fa["wall_s"])}
        for group, seconds in fb.get("groups", {}).items():
            figures[group] = _ratio(seconds, fa.get("groups", {}).get(group))
        out[f"{small}->{big}"] = figures
    return out


def _limit_line(value: float | None, limit: float, unit: str, what: str) -> dict:
    if value is None:
        return {"status": "not measured", "value": None, "line": f"not measured ({what})"}
    if value <= limit:
        return {"status": "met", "value": value,
                "line": f"met: {value:g}{unit} against <= {limit:g}{unit} ({(1 - value / limit) * 100:.0f}% under the limit)"}
    return {"status": "missed", "value": value,
            "line": f"MISSED: {value:g}{unit} against <= {limit:g}{unit} ({(value / limit - 1) * 100:.0f}% over the limit)"}


def targets(results: dict) -> dict:
    sizes, ratio = results["sizes"], results["ratios"]
    big = sizes.get(str(BIG))
    out = {}
    e2e = _limit_line(ratio.get(str(BIG), {}).get("full_vs_read"), E2E_LIMIT, "x", "1M deals not measured")
    if e2e["value"] is not None:
        e2e["line"] += "; aim 3x " + ("reached" if e2e["value"] <= E2E_AIM else "not reached")
    out["1M full pack end to end <= 5x bare pyarrow read (aim 3x)"] = e2e
    rss = round(big["medians"]["full"]["peak_mb"] / 1024, 2) if big else None
    out["peak RSS at 1M <= 2.5 GiB"] = _limit_line(rss, RSS_LIMIT_MB / 1024, " GiB", "1M deals not measured")
    step = results["growth"].get(f"{MID}->{BIG}")
    if step and len(step) > 1:
        worst = max((v, k) for k, v in step.items() if v is not None)
        line = _limit_line(worst[0], GROWTH_LIMIT, "x", "")
        line["line"] += f" (worst: {worst[1]})"
    else:
        why = "100k and 1M not measured in one series" if not step else "no --profile phases"
        line = _limit_line(None, GROWTH_LIMIT, "x", why)
    out["every phase grows <= 11x from 100k to 1M deals"] = line
    with_algo = [n for n, r in ratio.items() if r.get("subset_algorithm_vs_floor_compute") is not None]
    if with_algo:
        at = max(with_algo, key=int)
        line = _limit_line(ratio[at]["subset_algorithm_vs_floor_compute"], SUBSET_LIMIT, "x", "")
        line["line"] += f" (at {int(at):,} deals, the largest size measured)"
    else:
        line = _limit_line(None, SUBSET_LIMIT, "x", "needs `checker check --profile`")
    out["engine on the subset <= 1.5x the hand-written pandas floor (algorithm only)"] = line
    judged = {n: sizes[str(n)]["verdicts"] for n in SIZES if str(n) in sizes}
    bad = [f"{n:,}" for n, v in judged.items() if not v["full_equals_expected"]]
    missing = [f"{n:,}" for n in SIZES if n not in judged]
    status = "missed" if bad else ("not measured" if missing else "met")
    text = {"met": "met: equal at 10k, 100k and 1M deals", "missed": f"MISSED: results differ at {', '.join(bad)} deals",
            "not measured": f"equal where measured; not measured at {', '.join(missing)} deals"}[status]
    out["verdicts unchanged: results equal expected_violations.csv at 10k, 100k and 1M"] = {"status": status, "line": text}
    return out


# --- output ---------------------------------------------------------------------------------

def _s(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def size_rows(results: dict) -> list[list[str]]:
    rows = []
    for n in SIZES + tuple(int(k) for k in results["sizes"] if int(k) not in SIZES):
        s = results["sizes"].get(str(n))
        if s is None:
            rows.append([f"{n:,}"] + ["not measured"] + [""] * 8)
            continue
        m = s["medians"]
        rows.append([f"{n:,}", f"{s['events']:,}" if s.get("events") else "-",
                     _s(m["read"].get("read_s")), f"{_s(m['floor'].get('read_s'))} + {_s(m['floor'].get('prepare_s'))}",
                     _s(m["floor"].get("compute_s"), 3), _s(m["subset"].get("algorithm_s"), 3), _s(m["subset"]["wall_s"]),
                     _s(m["full"]["wall_s"]),
                     " / ".join(_mb(m[k]["peak_mb"]) for k in ("read", "floor", "subset", "full")),
                     s["series"]])
    return rows


HEAD = ["deals", "events of deals", "bare read s", "floor read+prepare s", "floor compute s", "engine subset algorithm s",
        "engine subset wall s", "full pack wall s", "peak MB read / floor / subset / full", "series"]


def _markdown(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def text_table(results: dict, sizes: list[int]) -> str:
    rows = [r for r in size_rows(results) if int(r[0].replace(",", "")) in sizes]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEAD)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEAD, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines += ["", *(f"{name}: {t['line']}" for name, t in results["targets"].items())]
    return "\n".join(lines)
