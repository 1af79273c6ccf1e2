"""Writing report files: atomically, only inside the output folder, deterministic bytes."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(folder: Path, name: str, text: str) -> Path:
    """Write folder/name via a temporary file and a rename, so readers never see half a file."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"report name {name!r} must be a plain file name")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def results_json(results: dict) -> str:
    return json.dumps(results, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def neutralise(cell: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


VIOLATION_COLUMNS = ["rule_id", "severity", "clause", "table", "key", "owner_id", "owner_name", "supervisor_id",
                     "supervisor_name", "message_zh", "message_en", "evidence", "status", "fingerprint"]


def violations_csv(results: dict) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 Chinese text correctly only with a BOM
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(VIOLATION_COLUMNS)
    for v in results["violations"]:
        row = {**v, "message_zh": v["message"]["zh"], "message_en": v["message"]["en"],
               "evidence": json.dumps(v["evidence"], ensure_ascii=False, sort_keys=True)}
        writer.writerow([neutralise("" if row.get(c) is None else row.get(c)) for c in VIOLATION_COLUMNS])
    return buffer.getvalue()


def junit_xml(results: dict) -> str:
    """One test case per rule; a rule with violations fails, listing them (capped)."""
    by_rule: dict[str, list[dict]] = {}
    for v in results["violations"]:
        by_rule.setdefault(v["rule_id"], []).append(v)
    failures = sum(1 for r in results["rules"] if r["violations"])
    suite = ET.Element("testsuite", name="compliance", tests=str(len(results["rules"])),
                       failures=str(failures), errors="0", skipped="0")
    for rule in results["rules"]:
        case = ET.SubElement(suite, "testcase", classname=f"rules.{rule['applies_to']}", name=f"{rule['id']} {rule['title']['en']}")
        found = by_rule.get(rule["id"], [])
        if found:
            failure = ET.SubElement(case, "failure", type=rule["severity"],
                                    message=f"{len(found)} violation(s) of clause {rule['clause']}")
            lines = [f"{v['key']}: {v['message']['en']}" for v in found[:200]]
            if len(found) > 200:
                lines.append(f"... and {len(found) - 200} more in violations.csv")
            failure.text = "\n".join(lines)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
