"""What the page shows when a reader opens one finding: the rule's criteria and remedy, and the
time line of the finding's case, worded in the report's language."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .catalogue import localized
from .evidence import Words, short_time
from .values import as_mapping

# Above this many cases the whole report leaves time lines out (they would double its size);
# the team reports of a split, being smaller, keep them.
TIMELINE_CASES = 5000


def rule_details(rule_ids: Sequence[str], rules: Sequence[Mapping[str, Any]], lang: str) -> list[list[Any]]:
    """Per rule of the page's data: [clause, clause title, clause text, remediation, rests on drafted text]."""
    by_id = {str(r.get("id") or ""): r for r in rules}
    out = []
    for rule_id in rule_ids:
        r = by_id.get(rule_id, {})
        out.append([str(r.get("clause") or ""), localized(r.get("clause_title"), lang),
                    localized(r.get("clause_text"), lang), localized(r.get("remediation"), lang),
                    r.get("clause_source") == "drafted" or r.get("clause_status") == "drafted"])
    return out


def clause_appendix(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The clause texts for print, once per clause (in the order the rules first cite them), each
    with the rules resting on it and their remedies; ``rules`` are the page's rule rows."""
    clauses: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rules:
        if not (r["clause_text"] or r["remediation"]):
            continue
        entry = clauses.setdefault((r["clause"], r["clause_text"]), {
            "clause": r["clause"], "title": r["clause_title"], "text": r["clause_text"], "rules": []})
        entry["rules"].append({"id": r["id"], "title": r["title"], "remediation": r["remediation"]})
    return list(clauses.values())


def page_timelines(results: Mapping[str, Any], cases: Sequence[str], words: Words) -> dict[str, list[list[str]]]:
    """{case: [[step step-name, time, actor]]} for the cases the page's findings name, or {} when too many."""
    wanted = sorted({case for case in cases if case})
    if len(wanted) > TIMELINE_CASES:
        return {}
    nobody = words.L["none_person"]
    return {case: [[words.step(str(step or "")), str(step or ""), short_time(str(at or "")),
                    " ".join(str(x) for x in (name, who) if x) or nobody] for step, at, who, name in events]
            for case, events in case_events(results.get("timelines"), wanted).items()}


def case_events(timelines: Any, cases: Sequence[str]) -> dict[str, list[tuple]]:
    """{case: [(step, time, actor id, actor name), ...]} of the given cases, from the results'
    time lines (columns: `cases`, `starts`, `steps`, `times`, `actors`, `actor_names`)."""
    source = as_mapping(timelines)
    columns = [source.get(name) for name in ("steps", "times", "actors", "actor_names")]
    starts, keys = source.get("starts"), source.get("cases")
    if not isinstance(keys, list) or not isinstance(starts, list) or not all(isinstance(c, list) for c in columns) \
            or len(starts) != len(keys) + 1:
        return {}
    at = {key: i for i, key in enumerate(keys)}
    out = {}
    for case in cases:
        i = at.get(case)
        if i is not None:
            begin, end = starts[i], starts[i + 1]
            out[case] = list(zip(*(column[begin:end] for column in columns)))
    return out
