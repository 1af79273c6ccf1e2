"""The sample's report in real Chromium: counts equal results.json in both languages, filters and
deep links, sorting, the auditor's view of a finding, hostile text, printing a large report."""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from checker.report.detail import case_events
from checker.report.html import render_html
from checker.report.view import PAGE_ROWS, PRINT_ALL
from sample_runs import check_sample
from synthetic_results import synthetic_results

pytest_plugins = ("report_browser",)  # the browser and open_report fixtures
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Any]:
    return check_sample(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    """Screenshots for people to look at, kept under pytest's temporary folder (never committed)."""
    folder = tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def all_keys(page: Any) -> list[str]:
    """The keys of every matching finding: the list is drawn a page at a time, so "show more"
    is pressed until all are drawn."""
    while page.is_visible("#more"):
        page.click("#more")
    return shown_keys(page)


def shown_keys(page: Any) -> list[str]:
    return page.eval_on_selector_all("#violations-table tbody tr.vrow",
                                       "rows => rows.map(r => r.querySelector('td.key').firstChild.textContent)")


def counter(lang: str, shown: int, total: int) -> str:
    return f"显示 {shown} / {total} 条" if lang == "zh" else f"Showing {shown} of {total}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_counts_equal_results_json(open_report: Any, sample: dict[str, Any], artifacts: Path, lang: str) -> None:
    w = open_report(render_html(sample, lang), f"sample_{lang}.html")
    w.page.screenshot(path=str(artifacts / f"report_{lang}.png"), full_page=True)
    w.assert_clean()
    total = sample["summary"]["violations"]
    assert w.page.inner_text("#counter") == counter(lang, total, total)
    assert w.page.inner_text("#violations h2 .count") == str(total)
    cards = w.page.eval_on_selector_all(".card.sev .num", "cells => cells.map(c => Number(c.textContent))")
    assert cards == list(sample["summary"]["by_severity"].values())
    per_rule = w.page.eval_on_selector_all("#rules tbody tr", "rows => rows.map(r => [r.dataset.rule, "
                                                             "Number(r.querySelector('td.viol').textContent)])")
    assert per_rule == [[r["id"], r["violations"]] for r in sample["rules"]]
    assert w.page.inner_text("#not-evaluable h2 .count") == str(sample["summary"]["not_evaluable"])
    ne_counts = w.page.eval_on_selector_all("#not-evaluable tbody td.num",
                                            "cells => cells.map(c => Number(c.textContent))")
    assert sum(ne_counts) == sample["summary"]["not_evaluable"]
    assert len(shown_keys(w.page)) == min(total, PAGE_ROWS)
    assert (artifacts / f"report_{lang}.png").stat().st_size > 0


def test_a_deep_link_filters_and_the_filters_write_the_link(open_report: Any, sample: dict[str, Any]) -> None:
    html = render_html(sample, "en")
    w = open_report(html, "deep.html")
    w.page.goto(w.url + "#supervisor=E003&rule=APPR-001")
    w.page.reload()
    expected = sorted(v["key"] for v in sample["violations"]
                      if v["supervisor_id"] == "E003" and v["rule_id"] == "APPR-001")
    assert sorted(all_keys(w.page)) == expected and expected
    assert w.page.input_value("#f-supervisor") == "E003" and w.page.input_value("#f-rule") == "APPR-001"
    w.page.select_option("#f-rule", "")
    w.page.select_option("#f-severity", "medium")
    assert w.page.evaluate("location.hash") == "#severity=medium&supervisor=E003"
    expected = sorted(v["key"] for v in sample["violations"]
                      if v["supervisor_id"] == "E003" and v["severity"] == "medium")
    assert sorted(all_keys(w.page)) == expected
    # The owner table's links are deep links too.
    w.page.click("#f-reset")
    w.page.click('#owners tr.group a[href="#supervisor=E004"]')
    assert sorted(all_keys(w.page)) == sorted(v["key"] for v in sample["violations"] if v["supervisor_id"] == "E004")
    w.page.goto(w.url + "#supervisor=E999")
    assert shown_keys(w.page) == [] and w.page.is_visible("#no-match")
    # Reloading fetched the page file again; nothing else.
    assert set(w.requests) == {w.url}
    assert w.console_errors == w.page_errors == w.dialogs == []


def test_columns_sort(open_report: Any, sample: dict[str, Any]) -> None:
    w = open_report(render_html(sample, "en"))
    w.page.click("#violations-table th[data-sort=amount]")
    w.page.click("#violations-table th[data-sort=amount]")
    amounts = sorted((v.get("record", {}).get("fields", {}).get("amount") or -1 for v in sample["violations"]),
                     reverse=True)
    first = w.page.inner_text("#violations-table tbody tr.vrow td.num")
    assert first == f"¥{amounts[0]:,}"
    assert w.page.get_attribute("#violations-table th[data-sort=amount]", "aria-sort") == "descending"
    assert w.page.evaluate("location.hash") == "#sort=-amount"
    w.page.click("#violations-table th[data-sort=key]")
    keys = shown_keys(w.page)
    assert keys == sorted(v["key"] for v in sample["violations"])[:len(keys)]
    # The keyboard sorts too.
    w.page.focus("#violations-table th[data-sort=rule]")
    w.page.keyboard.press("Enter")
    assert w.page.get_attribute("#violations-table th[data-sort=rule]", "aria-sort") == "ascending"
    rules = w.page.eval_on_selector_all("#violations-table tbody tr.vrow", "rows => rows.map(r => r.dataset.rule)")
    assert rules == sorted(v["rule_id"] for v in sample["violations"])[:len(rules)]
    w.assert_clean()


@pytest.mark.parametrize("lang,words", [("zh", ["依据", "情况", "原因", "影响", "整改建议", "时间线", "合同签订"]),
                                        ("en", ["Criteria", "Condition", "Cause", "Recommendation", "Time line",
                                                "required approver: "])])
def test_a_finding_opens_in_the_auditors_form(open_report: Any, sample: dict[str, Any], lang: str,
                                              words: list[str]) -> None:
    # The sample's first contract-approval finding with a time line: its amount, in yuan with
    # thousands separators, and its customer's name are in the form too.
    finding = next(v for v in sample["violations"] if v["rule_id"] == "APPR-001" and v["key"] in sample["timelines"]["cases"])
    amount = f"¥{finding['record']['fields']['amount']:,.0f}"
    customer = finding["record"]["names"]["customers"]
    w = open_report(render_html(sample, lang))
    w.page.goto(w.url + f"#q={finding['key']}&rule=APPR-001")
    w.page.click("#violations-table tbody tr.vrow")
    detail = w.page.inner_text("#violations-table tr.detail")
    for word in [*words, amount, customer]:
        assert word in detail
    events = w.page.eval_on_selector_all("tr.detail svg.timeline g.event", "gs => gs.length")
    assert events == len(case_events(sample["timelines"], [finding["key"]])[finding["key"]])
    marked = w.page.eval_on_selector_all("tr.detail svg.timeline g.hit text:first-of-type",
                                         "ts => ts.map(t => t.textContent)")
    # The approval's evidence times: the review and countersignatures it must follow, and the signing.
    steps = ["合同审核", "财务会签", "法务会签", "合同签订"] if lang == "zh" else \
        ["contract reviewed", "finance review", "legal review", "contract signed"]
    assert marked and set(marked) <= set(steps) and marked[-1] == steps[-1], marked
    w.assert_clean()


def test_hostile_customer_name_renders_as_text(open_report: Any, sample: dict[str, Any]) -> None:
    hostile = copy.deepcopy(sample)
    for v in hostile["violations"]:   # every finding: the table shows the most severe first, 50 at a time
        v["record"]["names"]["customers"] = SCRIPT
    # Every event's actor too, so the time line of whichever finding opens carries it.
    hostile["timelines"]["actor_names"] = ['"><img src=x onerror=alert(1)>'] * len(hostile["timelines"]["actor_names"])
    w = open_report(render_html(hostile, "zh"))
    w.page.click("#violations-table tbody tr.vrow")
    assert SCRIPT in w.page.inner_text("#violations-table")
    assert w.page.evaluate("document.querySelectorAll('img').length") == 0
    w.page.wait_for_timeout(100)
    w.assert_clean()


def test_without_javascript_the_sample_shows_its_first_findings(open_report: Any, sample: dict[str, Any]) -> None:
    w = open_report(render_html(sample, "zh"), java_script_enabled=False)
    groups = w.page.eval_on_selector_all("#first-by-rule .rule-group", "gs => gs.map(g => [g.dataset.rule, "
                                         "g.querySelectorAll('tbody tr').length])")
    per_rule = {r["id"]: r["violations"] for r in sample["rules"] if r["violations"]}
    assert {rule: n for rule, n in groups} == {rule: min(n, 5) for rule, n in per_rule.items()}
    w.assert_clean()


def test_a_large_report_prints_its_summary(open_report: Any) -> None:
    w = open_report(render_html(synthetic_results(PRINT_ALL + 1), "en"))
    w.page.emulate_media(media="print")
    w.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert w.page.is_visible("#print-note") and not w.page.is_visible("#violations-table")
    assert w.page.is_visible("#summary") and w.page.is_visible("#rules") and w.page.is_visible("#appendix")
    w.page.pdf()
    w.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_small_report_prints_every_finding_in_a_few_pages(open_report: Any, sample: dict[str, Any],
                                                            lang: str) -> None:
    small = {**sample, "violations": sample["violations"][:50],
             "summary": {**sample["summary"], "violations": 50}}      # a 50-finding report, from the sample's
    w = open_report(render_html(small, lang))
    w.page.emulate_media(media="print")
    w.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert w.page.locator("#violations-table tbody tr.vrow").count() == 50
    # Each clause's text once, with every rule resting on it.
    clauses = {(r["clause"], r["clause_text"][lang]) for r in sample["rules"] if r.get("clause_text")}
    assert w.page.locator("#appendix .clause-entry").count() == len(clauses) < len(sample["rules"])
    # The summary, 51 rules, the team table, 50 findings, the not-evaluable summary, the clause
    # appendix and the input files' checksums: 7 A4 pages in Chinese, 8 in English (14 and 16 before
    # findings printed compact).
    assert pdf_pages(w.page.pdf(format="A4", landscape=True)) <= 8
    w.assert_clean()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_team_report_and_its_index_open_clean(browser: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect     # the browser fixture has skipped the test without playwright

    results = check_sample(tmp_path / "out", "--split-by", "supervisor")
    folder = tmp_path / "out" / "by-supervisor"
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((folder / "index.html").as_uri())
    page.click('a[href="E003.html"]')
    page.wait_for_url("**/E003.html")
    team = [v for v in results["violations"] if v["supervisor_id"] == "E003"]
    # The page's script fills the counter once it has read the findings: wait for that, not for a time.
    expect(page.locator("#counter")).to_have_text(counter("zh", len(team), len(team)))
    assert page.inner_text("#team").startswith("主管：")
    page.goto(page.url + "#rule=APPR-001")
    approvals = sorted(v["key"] for v in team if v["rule_id"] == "APPR-001")
    expect(page.locator("#counter")).to_have_text(counter("zh", len(approvals), len(team)))
    assert sorted(shown_keys(page)) == approvals and approvals
    assert errors == []
    page.close()
