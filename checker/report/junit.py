"""junit.xml: one test suite per rule and one failing test case per violation, so CI lists each
finding; a rule without violations has one passing case, a waived violation is a skipped case.

The markup is written as text from whole columns (arrow's string kernels escape and join
them), so a run with hundreds of thousands of findings costs no element tree and no Python
call per finding."""
from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ..load.buffers import text_buffers
from ..results.columns import text_column
from ..results.jsoncells import joined_lines
from .jsontext import each_encoded

# Characters XML 1.0 cannot hold at all (control characters other than tab, line feed and return).
_NOT_XML = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x{fffe}\\x{ffff}]"
_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE = (*_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#09;"))


def escaped_column(text: pa.Array, attribute: bool = True) -> pa.Array:
    """Each cell as XML text (attribute values also escape quotes and line breaks); characters
    XML cannot hold become U+FFFD."""
    if _may_hold_non_xml(text):
        text = pc.replace_substring_regex(text, _NOT_XML, "\ufffd")
    for char, entity in _ATTRIBUTE if attribute else _TEXT:
        text = pc.replace_substring(text, char, entity)
    return text


def _may_hold_non_xml(text: pa.Array) -> bool:
    offsets, data = text_buffers(text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text)
    cells = data[offsets[0]:offsets[-1]]
    control = (cells < 0x20) & (cells != 0x09) & (cells != 0x0A) & (cells != 0x0D)
    return bool(control.any()) or b"\xef\xbf\xbe" in cells.tobytes() or b"\xef\xbf\xbf" in cells.tobytes()


def escaped(cells: list[str], attribute: bool = True) -> list[str]:
    return escaped_column(pa.array(cells, pa.string()), attribute).to_pylist() if cells else []


def junit_xml(results: dict) -> Iterator[bytes]:
    """The file's UTF-8 text in pieces, as write_atomic writes them."""
    return (piece.encode() if isinstance(piece, str) else piece for piece in _pieces(results))


def _pieces(results: dict) -> Iterator[str | bytes]:
    found = _columns_by_rule(results["violations"])
    waived: dict[str, list[dict]] = {}
    for v in results.get("waived", []):
        waived.setdefault(v["rule_id"], []).append(v)
    yield '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n'
    for rule in results["rules"]:
        yield from _rule_suite(rule, found.get(rule["id"]), waived.get(rule["id"], []))
    if results.get("waiver_findings"):
        yield from _waiver_suite(results["waiver_findings"])
    yield "</testsuites>\n"


def _columns_by_rule(violations) -> dict[str, dict[str, pa.Array]]:
    """Per rule, the columns its test cases show: from the blocks of columns results keep
    violations in or, for a list of records (results changed by triage), from the records."""
    if hasattr(violations, "blocks"):
        return {block.rule["rule_id"]: block.flat_columns() for block in violations.blocks}
    by_rule: dict[str, list[dict]] = {}
    for v in violations:
        by_rule.setdefault(v["rule_id"], []).append(v)
    return {rule_id: {"key": text_column([str(v["key"]) for v in vs]),
                      "message_en": text_column([v["message"]["en"] for v in vs]),
                      "fingerprint": text_column([v["fingerprint"] for v in vs]),
                      "evidence": text_column(each_encoded([v["evidence"] for v in vs], sort_keys=True))}
            for rule_id, vs in by_rule.items()}


def _suite_start(name: str, tests: int, failures: int, skipped: int) -> str:
    return f'<testsuite name="{escaped([name])[0]}" tests="{tests}" failures="{failures}" errors="0" ' \
           f'skipped="{skipped}">\n'


def _rule_suite(rule: dict, violations: dict[str, pa.Array] | None, waived: list[dict]) -> Iterator[str | bytes]:
    classname = escaped([f"rules.{rule['applies_to']}.{rule['id']}"])[0]
    title = f"{rule['id']} {rule['title']['en']}"
    failures = len(violations["key"]) if violations else 0
    yield _suite_start(title, failures + len(waived) or 1, failures, len(waived))
    if failures:
        severity = escaped([rule["severity"]])[0]
        details = escaped_column(joined_lines([f"clause {rule['clause']}; fingerprint ", violations["fingerprint"],
                                               "; evidence ", violations["evidence"]]), False)
        cases = joined_lines([f'<testcase classname="{classname}" name="', escaped_column(violations["key"]),
                              f'"><failure type="{severity}" message="', escaped_column(violations["message_en"]),
                              '">', details, "</failure></testcase>\n"])
        offsets, data = text_buffers(cases)
        yield data[offsets[0]:offsets[-1]].tobytes()
    waivers = [v.get("waiver") or {} for v in waived]
    notes = escaped([f"waived by {w.get('approved_by', '')}: {w.get('reason', '')}" for w in waivers])
    yield "".join(f'<testcase classname="{classname}" name="{key}"><skipped message="{note}" /></testcase>\n'
                  for key, note in zip(escaped([str(v["key"]) for v in waived]), notes))
    if not failures and not waived:
        yield f'<testcase classname="{classname}" name="{escaped([title])[0]}" />\n'
    yield "</testsuite>\n"


def _waiver_suite(findings: list[dict]) -> Iterator[str]:
    """Expired waivers and waivers that match nothing fail, so CI shows a waivers file going stale."""
    yield _suite_start("waivers", len(findings), len(findings), 0)
    for f in findings:
        classname, key, kind, message = escaped([f"waivers.{f['rule_id']}", str(f["key"]), f["kind"],
                                                 f["message"]["en"]])
        where = escaped([f"{f['file']}:{f['line']}"], False)[0]
        yield f'<testcase classname="{classname}" name="{key}"><failure type="{kind}" message="{message}">' \
              f'{where}</failure></testcase>\n'
    yield "</testsuite>\n"
