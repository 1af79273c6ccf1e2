"""The HTML report of a very large run: every count still right, the table capped, the order kept."""
from __future__ import annotations

import re
from typing import Any

import pytest

from checker.report.html import render_html
from checker.report.view import MAX_VIOLATION_ROWS
from synthetic_results import OWNERS, RULE_COUNT, SUPERVISORS, synthetic_results

N = 100_000


@pytest.fixture(scope="module")
def big() -> dict[str, Any]:
    return synthetic_results(N)


@pytest.fixture(scope="module")
def page(big: dict[str, Any]) -> str:
    return render_html(big, "zh")


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}"')
    return html[start:html.index("</section>", start)]


def numbers(pattern: str, html: str) -> list[int]:
    return [int(n) for n in re.findall(pattern, html)]


def test_the_page_counts_every_violation(page: str, big: dict[str, Any]) -> None:
    assert numbers(r'<h2>违规明细 <span class="count">(\d+)</span>', page) == [N]
    assert sum(numbers(r'<div class="card sev[^"]*">\s*<div class="label">[^<]*</div>\s*<div class="num">(\d+)</div>',
                       page)) == N
    assert f"发现 {N} 项违规，涉及 {RULE_COUNT} / {RULE_COUNT} 条规则" in page


def test_the_owner_table_adds_up(page: str) -> None:
    owners = section(page, "owners")
    group_totals = numbers(r'<tr class="group"[^>]*>.*?<td class="num total">(\d+)</td>', owners.replace("\n", " "))
    member_totals = numbers(r'<tr class="member">.*?<td class="num total">(\d+)</td>', owners.replace("\n", " "))
    assert len(group_totals) == len(SUPERVISORS) and sum(group_totals) == N
    assert len(member_totals) == len(OWNERS) and sum(member_totals) == N


def test_the_table_is_capped_with_a_note(page: str) -> None:
    assert page.count('<tr class="vrow"') == MAX_VIOLATION_ROWS
    more = N - MAX_VIOLATION_ROWS
    assert f"此处仅显示前 {MAX_VIOLATION_ROWS} 条违规，另有 {more} 条未显示" in page
    assert f"显示 {MAX_VIOLATION_ROWS} / {MAX_VIOLATION_ROWS} 条" in page


def test_the_rows_shown_are_the_first_in_report_order(page: str, big: dict[str, Any]) -> None:
    rank = {sev: i for i, sev in enumerate(("critical", "high", "medium", "low", "info"))}
    expected = sorted(big["violations"], key=lambda v: (rank[v["severity"]], v["rule_id"], v["key"]))
    shown = re.findall(r'<td class="key">([^<]*)<span class="tbl">', section(page, "violations"))
    assert shown == [v["key"] for v in expected[:MAX_VIOLATION_ROWS]]


def test_the_filters_count_the_rows_shown(page: str) -> None:
    counts = numbers(r'<option value="[^"]+">[^<]* \((\d+)\)</option>', section(page, "violations"))
    # Three filters (severity, supervisor, rule), each splitting the same rows.
    assert sum(counts) == 3 * MAX_VIOLATION_ROWS
