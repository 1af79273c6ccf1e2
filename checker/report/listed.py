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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

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
    # Records (a results.json read back): each rule's first, by their rank within their rule.
    read = pd.DataFrame(fields(violations, ("rule_id", "severity")))
    rule = read.groupby(["rule_id", "severity"], sort=False, dropna=False)
    sizes = rule.size()
    allowed = pd.Series(allotted([(severity, n) for (_, severity), n in sizes.items()], limit), index=sizes.index)
    keep = rule.cumcount().to_numpy() < allowed.reindex(pd.MultiIndex.from_frame(read)).to_numpy()
    return [violations[row] for row in np.flatnonzero(keep).tolist()]


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
