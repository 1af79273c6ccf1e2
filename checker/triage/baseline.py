"""Earlier runs: a baseline marks each violation new or persisting and lists the resolved ones;
a folder of earlier results gives the trend of the counts over runs.

Violations are matched by fingerprint (rule, record, what broke), so a violation that changed
its owner or its wording is still the same one, and one that broke differently is new.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..problems import Problem, UserError, shown_path
from ..schema_check import packaged_schema, schema_problems

NEW, PERSISTING, RESOLVED = "new", "persisting", "resolved"


def load_results(path: Path) -> dict[str, Any]:
    """An earlier results.json, held to the published contract; UserError naming the file otherwise."""
    shown = shown_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read '{shown}': {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        raise UserError([Problem(shown, line, col, "not a results.json written by `checker check` "
                                 f"({exc.msg if isinstance(exc, json.JSONDecodeError) else 'not UTF-8'}); "
                                 "pass the results.json of an earlier run")]) from None
    problems = schema_problems(data, packaged_schema("results"), shown)
    if problems:
        raise UserError(problems[:10])
    return data


def apply_baseline(results: dict, baseline: dict) -> None:
    """Status new or persisting on each open violation; `resolved`: the baseline's violations gone since."""
    before = {v["fingerprint"] for v in baseline["violations"] + baseline["waived"]}
    now = set()
    for v in results["violations"]:
        v["status"] = PERSISTING if v["fingerprint"] in before else NEW
        now.add(v["fingerprint"])
    now.update(v["fingerprint"] for v in results["waived"])
    results["resolved"] = [{**v, "status": RESOLVED} for v in baseline["violations"] + baseline["waived"]
                           if v["fingerprint"] not in now]
    counts = {NEW: 0, PERSISTING: 0}
    for v in results["violations"]:
        counts[v["status"]] += 1
    results["summary"].update(new=counts[NEW], persisting=counts[PERSISTING], resolved=len(results["resolved"]))


def trend(results: dict, earlier: list[dict]) -> list[dict[str, Any]]:
    """Per run, oldest first and this run last: the as-of day and the open counts, by severity and by rule."""
    runs = sorted(earlier, key=lambda r: r["run"]["as_of"]) + [results]
    return [{"as_of": r["run"]["as_of"], "violations": r["summary"]["violations"],
             "by_severity": dict(r["summary"]["by_severity"]), "waived": r["summary"].get("waived", 0),
             "rules": {rule["id"]: rule["violations"] for rule in r["rules"]}}
            for r in runs]


def history_files(folder: Path) -> list[Path]:
    """The results files of earlier runs in a folder: *.json at its top and */results.json below it."""
    if not folder.is_dir():
        raise UserError(f"history folder '{folder}' not found; pass a folder of earlier results.json files")
    return sorted({*folder.glob("*.json"), *folder.glob("*/results.json")})
