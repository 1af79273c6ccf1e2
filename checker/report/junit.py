"""junit.xml: one test suite per rule and one failing test case per violation, so CI lists each
finding; a rule without violations has one passing case, a waived violation is a skipped case.

The markup is written as text, each column of values escaped in one pass over all its cells,
so a run with hundreds of thousands of findings costs no element tree and no call per cell."""
from __future__ import annotations

import re
from collections.abc import Iterator

from .jsontext import each_encoded

# Characters XML 1.0 cannot hold at all (control characters other than tab, line feed and return).
_NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE = (*_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#09;"))
_CUT = "\x00"   # joins the cells of a column while it is escaped: no XML text can hold it


def escaped(cells: list[str], attribute: bool = True) -> list[str]:
    """Each cell as XML text (attribute values also escape quotes and line breaks)."""
    if not cells:
        return []
    joined = _NOT_XML.sub("\ufffd", _CUT.join(cells))
    if joined.count(_CUT) != len(cells) - 1:
        return [escaped([c.replace(_CUT, "\ufffd")], attribute)[0] for c in cells]
    for char, entity in _ATTRIBUTE if attribute else _TEXT:
        joined = joined.replace(char, entity)
    return joined.split(_CUT)


def junit_xml(results: dict) -> str:
    return "".join(_pieces(results))


def _pieces(results: dict) -> Iterator[str]:
    found: dict[str, list[dict]] = {rule["id"]: [] for rule in results["rules"]}
    for v in results["violations"]:
        found.setdefault(v["rule_id"], []).append(v)
    waived: dict[str, list[dict]] = {}
    for v in results.get("waived", []):
        waived.setdefault(v["rule_id"], []).append(v)
    yield '<?xml version="1.0" encoding="utf-8"?>\n<testsuites>\n'
    for rule in results["rules"]:
        yield from _rule_suite(rule, found[rule["id"]], waived.get(rule["id"], []))
    if results.get("waiver_findings"):
        yield from _waiver_suite(results["waiver_findings"])
    yield "</testsuites>\n"


def _suite_start(name: str, tests: int, failures: int, skipped: int) -> str:
    return f'<testsuite name="{escaped([name])[0]}" tests="{tests}" failures="{failures}" errors="0" ' \
           f'skipped="{skipped}">\n'


def _rule_suite(rule: dict, violations: list[dict], waived: list[dict]) -> Iterator[str]:
    classname = escaped([f"rules.{rule['applies_to']}.{rule['id']}"])[0]
    title = f"{rule['id']} {rule['title']['en']}"
    yield _suite_start(title, len(violations) + len(waived) or 1, len(violations), len(waived))
    keys = escaped([str(v["key"]) for v in violations])
    messages = escaped([v["message"]["en"] for v in violations])
    details = escaped([f"clause {rule['clause']}; fingerprint {v['fingerprint']}; evidence {ev}" for v, ev in
                       zip(violations, each_encoded([v["evidence"] for v in violations], sort_keys=True))], False)
    severity = escaped([rule["severity"]])[0]
    yield "".join(f'<testcase classname="{classname}" name="{key}"><failure type="{severity}" message="{message}">'
                  f'{detail}</failure></testcase>\n' for key, message, detail in zip(keys, messages, details))
    waivers = [v.get("waiver") or {} for v in waived]
    notes = escaped([f"waived by {w.get('approved_by', '')}: {w.get('reason', '')}" for w in waivers])
    yield "".join(f'<testcase classname="{classname}" name="{key}"><skipped message="{note}" /></testcase>\n'
                  for key, note in zip(escaped([str(v["key"]) for v in waived]), notes))
    if not violations and not waived:
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
