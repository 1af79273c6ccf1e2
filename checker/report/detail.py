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


def page_timelines(results: Mapping[str, Any], cases: Sequence[str], words: Words) -> dict[str, list[list[str]]]:
    """{case: [[step step-name, time, actor]]} for the cases the page's findings name, or {} when too many."""
    wanted = sorted({case for case in cases if case})
    if len(wanted) > TIMELINE_CASES:
        return {}
    source = as_mapping(results.get("timelines"))
    nobody = words.L["none_person"]
    out = {}
    for case in wanted:
        events = source.get(case)
        if isinstance(events, list):
            out[case] = [[words.step(str(e[0] or "")), str(e[0] or ""), short_time(str(e[1] or "")),
                          " ".join(str(x) for x in (e[3], e[2]) if x) or nobody]
                         for e in events if isinstance(e, list) and len(e) >= 4]
    return out
