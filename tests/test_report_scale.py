"""The HTML report of a very large run: every count still right, every violation in the page, the order kept."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.report.html import render_html
from checker.report.view import FIRST_PER_RULE
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
    total = r'<td class="num total"><a href="[^"]*">(\d+)</a></td>'
    group_totals = numbers(r'<tr class="group"[^>]*>.*?' + total, owners.replace("\n", " "))
    member_totals = numbers(r'<tr class="member">.*?' + total, owners.replace("\n", " "))
    assert len(group_totals) == len(SUPERVISORS) and sum(group_totals) == N
    assert len(member_totals) == len(OWNERS) and sum(member_totals) == N


def embedded(page: str) -> dict[str, Any]:
    start = page.index('<script type="application/json" id="report-findings">')
    return json.loads(page[start:page.index("</script>", start)].split(">", 1)[1])


def test_the_page_holds_every_violation_in_report_order(page: str, big: dict[str, Any]) -> None:
    rank = {sev: i for i, sev in enumerate(("critical", "high", "medium", "low", "info"))}
    expected = sorted(big["violations"], key=lambda v: (rank[v["severity"]], v["rule_id"], v["key"]))
    data = embedded(page)
    assert data["key"] == [v["key"] for v in expected]
    assert [data["rules"][code][0] for code in data["rule"]] == [v["rule_id"] for v in expected]
    assert [data["people"][code][0] for code in data["sup"]] == [v["supervisor_id"] for v in expected]


def test_the_filters_count_every_violation(page: str) -> None:
    counts = numbers(r'<option value="[^"]+">[^<]* \((\d+)\)</option>', section(page, "violations"))
    # Five filters (severity, rule, supervisor, owner, status), each splitting all violations.
    assert sum(counts) == 5 * N
    assert f'<option value="{SUPERVISORS[0][0]}">{SUPERVISORS[0][1]} {SUPERVISORS[0][0]} (' in page


def test_without_script_each_rule_shows_its_first_findings(page: str) -> None:
    assert page.count('<tr class="vrow"') == RULE_COUNT * FIRST_PER_RULE
    assert page.count(f"显示前 {FIRST_PER_RULE} 条，共 7,692 条") == RULE_COUNT - 4


def test_the_scale_benchmark_measures_a_report_in_the_browser(tmp_path, capsys) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium not found: apt-get install chromium to run the browser benchmark")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import report_scale

    out = tmp_path / "report_results.json"
    assert report_scale.main(["--findings", "300", "--repeat", "1", "--markdown", "--out", str(out)]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    size = record["sizes"][0]
    assert size["findings"] == 300 and size["bytes"] > 0 and size["load_s"] > 0
    assert set(size["steps_ms"]) == {name for name, *_ in report_scale.STEPS}
    assert "| 300 |" in capsys.readouterr().out

