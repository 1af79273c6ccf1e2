"""Check findings in the formats code-review tools read: SARIF 2.1.0 (GitHub code scanning, editors)
and GitHub workflow annotations.

A violation is a fact about a record, not about a line of code, so each one is placed where a rule
pack's keeper can act on it: the line of the rule that found it (its `id:`), with the record's table,
key and fingerprint alongside (SARIF `partialFingerprints` lets code scanning follow one finding
from run to run). Waived violations stay in the SARIF log as suppressed results.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..problems import escape_data, escape_property
from . import listed as listing

# SARIF knows error / warning / note; GitHub annotations error / warning / notice.
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_ANNOTATION = {"error": "error", "warning": "warning", "note": "notice"}
FINGERPRINT = "checkerFinding/v1"
# GitHub code scanning rejects a run of more results than this (and shows the most severe 5,000).
SARIF_RESULTS = 25_000

Locations = Mapping[str, tuple[int, int]]   # rule id -> (line, col) of its `id:` in its file


def sarif_log(results: Mapping[str, Any], locations: Locations, lang: str) -> dict:
    """The SARIF 2.1.0 log of a run's open and waived violations: at most SARIF_RESULTS of them,
    chosen as report.html chooses the violations it lists (listed.py), the open ones first; a
    log that leaves some out says so in its invocation's notifications."""
    rules = list(results["rules"])
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    by_id = {rule["id"]: rule for rule in rules}
    open_ones, waived_ones = results["violations"], results.get("waived", [])
    shown = listing.listed(open_ones, SARIF_RESULTS)
    shown_waived = waived_ones[:SARIF_RESULTS - len(shown)]
    found = [_result(v, by_id[v["rule_id"]], index[v["rule_id"]], locations, lang) for v in shown]
    waived = [{**_result(v, by_id[v["rule_id"]], index[v["rule_id"]], locations, lang),
               "suppressions": [_suppression(v.get("waiver") or {})]} for v in shown_waived]
    run = {
        "tool": {"driver": {"name": "checker", "version": str(results["run"].get("tool_version", "")),
                            "rules": [_descriptor(rule, lang) for rule in rules]}},
        "columnKind": "unicodeCodePoints",
        "results": found + waived,
    }
    left_out = len(open_ones) + len(waived_ones) - len(found) - len(waived)
    if left_out:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [{"level": "note", "message": {
            "text": f"{len(found)} of {len(open_ones)} violations and {len(waived)} of {len(waived_ones)} waived ones "
                    f"are in this log ({SARIF_RESULTS:,} at most, the most severe first); all of them are in "
                    "results.json and violations.csv"}}]}]
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}


def sarif_text(results: Mapping[str, Any], locations: Locations, lang: str) -> str:
    return json.dumps(sarif_log(results, locations, lang), ensure_ascii=False, indent=2) + "\n"


def github_annotations(results: Mapping[str, Any], locations: Locations, lang: str) -> str:
    """One workflow command per open violation, e.g.
    `::error file=rules/x.yaml,line=12,col=5,title=APPR-001 high::D1: message`."""
    by_id = {rule["id"]: rule for rule in results["rules"]}
    lines = []
    for v in results["violations"]:
        rule = by_id[v["rule_id"]]
        line, col = locations.get(rule["id"], (1, 1))
        props = {"file": rule["file"], "line": str(line), "col": str(col), "title": f"{rule['id']} {v['severity']}"}
        shown = ",".join(f"{name}={escape_property(value)}" for name, value in props.items())
        lines.append(f"::{_ANNOTATION[level_of(v['severity'])]} {shown}::{escape_data(_message(v, lang))}")
    return "".join(line + "\n" for line in lines)


def level_of(severity: str) -> str:
    return _SARIF_LEVEL.get(severity, "warning")


def _message(v: Mapping[str, Any], lang: str) -> str:
    return f"{v['table']} {v['key']}: {v['message'][lang]}"


def _result(v: Mapping[str, Any], rule: Mapping[str, Any], rule_index: int, locations: Locations, lang: str) -> dict:
    line, col = locations.get(rule["id"], (1, 1))
    return {
        "ruleId": rule["id"],
        "ruleIndex": rule_index,
        "level": level_of(v["severity"]),
        "message": {"text": _message(v, lang)},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": _uri(rule["file"])},
                                 "region": {"startLine": line, "startColumn": col}},
            "logicalLocations": [{"name": str(v["key"]), "fullyQualifiedName": f"{v['table']}/{v['key']}",
                                  "kind": "object"}],
        }],
        "partialFingerprints": {FINGERPRINT: v["fingerprint"]},
        "properties": {name: v.get(name) for name in
                       ("table", "key", "severity", "clause", "status", "owner_id", "supervisor_id")},
    }


def _descriptor(rule: Mapping[str, Any], lang: str) -> dict:
    descriptor = {
        "id": rule["id"],
        "shortDescription": {"text": rule["title"][lang]},
        "defaultConfiguration": {"level": level_of(rule["severity"])},
        "properties": {"severity": rule["severity"], "clause": rule["clause"], "kind": rule["kind"],
                       "applies_to": rule["applies_to"]},
    }
    if rule.get("clause_text"):
        descriptor["fullDescription"] = {"text": rule["clause_text"][lang]}
    if rule.get("remediation"):
        descriptor["help"] = {"text": rule["remediation"][lang]}
    return descriptor


def _suppression(waiver: Mapping[str, Any]) -> dict:
    return {"kind": "external", "status": "accepted",
            "justification": f"{waiver.get('reason', '')} (approved by {waiver.get('approved_by', '')}, "
                             f"until {waiver.get('expires', '')})"}


def _uri(path: str) -> str:
    """A relative URI reference for a shown path: '/' separated, anything else percent-encoded."""
    return quote(path.replace("\\", "/"), safe="/")
