"""Waivers: violations an approver has accepted until a date.

A waiver names a rule and a record key. While it holds (its `expires` day is on or after the
as-of day) the matching violation moves from `violations` to `waived`, with status "waived"
and the waiver beside it. An expired waiver, and a waiver that matches no violation, become
waiver findings: the first hides nothing any more, the second may name the wrong record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..problems import Problem, UserError, did_you_mean
from ..schema_check import load_valid

EXPIRED, UNMATCHED = "expired", "unmatched"
FINDING_TEXT = {
    EXPIRED: {"zh": "豁免已于 {expires} 到期，该违规重新计入",
              "en": "the waiver expired on {expires}; the violation counts again"},
    UNMATCHED: {"zh": "豁免未匹配任何违规（规则或记录编号可能有误）",
                "en": "the waiver matches no violation (the rule or record key may be wrong)"},
}


@dataclass(frozen=True)
class Waiver:
    rule: str
    key: str
    reason: str
    approved_by: str
    expires: date
    file: str
    line: int

    def as_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule, "key": self.key, "reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat(), "file": self.file, "line": self.line}


def load_waivers(path: Path, shown: str, rule_ids: Iterable[str]) -> list[Waiver]:
    """The waivers of a file; UserError listing every problem (schema, unknown rule) at file:line:col."""
    raw = load_valid(path, shown, "waivers")
    known = set(rule_ids)
    waivers, problems = [], []
    for i, entry in enumerate(raw["waivers"]):
        mark = raw["waivers"].item_mark(i)
        if entry["rule"] not in known:
            at = entry.value_mark("rule")
            problems.append(Problem(shown, at.line, at.col, f"waivers.{i}.rule: no rule '{entry['rule']}'"
                                    f"{did_you_mean(entry['rule'], known)}; name a rule of the pack", "unknown-rule"))
        expires = _day(entry["expires"])
        if expires is None:
            at = entry.value_mark("expires")
            problems.append(Problem(shown, at.line, at.col, f"waivers.{i}.expires: '{entry['expires']}' is not a "
                                    "real day; write the last day the waiver holds as YYYY-MM-DD", "bad-date"))
            continue
        waivers.append(Waiver(entry["rule"], entry["key"], entry["reason"].strip(), entry["approved_by"].strip(),
                              expires, shown, mark.line))
    if problems:
        raise UserError(problems)
    return waivers


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def is_waivers_file(path: Path) -> bool:
    """A YAML file with a top-level `waivers:` key: what `checker validate` checks as a waivers file."""
    if not path.is_file() or path.suffix not in (".yaml", ".yml"):
        return False
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^waivers\s*:", text, re.MULTILINE) is not None


def waiver_problems(path: Path, shown: str, rule_ids: Iterable[str]) -> list[Problem]:
    """What `checker validate` reports for a waivers file (nothing when it is valid)."""
    try:
        load_waivers(path, shown, rule_ids)
    except UserError as exc:
        return exc.problems or [Problem(shown, 1, 1, str(exc))]
    return []


def apply_waivers(results: dict, waivers: list[Waiver], as_of: date) -> None:
    """Move the violations that a holding waiver names to `waived`; record expired and unmatched waivers."""
    holding = {(w.rule, w.key): w for w in waivers if w.expires >= as_of}
    open_, waived, matched = [], [], set()
    for v in results["violations"]:
        waiver = holding.get((v["rule_id"], v["key"]))
        if waiver is None:
            open_.append(v)
            continue
        matched.add((waiver.rule, waiver.key))
        waived.append({**v, "status": "waived", "waiver": waiver.as_dict()})
    findings = [_finding(w, EXPIRED) for w in waivers if w.expires < as_of]
    findings += [_finding(w, UNMATCHED) for w in waivers if w.expires >= as_of and (w.rule, w.key) not in matched]
    results["violations"], results["waived"] = open_, results["waived"] + waived
    results["waiver_findings"] = sorted(findings, key=lambda f: (f["file"], f["line"]))
    _recount(results)


def _finding(waiver: Waiver, kind: str) -> dict[str, Any]:
    expires = waiver.expires.isoformat()
    return {"kind": kind, **waiver.as_dict(),
            "message": {lang: text.format(expires=expires) for lang, text in FINDING_TEXT[kind].items()}}


def _recount(results: dict) -> None:
    """Open counts leave the waived violations out; each rule says how many of its violations are waived
    (its violations and compliance rate still count them: the records do break the rule)."""
    summary = results["summary"]
    waived_by_rule: dict[str, int] = {}
    for v in results["waived"]:
        waived_by_rule[v["rule_id"]] = waived_by_rule.get(v["rule_id"], 0) + 1
    for rule in results["rules"]:
        rule["waived"] = waived_by_rule.get(rule["id"], 0)
    summary["by_severity"] = {sev: 0 for sev in summary["by_severity"]}
    for v in results["violations"]:
        summary["by_severity"][v["severity"]] += 1
    summary.update(violations=len(results["violations"]), waived=len(results["waived"]),
                   waiver_findings=len(results["waiver_findings"]))
