"""The HTML report: escaping, both languages, empty input, and behaviour in a real browser."""

from __future__ import annotations

import copy
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Import the package from this tree even when pytest runs without it being installed.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.report.html import page_script, render_html  # noqa: E402
from checker.report.people import group_by_supervisor  # noqa: E402
from checker.report.values import format_rate, format_value  # noqa: E402
from checker.report.view import FIRST_PER_RULE  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "results_small.json"
pytest_plugins = ("report_browser",)  # the browser and open_report fixtures
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src {page_script()[1]}; img-src data:"
FONT_STACK = ('"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",'
              '"Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif')

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
HOSTILE = (SCRIPT, IMG, TEMPLATE)


@pytest.fixture()
def results() -> dict[str, Any]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return json.load(fh)


def hostile_results(base: dict[str, Any]) -> dict[str, Any]:
    """Put attacker-controlled text into every field that comes from exported data."""
    res = copy.deepcopy(base)
    first = res["violations"][0]
    first["owner_name"] = SCRIPT
    first["supervisor_name"] = IMG
    first["supervisor_id"] = IMG
    first["key"] = f"{IMG}{TEMPLATE}"
    first["message"] = {"zh": f"消息 {SCRIPT}", "en": f"message {SCRIPT}"}
    first["evidence"] = {SCRIPT: IMG, "template": TEMPLATE, "list": [SCRIPT, None, 3]}
    first["fingerprint"] = IMG
    second = res["violations"][1]
    second["owner_name"] = TEMPLATE
    second["rule_id"] = IMG
    res["rules"][0]["title"] = {"zh": SCRIPT, "en": SCRIPT}
    res["rules"][0]["clause_text"] = {"zh": IMG, "en": IMG}
    res["not_evaluable"][0]["key"] = SCRIPT
    res["not_evaluable"][0]["reason"] = {"zh": IMG, "en": IMG}
    res["data_quality"][0]["value"] = SCRIPT
    res["data_quality"][0]["file"] = IMG
    res["run"]["generated_from"] = SCRIPT
    res["run"]["inputs"][0]["path"] = IMG
    res["run"]["tool_version"] = IMG
    return res


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(html)
    parser.close()
    return parser.tags


# ---------------------------------------------------------------- pure python


@pytest.mark.parametrize("lang,html_lang,title", [
    ("zh", "zh-CN", "销售合规检查报告"),
    ("en", "en", "Sales compliance report"),
])
def test_renders_each_language(results: dict[str, Any], lang: str, html_lang: str, title: str) -> None:
    html = render_html(results, lang)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{html_lang}">' in html
    assert '<meta charset="utf-8">' in html
    assert f"<h1>{title}</h1>" in html
    # Data stays as exported whatever the language.
    for name in ("王芳", "李强", "陈静", "D2025-0042", "PROC-005"):
        assert name in html
    assert "2025-12-31 23:59:59 UTC+08:00" in html


def test_labels_follow_the_language(results: dict[str, Any]) -> None:
    zh = render_html(results, "zh")
    en = render_html(results, "en")
    assert "合同须经审核后方可签订" in zh and "A contract is reviewed before it is signed" not in zh
    assert "A contract is reviewed before it is signed" in en and "合同须经审核后方可签订" not in en
    assert "按主管和负责人汇总" in zh and "By supervisor and owner" in en
    assert "显示前 3 条，共 3 条" in zh and "first 3 of 3" in en
    assert "发现 9 项违规，涉及 6 / 8 条规则" in zh
    assert "9 violations across 6 of 8 rules" in en


def test_default_language_is_chinese(results: dict[str, Any]) -> None:
    assert render_html(results) == render_html(results, "zh")


def test_a_language_without_labels_reads_the_english_ones(results: dict[str, Any]) -> None:
    nl = render_html(results, "nl")
    assert '<html lang="nl"' in nl
    assert nl.replace('<html lang="nl"', '<html lang="en"') == render_html(results, "en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_strings_are_escaped(results: dict[str, Any], lang: str) -> None:
    html = render_html(hostile_results(results), lang)

    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # Data is never evaluated as a template.
    assert TEMPLATE in html

    tags = parse_tags(html)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-config"},
                       {"type": "application/json", "id": "report-findings"}, {}]
    assert not [tag for tag, _ in tags if tag in ("img", "iframe", "object", "embed", "form", "base")]
    for tag, attrs in tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
    # The hostile supervisor id reaches the filter only as an attribute value.
    sup_values = {attrs.get("value") for tag, attrs in tags if tag == "option"}
    assert IMG in sup_values


