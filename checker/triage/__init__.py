"""What happens to a run's results after they are built and before they are written: waivers
(`--waivers FILE`), the comparison with a baseline run (`--baseline results.json`) and the trend
over earlier runs (`--history DIR`).

Each step changes the results dict only, so results.json, the CSV, junit.xml and the report all
show the same triage. It may import the checker's problems, schemas and results helpers.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from ..problems import shown_path
from ..results import sha256_of
from .baseline import apply_baseline, history_files, load_results, trend
from .waivers import apply_waivers, load_waivers


def triage(results: dict, rule_ids: Iterable[str], waivers: Path | None = None, baseline: Path | None = None,
           history: Path | None = None) -> None:
    """Apply waivers, then the baseline, then the trend; each input file is listed in run.inputs."""
    read: list[tuple[Path, str]] = []
    # Triage changes records one by one (a status, a waiver): they become a list of dicts first
    # (results keep them as columns, whose records are made afresh each time they are read).
    results["violations"] = list(results["violations"])
    if waivers is not None:
        as_of = date.fromisoformat(results["run"].get("as_of_date") or results["run"]["as_of"][:10])
        apply_waivers(results, load_waivers(waivers, shown_path(waivers), rule_ids), as_of)
        read.append((waivers, "waivers"))
    if baseline is not None:
        apply_baseline(results, load_results(baseline))
        read.append((baseline, "baseline"))
    if history is not None:
        files = history_files(history)
        results["trend"] = trend(results, [load_results(path) for path in files])
        read += [(path, "history") for path in files]
    if read:
        inputs = results["run"]["inputs"] + [{"path": shown_path(p), "role": role, "sha256": sha256_of(p)}
                                             for p, role in read]
        results["run"]["inputs"] = sorted(inputs, key=lambda e: (e["role"], e["path"]))
