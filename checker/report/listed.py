"""Which violations report.html lists when a run has more than a page can carry.

Ten million deals give millions of findings: a page of gigabytes that no browser opens, and
more memory to build than the results themselves. A page of 300,000 findings with their deals'
time lines is about 140 MB (as a million deals' 566,002 findings made 152 MB, which a browser
opened in four seconds). Beyond the limit the page lists the most severe first: every violation of
a severity while they fit, then of the severity where the limit falls each rule's first (in
key order) in proportion to its count, so every rule of that severity keeps some. The counts
on the page (the verdict, the cards, the rule table) stay those of the whole run, and the page
says how many it lists; violations.csv and results.json hold them all, and reports split by
team (--split-by) list each team's.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..results.columns import Blocks
from .columns import fields
from .values import SEVERITIES

REPORT_FINDINGS = 300_000


def listed(violations: Sequence[Any], limit: int | None = None) -> Sequence[Any]:
    """The violations the page lists: all of them up to `limit` (REPORT_FINDINGS), else `limit`
    at most, chosen as the module says, in their order."""
    limit = REPORT_FINDINGS if limit is None else limit
    if len(violations) <= limit:
        return violations
    if isinstance(violations, Blocks):
        sizes = [(block.rule["severity"], len(block)) for block in violations.blocks]
        return Blocks([block.head(n) for block, n in zip(violations.blocks, allotted(sizes, limit))])
    read = fields(violations, ("rule_id", "severity"))
    rules = list(Counter(zip(read["rule_id"], read["severity"])).items())
    allowed = dict(zip((rule for rule, _ in rules), allotted([(rule[1], n) for rule, n in rules], limit)))
    taken: Counter = Counter()
    kept = []
    for row, rule in enumerate(zip(read["rule_id"], read["severity"])):
        if taken[rule] < allowed[rule]:
            taken[rule] += 1
            kept.append(violations[row])
    return kept


def allotted(sizes: list[tuple[str, int]], limit: int) -> list[int]:
    """How many of each rule's violations are listed, given each rule's (severity, count)."""
    out, left = [0] * len(sizes), limit
    for severity in SEVERITIES:
        members = [i for i, (s, _) in enumerate(sizes) if s == severity]
        total = sum(sizes[i][1] for i in members)
        if total <= left:
            for i in members:
                out[i] = sizes[i][1]
            left -= total
            continue
        for i in members:
            out[i] = sizes[i][1] * left // total
        break
    return out