def json_block(html: str, block_id: str) -> str:
    start = html.index(f'<script type="application/json" id="{block_id}">')
    return html[start:html.index("</script>", start)].split(">", 1)[1]


def test_the_page_in_pieces_is_the_page_whatever_its_texts_hold(results: dict[str, Any]) -> None:
    """The findings' block is written from its own bytes into the place the template leaves: a
    text of the results that looks like that place changes nothing."""
    from checker.report.html import html_pieces

    odd = copy.deepcopy(hostile_results(results))
    odd["rules"][0]["title"] = {"zh": "\x00findings\x00", "en": "\x00findings-0\x00"}
    for lang in ("zh", "en"):
        pieces = html_pieces(odd, lang)
        assert len(pieces) == 3 and all(isinstance(p, bytes) for p in pieces)
        page = b"".join(pieces).decode("utf-8")
        assert page == render_html(odd, lang)
        assert json.loads(json_block(page, "report-findings"))["key"] == \
            json.loads(json_block(render_html(hostile_results(results), lang), "report-findings"))["key"]


def test_json_blocks_cannot_close_their_script(results: dict[str, Any]) -> None:
    html = render_html(hostile_results(results), "en")
    config, findings = json_block(html, "report-config"), json_block(html, "report-findings")
    assert "<" not in config and "<" not in findings and "&" not in findings
    assert json.loads(config)["labels"]["counter"] == "Showing {shown} of {total}"
    data = json.loads(findings)
    assert f"{IMG}{TEMPLATE}" in data["key"]
    assert [IMG, IMG, IMG] in data["people"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_network_reference(results: dict[str, Any], lang: str) -> None:
    for res in (results, hostile_results(results), {}):
        html = render_html(res, lang)
        # The SVG namespace names the vocabulary of the time line drawing; nothing fetches it.
        text = html.replace('"http://www.w3.org/2000/svg"', "")
        assert "http://" not in text
        assert "https://" not in text
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html.replace("&#39;", "'")
        for tag, attrs in parse_tags(html):
            for name in ("src", "href", "action", "srcset", "poster"):
                value = attrs.get(name)
                assert value is None or value.startswith(("data:", "#")), (tag, attrs)


def test_cjk_font_stack_and_print_styles(results: dict[str, Any]) -> None:
    html = render_html(results, "zh")
    assert FONT_STACK in html
    assert "@media print" in html
    assert "@font-face" not in html and "@import" not in html


@pytest.mark.parametrize("lang,none_text", [("zh", "未发现违规"), ("en", "No violations")])
def test_empty_results_render(lang: str, none_text: str) -> None:
    empty = {
        "schema_version": 1,
        "run": {"tool_version": "0.1.0", "as_of": "2025-12-31T23:59:59+08:00",
                "generated_from": "aqt CRM export", "timezone": "Asia/Shanghai", "inputs": [], "records": {}},
        "summary": {"rules": 0, "violations": 0, "not_evaluable": 0, "data_quality": 0, "waived": 0,
                    "by_severity": {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}},
        "rules": [], "violations": [], "not_evaluable": [], "data_quality": [], "waived": [], "resolved": [],
    }
    html = render_html(empty, lang)
    assert none_text in html
    # No rule ran, so the verdict must not read as an all-clear.
    assert 'class="verdict verdict-warn"' in html
    assert 'id="no-violations"' in html
    assert 'id="violations-table"' not in html
    assert 'id="filters"' not in html
    # A bare dict renders too: every section falls back to its empty state.
    assert none_text in render_html({}, lang)


@pytest.mark.parametrize("lang,verdict", [("zh", "未发现违规：所有已检查的记录均符合规则。"),
                                          ("en", "No violations: every checked record follows the rules.")])
def test_all_clear_verdict(results: dict[str, Any], lang: str, verdict: str) -> None:
    clean = copy.deepcopy(results)
    for key in ("violations", "not_evaluable", "data_quality"):
        clean[key] = []
        clean["summary"][key] = 0
    clean["summary"]["by_severity"] = dict.fromkeys(clean["summary"]["by_severity"], 0)
    html = render_html(clean, lang)
    assert f'<p class="verdict verdict-ok" id="verdict">{verdict}</p>' in html


def test_rules_without_violations_or_scope(results: dict[str, Any]) -> None:
    clean = copy.deepcopy(results)
    clean["violations"] = []
    clean["summary"]["violations"] = 0
    clean["summary"]["by_severity"] = dict.fromkeys(clean["summary"]["by_severity"], 0)
    html = render_html(clean, "en")
    # Not-evaluable records and data quality issues keep the verdict from looking all-clear.
    assert 'class="verdict verdict-warn"' in html
    assert "No violations; 2 records not evaluable; 2 data quality issues" in html


def test_rule_that_checked_nothing_is_flagged(results: dict[str, Any]) -> None:
    html = render_html(results, "en")
    row = html[html.index('data-rule="PROC-009"'):]
    row = row[:row.index("</tr>")]
    assert "checked nothing" in row
    assert '<span class="muted">—</span>' in row
    assert html.count("checked nothing</span>") == 1
    assert "70%" in html and "92.3%" in html and "100%" in html


def test_compliance_rate_formatting() -> None:
    assert format_rate(None) is None
    assert format_rate(1) == "100%"
    assert format_rate(0.9664) == "96.6%"
    assert format_rate(0) == "0%"
    # Rounding must not claim full compliance while a violation remains.
    assert format_rate(0.99996) == "99.9%"


def test_evidence_values() -> None:
    assert format_value(None, "(empty)") == "(empty)"
    assert format_value(["payment_terms", "after_sales_terms"]) == "payment_terms, after_sales_terms"
    assert format_value(685000) == "685000"
    assert format_value(True) == "true"
    assert format_value({"b": 1, "a": "王"}) == '{"a": "王", "b": 1}'


def test_evidence_is_listed_per_violation(results: dict[str, Any]) -> None:
    html = render_html(results, "zh")
    assert '<span class="k">contract_reviewed·首次时间:</span> <span class="v">2025-03-04 10:00</span>' in html
    assert '<span class="k">缺少的条款:</span> <span class="v">payment_terms、after_sales_terms</span>' in html
    assert '<span class="k">contract_reviewed·首次时间:</span> <span class="v">（空）</span>' in html


def test_evidence_is_worded_by_the_vocabulary(results: dict[str, Any]) -> None:
    v = results["violations"][0]
    v["evidence"] = {"amount": 1313000, "required_role": "general_manager",
                     "contract_signed.first_at": "2025-03-06T09:04:00+08:00"}
    results["violations"] = [v]
    results["vocabulary"] = {"steps": {"contract_signed": {"zh": "合同签订", "en": "contract signed"}},
                             "roles": {"general_manager": {"zh": "总经理", "en": "general manager"}},
                             "columns": {f"{v['table']}.amount": {"zh": "金额(元)", "en": "amount"}}}
    zh, en = render_html(results, "zh"), render_html(results, "en")
    for html, expected in ((zh, ["金额(元): 1,313,000", "要求的审批级别: 总经理",
                                 "合同签订·首次时间: 2025-03-06 09:04"]),
                           (en, ["amount: 1,313,000", "required approver: general manager",
                                 "contract signed · first at: 2025-03-06 09:04"])):
        data = json.loads(json_block(html, "report-findings"))
        pairs = data["ev"][0]
        assert [f"{data['ev_names'][pairs[k]]}: {pairs[k + 1]}" for k in range(0, len(pairs), 2)] == expected


def test_grouping_by_supervisor_and_owner(results: dict[str, Any]) -> None:
    groups = group_by_supervisor(results["violations"])
    assert [(g["name"], g["total"]) for g in groups] == [("陈静", 4), ("李强", 5)]  # critical first
    chen, li = groups
    assert chen["counts"] == [1, 1, 1, 1, 0]
    assert li["counts"] == [0, 2, 2, 0, 1]
    assert [(o["name"], o["total"]) for o in li["owners"]] == [("王芳", 3), ("张伟", 2)]
    assert sum(g["total"] for g in groups) == len(results["violations"])


def test_violation_without_supervisor_is_grouped_as_none(results: dict[str, Any]) -> None:
    violations = copy.deepcopy(results["violations"])
    violations[0].update(supervisor_id=None, supervisor_name=None)
    groups = group_by_supervisor(violations)
    assert any(g["key"] == "none" and g["total"] == 1 for g in groups)
    html = render_html({**results, "violations": violations}, "zh")
    assert "（未指定）" in html


def test_every_violation_is_in_the_data_and_each_rule_shows_its_first(results: dict[str, Any]) -> None:
    many = copy.deepcopy(results)
    template = many["violations"][1]
    many["violations"] = [{**template, "key": f"D2026-{i:05d}", "fingerprint": f"{i:016x}"} for i in range(3000)]
    many["violations"][-1] = {**many["violations"][-1], "severity": "critical", "rule_id": "PROC-002"}
    html = render_html(many, "en")
    data = json.loads(json_block(html, "report-findings"))
    assert sorted(data["key"]) == sorted(v["key"] for v in many["violations"])
    # Report order: the critical one first.
    assert data["key"][0] == "D2026-02999" and data["sev"][0] == 0
    assert html.count('<tr class="vrow"') == 1 + FIRST_PER_RULE
    assert "first 5 of 2,999" in html and "first 1 of 1" in html
    assert "<option value=\"critical\">Critical (1)</option>" in html
    assert "<option value=\"PROC-002\">PROC-002 A proposal is drafted before it is presented (1)</option>" in html


# ---------------------------------------------------------------- real browser

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browser_renders_offline_without_errors(
    open_report: Any, results: dict[str, Any], tmp_path: Path, lang: str,
) -> None:
    w = open_report(render_html(results, lang), f"report_{lang}.html")
    w.page.screenshot(path=str(tmp_path / f"report_{lang}.png"), full_page=True)
    w.assert_clean()
    text = w.page.inner_text("body")
    assert "王芳" in text and "李强" in text
    if lang == "zh":
        assert "销售合规检查报告" in text and "违规明细" in text
    else:
        assert "Sales compliance report" in text
    assert w.page.is_visible("#filters")
    assert len(w.visible_rows()) == len(results["violations"])
    assert (tmp_path / f"report_{lang}.png").stat().st_size > 0


def test_browser_severity_filter(open_report: Any, results: dict[str, Any]) -> None:
    w = open_report(render_html(results, "zh"))
    total = len(results["violations"])
    high = sorted(v["key"] for v in results["violations"] if v["severity"] == "high")
    assert w.page.inner_text("#counter") == f"显示 {total} / {total} 条"

    w.page.select_option("#f-severity", "high")
    assert sorted(w.visible_rows()) == high
    assert w.page.inner_text("#counter") == f"显示 {len(high)} / {total} 条"
    badges = w.page.eval_on_selector_all(
        "#violations-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.severity)")
    assert set(badges) == {"high"}

    w.page.select_option("#f-severity", "critical")
    assert w.visible_rows() == ["D2025-0117"]

    w.page.click("#f-reset")
    assert len(w.visible_rows()) == total
    w.assert_clean()


def test_browser_supervisor_and_rule_filters(open_report: Any, results: dict[str, Any]) -> None:
    w = open_report(render_html(results, "en"))
    total = len(results["violations"])
    li = sorted(v["key"] for v in results["violations"] if v["supervisor_id"] == "E003")
    w.page.select_option("#f-supervisor", "E003")
    assert sorted(w.visible_rows()) == li
    assert w.page.inner_text("#counter") == f"Showing {len(li)} of {total}"

    w.page.select_option("#f-rule", "PROC-005")
    both = sorted(v["key"] for v in results["violations"]
                  if v["supervisor_id"] == "E003" and v["rule_id"] == "PROC-005")
    assert sorted(w.visible_rows()) == both
    w.assert_clean()


def test_browser_free_text_search(open_report: Any, results: dict[str, Any]) -> None:
    w = open_report(render_html(results, "zh"))
    total = len(results["violations"])
    wang = sorted(v["key"] for v in results["violations"] if v["owner_name"] == "王芳")

    w.page.fill("#f-search", "王芳")
    assert sorted(w.visible_rows()) == wang
    assert w.page.inner_text("#counter") == f"显示 {len(wang)} / {total} 条"

    # Several words narrow further; evidence is searched too.
    w.page.fill("#f-search", "王芳 customer_visit")
    assert w.visible_rows() == ["D2025-0027"]

    w.page.fill("#f-search", "d2025-0131")
    assert w.visible_rows() == ["D2025-0131"]

    w.page.fill("#f-search", "no such thing")
    assert w.visible_rows() == []
    assert w.page.is_visible("#no-match")
    assert w.page.inner_text("#counter") == f"显示 0 / {total} 条"

    w.page.fill("#f-search", "")
    assert len(w.visible_rows()) == total
    assert not w.page.is_visible("#no-match")
    w.assert_clean()


def test_browser_hostile_names_render_as_text(open_report: Any, results: dict[str, Any]) -> None:
    w = open_report(render_html(hostile_results(results), "zh"))
    text = w.page.inner_text("body")
    assert SCRIPT in text
    assert IMG in text
    assert TEMPLATE in text
    assert w.page.evaluate("document.querySelectorAll('img').length") == 0
    assert w.page.evaluate("document.scripts.length") == 3

    # Filtering on the hostile values goes through attributes and textContent, never markup.
    w.page.select_option("#f-supervisor", IMG)
    assert len(w.visible_rows()) == 1
    w.page.fill("#f-search", SCRIPT)
    assert len(w.visible_rows()) == 1
    w.page.wait_for_timeout(200)
    assert w.dialogs == []
    w.assert_clean()


def test_browser_without_javascript_shows_the_first_findings_of_each_rule(open_report: Any,
                                                                         results: dict[str, Any]) -> None:
    w = open_report(render_html(results, "en"), java_script_enabled=False)
    assert not w.page.is_visible("#filters")
    assert not w.page.is_visible("#violations-table")
    keys = w.page.eval_on_selector_all("#first-by-rule td.key", "cells => cells.map(c => c.firstChild.textContent)")
    assert sorted(keys) == sorted(v["key"] for v in results["violations"])
    assert w.page.is_visible("#rules") and w.page.is_visible("#summary")
    w.assert_clean()


def test_browser_print_shows_all_rows_and_hides_filters(open_report: Any, results: dict[str, Any]) -> None:
    w = open_report(render_html(results, "en"))
    w.page.select_option("#f-severity", "low")
    assert len(w.visible_rows()) == 1
    assert not w.page.is_visible("#inputs table")
    w.page.emulate_media(media="print")
    w.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert not w.page.is_visible("#filters")
    assert w.page.locator("#violations-table tbody tr:visible").count() == 1
    # Collapsed sections print their content too.
    assert w.page.is_visible("#inputs table")
    w.assert_clean()


def test_a_rule_on_drafted_text_says_so(results: dict[str, Any]) -> None:
    results["rules"][0]["clause_source"] = "drafted"
    html = render_html(results, "en")
    row = html[html.index(f'data-rule="{results["rules"][0]["id"]}"'):]
    assert '<span class="flag">rests on drafted text</span>' in row[:row.index("</tr>")]
    assert html.count("rests on drafted text</span>") == 1
    data = json.loads(json_block(html, "report-findings"))
    drafted = {rule[0]: info[4] for rule, info in zip(data["rules"], data["rule_info"])}
    assert {rid for rid, flag in drafted.items() if flag} == ({results["rules"][0]["id"]} & set(drafted))



def test_the_pack_may_name_the_report(results: dict[str, Any]) -> None:
    results["run"]["title"] = {"zh": "华东区销售合规报告", "en": "East region sales compliance"}
    assert "<h1>华东区销售合规报告</h1>" in render_html(results, "zh")
    assert "<h1>East region sales compliance</h1>" in render_html(results, "en")
