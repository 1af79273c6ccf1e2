"""Writing report files: atomically, only inside the output folder, deterministic bytes."""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator
from xml.etree import ElementTree as ET

from .jsontext import compact, each_encoded, indented, records_joined

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_atomic(folder: Path, name: str, text: str | Iterable[str]) -> Path:
    """Write folder/name via a temporary file and a rename, so readers never see half a file.
    The text may come in pieces, so a large report is never held whole in memory."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"report name {name!r} must be a plain file name")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); a report is meant to be shared like any file the user writes.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def results_json_pieces(results: dict) -> Iterator[str]:
    """The results document: indented at the top, one line per record in the long lists
    (violations, not-evaluable records, findings) and per entry in the long mappings (time
    lines), so a diff or a grep shows whole records."""
    yield "{"
    for i, (name, value) in enumerate(results.items()):
        yield ("," if i else "") + f"\n  {compact(name)}: "
        if isinstance(value, list) and value and isinstance(value[0], dict) and value[0]:
            yield "[\n    "
            for start in range(0, len(value), _RECORDS_PER_PIECE):
                yield (",\n    " if start else "") + records_joined(value[start:start + _RECORDS_PER_PIECE], ",\n    ")
            yield "\n  ]"
        elif isinstance(value, dict) and len(value) > _RECORDS_PER_PIECE:
            yield "{\n    " + ",\n    ".join(compact(k) + ": " + compact(v) for k, v in value.items()) + "\n  }"
        else:
            yield indented(value).replace("\n", "\n  ")
    yield "\n}\n"


_RECORDS_PER_PIECE = 10_000


def neutralise(cell: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


_PLAIN_COLUMNS = {"rule_id", "severity", "clause", "table", "key", "owner_id", "owner_name", "supervisor_id",
                  "supervisor_name", "status", "fingerprint"}
VIOLATION_COLUMNS = ["rule_id", "severity", "clause", "table", "key", "owner_id", "owner_name", "supervisor_id",
                     "supervisor_name", "message_zh", "message_en", "evidence", "status", "fingerprint"]


def _neutralised(values: list) -> list:
    """A column's cells with None as empty and formula-like text neutralised. A search of the
    joined column for a line starting like a formula tells whether any cell needs it, so a
    clean column costs no call per cell."""
    texts = ["" if x is None else str(x) for x in values]
    joined = "\n" + "\n".join(texts)
    if not any("\n" + start in joined for start in _FORMULA_START):
        return texts
    return [("'" + x) if x.startswith(_FORMULA_START) else x for x in texts]


def violations_csv_pieces(results: dict) -> Iterator[str]:
    violations = results["violations"]
    columns = {c: [v.get(c) for v in violations] for c in VIOLATION_COLUMNS if c in _PLAIN_COLUMNS}
    columns["message_zh"] = [v["message"]["zh"] for v in violations]
    columns["message_en"] = [v["message"]["en"] for v in violations]
    columns["evidence"] = each_encoded([v["evidence"] for v in violations], sort_keys=True)
    rows = list(zip(*(_neutralised(columns[c]) for c in VIOLATION_COLUMNS)))
    yield "\ufeff"  # Excel opens UTF-8 Chinese text correctly only with a BOM
    for start in range(0, max(len(rows), 1), _RECORDS_PER_PIECE):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if not start:
            writer.writerow(VIOLATION_COLUMNS)
        writer.writerows(rows[start:start + _RECORDS_PER_PIECE])
        yield buffer.getvalue()


def junit_xml(results: dict) -> str:
    """One test suite per rule and one failing test case per violation, so CI lists each finding;
    a rule without violations has one passing case, a waived violation is a skipped case."""
    found: dict[str, list[dict]] = {rule["id"]: [] for rule in results["rules"]}
    for v in results["violations"]:
        found.setdefault(v["rule_id"], []).append(v)
    waived: dict[str, list[dict]] = {}
    for v in results.get("waived", []):
        waived.setdefault(v["rule_id"], []).append(v)
    root = ET.Element("testsuites")
    for rule in results["rules"]:
        root.append(_rule_suite(rule, found[rule["id"]], waived.get(rule["id"], [])))
    if results.get("waiver_findings"):
        root.append(_waiver_suite(results["waiver_findings"]))
    # One line per test case, without ET.indent's pass over every element of a large run.
    root.text = "\n"
    for element in root.iter():
        if element.tag in ("testsuite", "testcase"):
            element.tail = "\n"
        if element.tag == "testsuite":
            element.text = "\n"
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _rule_suite(rule: dict, violations: list[dict], waived: list[dict]) -> ET.Element:
    classname = f"rules.{rule['applies_to']}.{rule['id']}"
    tests = len(violations) + len(waived) or 1
    suite = ET.Element("testsuite", name=f"{rule['id']} {rule['title']['en']}", tests=str(tests),
                       failures=str(len(violations)), errors="0", skipped=str(len(waived)))
    for v in violations:
        case = ET.SubElement(suite, "testcase", classname=classname, name=str(v["key"]))
        failure = ET.SubElement(case, "failure", type=rule["severity"], message=v["message"]["en"])
        failure.text = f"clause {rule['clause']}; fingerprint {v['fingerprint']}; evidence " \
                       + compact(v["evidence"], sort_keys=True)
    for v in waived:
        case = ET.SubElement(suite, "testcase", classname=classname, name=str(v["key"]))
        waiver = v.get("waiver") or {}
        ET.SubElement(case, "skipped", message=f"waived by {waiver.get('approved_by', '')}: {waiver.get('reason', '')}")
    if not violations and not waived:
        ET.SubElement(suite, "testcase", classname=classname, name=f"{rule['id']} {rule['title']['en']}")
    return suite


def _waiver_suite(findings: list[dict]) -> ET.Element:
    """Expired waivers and waivers that match nothing fail, so CI shows a waivers file going stale."""
    suite = ET.Element("testsuite", name="waivers", tests=str(len(findings)), failures=str(len(findings)),
                       errors="0", skipped="0")
    for f in findings:
        case = ET.SubElement(suite, "testcase", classname=f"waivers.{f['rule_id']}", name=str(f["key"]))
        ET.SubElement(case, "failure", type=f["kind"], message=f["message"]["en"]).text = f"{f['file']}:{f['line']}"
    return suite
