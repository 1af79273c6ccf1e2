"""Render a results dict as one self-contained, offline HTML report.

The page must open from a mail attachment or a file share with no network at all,
so styles and the small filter script are inlined and a Content-Security-Policy
forbids every fetch. All data reaches the page through autoescaped markup or
data-* attributes; the script reads nothing but those and a JSON config block.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

__all__ = ["LANGS", "LABELS", "MAX_VIOLATION_ROWS", "SEVERITIES", "render_html"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "report.html.j2"

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
LANGS: tuple[str, ...] = ("zh", "en")

# A browser stays responsive and the file stays mailable at this size; the full
# list is always in violations.csv next to the report.
MAX_VIOLATION_ROWS = 2000

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "销售合规检查报告",
        "as_of": "截至",
        "source": "数据来源",
        "tool_version": "工具版本",
        "timezone": "时区",
        "verdict_ok": "未发现违规：所有已检查的记录均符合规则。",
        "verdict_violations": "发现 {violations} 项违规，涉及 {rules_hit} / {rules} 条规则（{breakdown}）",
        "verdict_clean_but": "未发现违规",
        "verdict_not_evaluable": "{n} 条记录无法评估",
        "verdict_data_quality": "{n} 个数据质量问题",
        "verdict_sep": "；",
        "list_sep": "、",
        "summary": "概览",
        "sev_critical": "严重",
        "sev_high": "高",
        "sev_medium": "中",
        "sev_low": "低",
        "sev_info": "提示",
        "violations_word": "违规",
        "not_evaluable": "无法评估",
        "data_quality": "数据质量",
        "waived": "已豁免",
        "card_not_evaluable_hint": "条记录",
        "card_data_quality_hint": "个问题",
        "card_waived_hint": "项违规",
        "rules": "规则",
        "col_rule": "规则",
        "col_title": "名称",
        "col_clause": "条款",
        "col_severity": "级别",
        "col_in_scope": "适用记录",
        "col_activated": "已触发",
        "col_violations": "违规",
        "col_not_evaluable": "无法评估",
        "col_compliance": "合规率",
        "clause_text": "制度原文",
        "remediation": "整改建议",
        "checked_nothing": "未检查任何记录",
        "checked_nothing_tip": "没有记录满足该规则的触发条件，因此这条规则本次没有检查任何内容。",
        "no_rules": "本次没有执行任何规则。",
        "by_owner": "按主管和负责人汇总",
        "by_owner_hint": "按主管分组，组内列出其团队成员的违规数量。",
        "col_supervisor": "主管",
        "col_owner": "负责人",
        "col_total": "合计",
        "subtotal": "小计",
        "none_person": "（未指定）",
        "violations": "违规明细",
        "col_key": "记录",
        "col_message": "说明",
        "col_evidence": "证据",
        "col_fingerprint": "指纹",
        "filter_severity": "级别",
        "filter_supervisor": "主管",
        "filter_rule": "规则",
        "filter_search": "搜索",
        "filter_search_placeholder": "姓名、记录编号、说明……",
        "filter_all": "全部",
        "filter_reset": "重置",
        "counter": "显示 {shown} / {total} 条",
        "no_match": "没有符合筛选条件的违规。",
        "no_violations": "未发现违规。",
        "truncated": "此处仅显示前 {shown} 条违规，另有 {more} 条未显示；完整列表见 violations.csv。",
        "not_evaluable_title": "无法评估的记录",
        "not_evaluable_hint": "这些记录的数据不足以判断是否合规，请补全数据后重新检查。",
        "col_table": "数据表",
        "col_reason": "原因",
        "none_not_evaluable": "所有适用记录均可评估。",
        "data_quality_title": "数据质量问题",
        "col_kind": "类型",
        "col_file": "文件",
        "col_row": "行",
        "col_column": "列",
        "col_value": "值",
        "none_data_quality": "未发现数据质量问题。",
        "inputs": "输入文件与校验值",
        "inputs_hint": "审计留证：以下 SHA-256 可用于核对本报告所依据的文件未被改动。",
        "col_path": "路径",
        "col_role": "用途",
        "col_sha256": "SHA-256",
        "records": "记录数：",
        "schema_version": "结果格式版本",
        "empty_value": "（空）",
        "none": "—",
        "generated_by": "由合规检查工具生成",
    },
    "en": {
        "html_lang": "en",
        "title": "Sales compliance report",
        "as_of": "As of",
        "source": "Source",
        "tool_version": "Tool version",
        "timezone": "Time zone",
        "verdict_ok": "No violations: every checked record follows the rules.",
        "verdict_violations": "{violations} violations across {rules_hit} of {rules} rules ({breakdown})",
        "verdict_clean_but": "No violations",
        "verdict_not_evaluable": "{n} records not evaluable",
        "verdict_data_quality": "{n} data quality issues",
        "verdict_sep": "; ",
        "list_sep": ", ",
        "summary": "Summary",
        "sev_critical": "Critical",
        "sev_high": "High",
        "sev_medium": "Medium",
        "sev_low": "Low",
        "sev_info": "Info",
        "violations_word": "violations",
        "not_evaluable": "Not evaluable",
        "data_quality": "Data quality",
        "waived": "Waived",
        "card_not_evaluable_hint": "records",
        "card_data_quality_hint": "issues",
        "card_waived_hint": "violations",
        "rules": "Rules",
        "col_rule": "Rule",
        "col_title": "Title",
        "col_clause": "Clause",
        "col_severity": "Severity",
        "col_in_scope": "In scope",
        "col_activated": "Activated",
        "col_violations": "Violations",
        "col_not_evaluable": "Not evaluable",
        "col_compliance": "Compliance",
        "clause_text": "Policy text",
        "remediation": "How to fix",
        "checked_nothing": "checked nothing",
        "checked_nothing_tip": "No record met this rule's trigger, so the rule checked nothing in this run.",
        "no_rules": "No rules were run.",
        "by_owner": "By supervisor and owner",
        "by_owner_hint": "Grouped by supervisor, with the violations of each team member.",
        "col_supervisor": "Supervisor",
        "col_owner": "Owner",
        "col_total": "Total",
        "subtotal": "Subtotal",
        "none_person": "(none)",
        "violations": "Violations",
        "col_key": "Record",
        "col_message": "Message",
        "col_evidence": "Evidence",
        "col_fingerprint": "Fingerprint",
        "filter_severity": "Severity",
        "filter_supervisor": "Supervisor",
        "filter_rule": "Rule",
        "filter_search": "Search",
        "filter_search_placeholder": "name, record id, message…",
        "filter_all": "All",
        "filter_reset": "Reset",
        "counter": "Showing {shown} of {total}",
        "no_match": "No violation matches these filters.",
        "no_violations": "No violations found.",
        "truncated": "Only the first {shown} violations are shown here; {more} more are in violations.csv.",
        "not_evaluable_title": "Records not evaluable",
        "not_evaluable_hint": "The data of these records is not enough to decide; complete it and check again.",
        "col_table": "Table",
        "col_reason": "Reason",
        "none_not_evaluable": "Every record in scope could be evaluated.",
        "data_quality_title": "Data quality issues",
        "col_kind": "Kind",
        "col_file": "File",
        "col_row": "Row",
        "col_column": "Column",
        "col_value": "Value",
        "none_data_quality": "No data quality issues found.",
        "inputs": "Input files and checksums",
        "inputs_hint": "Audit evidence: these SHA-256 checksums identify the exact files this report is based on.",
        "col_path": "Path",
        "col_role": "Role",
        "col_sha256": "SHA-256",
        "records": "Records: ",
        "schema_version": "Results schema version",
        "empty_value": "(empty)",
        "none": "—",
        "generated_by": "Generated by the compliance checker",
    },
}

_SEV_RANK = {sev: i for i, sev in enumerate(SEVERITIES)}
_NONE_KEY = "none"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(results: dict, lang: str = "zh") -> str:
    """Return the complete HTML report for ``results`` in ``lang`` ("zh" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    context = build_context(results, lang)
    return _environment().get_template(TEMPLATE_NAME).render(**context)


def build_context(results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Turn ``results`` into plain, fully populated values for the template.

    The template runs with StrictUndefined, so every optional field of the
    results is settled here rather than guarded in markup.
    """
    L = LABELS[lang]
    run = _mapping(results.get("run"))
    summary = _mapping(results.get("summary"))
    rules_in = _list(results.get("rules"))
    violations_in = _list(results.get("violations"))
    not_evaluable_in = _list(results.get("not_evaluable"))
    data_quality_in = _list(results.get("data_quality"))
    waived_in = _list(results.get("waived"))

    rule_titles = {
        str(r.get("id", "")): localized(r.get("title"), lang) for r in rules_in
    }

    by_severity = _severity_counts(summary, violations_in)
    n_violations = _int(summary.get("violations"), len(violations_in))
    n_not_evaluable = _int(summary.get("not_evaluable"), len(not_evaluable_in))
    n_data_quality = _int(summary.get("data_quality"), len(data_quality_in))
    n_waived = _int(summary.get("waived"), len(waived_in))
    n_rules = _int(summary.get("rules"), len(rules_in))

    violations = sorted(
        (_violation_row(v, lang, rule_titles) for v in violations_in),
        key=lambda row: (row["rank"], row["rule_id"], row["key"]),
    )
    shown = violations[:MAX_VIOLATION_ROWS]

    return {
        "L": L,
        "lang": lang,
        "html_lang": L["html_lang"],
        "run": _run_view(run, results, lang),
        "verdict": _verdict(
            L, n_violations, n_rules, rules_in, violations_in, by_severity,
            n_not_evaluable, n_data_quality,
        ),
        "cards": _cards(L, by_severity, n_not_evaluable, n_data_quality, n_waived),
        "rules": [_rule_row(r, lang) for r in rules_in],
        "owner_groups": group_by_supervisor(violations_in),
        "severity_labels": {sev: L[f"sev_{sev}"] for sev in SEVERITIES},
        "severity_options": _severity_options(shown, L),
        "violations": shown,
        "violations_total": len(violations),
        "violations_more": len(violations) - len(shown),
        "counter_text": L["counter"].format(shown=len(shown), total=len(shown)),
        "truncated_text": L["truncated"].format(shown=len(shown), more=len(violations) - len(shown)),
        "supervisor_options": _supervisor_options(shown, L),
        "rule_options": _rule_options(shown),
        "not_evaluable": [_not_evaluable_row(n, lang, rule_titles) for n in not_evaluable_in],
        "data_quality": [_data_quality_row(d, lang) for d in data_quality_in],
        # The only values the script needs; it reaches them through a JSON block, never inline code.
        "config": {"counter": L["counter"]},
    }


def localized(value: Any, lang: str) -> str:
    """Pick ``lang`` from a {"zh": ..., "en": ...} text, falling back to the other language."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        for candidate in (lang, *LANGS):
            text = value.get(candidate)
            if text not in (None, ""):
                return str(text)
        for text in value.values():
            if text not in (None, ""):
                return str(text)
        return ""
    return str(value)


def format_value(value: Any, empty: str = "") -> str:
    """Show one evidence value compactly; nested structures keep a JSON form an auditor can read."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item, empty) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def format_rate(rate: Any) -> str | None:
    """Compliance rate as a percentage, or None when nothing was in scope."""
    if rate is None or isinstance(rate, bool):
        return None
    try:
        pct = float(rate) * 100
    except (TypeError, ValueError):
        return None
    # 99.96% must not print as 100.0% while a violation is still open.
    text = f"{pct:.1f}"
    if text == "100.0" and pct < 100:
        text = "99.9"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def group_by_supervisor(violations: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Count violations by severity for each supervisor and, within that, each owner.

    Groups with the most serious violations come first so a reader sees the
    teams needing attention at the top.
    """
    sup_names: dict[str, str] = {}
    sup_ids: dict[str, str] = {}
    owner_names: dict[tuple[str, str], str] = {}
    owner_ids: dict[tuple[str, str], str] = {}
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))

    for v in violations:
        sup_key, sup_id, sup_name = _person(v, "supervisor")
        own_key, own_id, own_name = _person(v, "owner")
        sup_names.setdefault(sup_key, sup_name)
        sup_ids.setdefault(sup_key, sup_id)
        owner_names.setdefault((sup_key, own_key), own_name)
        owner_ids.setdefault((sup_key, own_key), own_id)
        counts[sup_key][own_key][_severity(v.get("severity"))] += 1

    def weight(counter: Counter[str]) -> tuple[int, ...]:
        return tuple(-counter.get(sev, 0) for sev in SEVERITIES)

    groups = []
    for sup_key, owners in counts.items():
        total: Counter[str] = Counter()
        rows = []
        for own_key, counter in owners.items():
            total.update(counter)
            rows.append({
                "key": own_key,
                "id": owner_ids[(sup_key, own_key)],
                "name": owner_names[(sup_key, own_key)],
                "counts": [counter.get(sev, 0) for sev in SEVERITIES],
                "total": sum(counter.values()),
                "_weight": (-sum(counter.values()), *weight(counter)),
            })
        rows.sort(key=lambda r: (r["_weight"], r["name"], r["id"]))
        for r in rows:
            del r["_weight"]
        groups.append({
            "key": sup_key,
            "id": sup_ids[sup_key],
            "name": sup_names[sup_key],
            "owners": rows,
            "counts": [total.get(sev, 0) for sev in SEVERITIES],
            "total": sum(total.values()),
            "_weight": (*weight(total), -sum(total.values())),
        })
    groups.sort(key=lambda g: (g["_weight"], g["name"], g["id"]))
    for g in groups:
        del g["_weight"]
    return groups


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _severity(value: Any) -> str:
    sev = str(value or "").strip().lower()
    return sev if sev in _SEV_RANK else "info"


def _person(v: Mapping[str, Any], role: str) -> tuple[str, str, str]:
    pid = str(v.get(f"{role}_id") or "")
    name = str(v.get(f"{role}_name") or "")
    if pid:
        key = f"id:{pid}"
    elif name:
        key = f"name:{name}"
    else:
        key = _NONE_KEY
    return key, pid, name


def _severity_counts(summary: Mapping[str, Any], violations: list[Mapping[str, Any]]) -> dict[str, int]:
    given = summary.get("by_severity")
    if isinstance(given, Mapping):
        return {sev: _int(given.get(sev), 0) for sev in SEVERITIES}
    counted = Counter(_severity(v.get("severity")) for v in violations)
    return {sev: counted.get(sev, 0) for sev in SEVERITIES}


def _format_timestamp(value: Any) -> str:
    if not value:
        return ""
    text = str(value)
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return text
    shown = stamp.strftime("%Y-%m-%d %H:%M:%S")
    offset = stamp.strftime("%z")
    if offset:
        shown += f" UTC{offset[:3]}:{offset[3:]}"
    return shown


def _run_view(run: Mapping[str, Any], results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    records = run.get("records")
    inputs = []
    for item in _list(run.get("inputs")):
        inputs.append({
            "path": str(item.get("path") or ""),
            "role": str(item.get("role") or ""),
            "sha256": str(item.get("sha256") or ""),
        })
    return {
        "tool_version": str(run.get("tool_version") or ""),
        "as_of": _format_timestamp(run.get("as_of")),
        "as_of_raw": str(run.get("as_of") or ""),
        "source": localized(run.get("generated_from"), lang),
        "timezone": str(run.get("timezone") or ""),
        "inputs": inputs,
        "records": [
            {"table": str(k), "count": _format_count(n)}
            for k, n in (records.items() if isinstance(records, Mapping) else [])
        ],
        "schema_version": str(results.get("schema_version", "")),
    }


def _format_count(n: Any) -> str:
    if isinstance(n, int) and not isinstance(n, bool):
        return f"{n:,}"
    return format_value(n)


def _verdict(
    L: Mapping[str, str],
    n_violations: int,
    n_rules: int,
    rules: list[Mapping[str, Any]],
    violations: list[Mapping[str, Any]],
    by_severity: Mapping[str, int],
    n_not_evaluable: int,
    n_data_quality: int,
) -> dict[str, str]:
    extras = []
    if n_not_evaluable:
        extras.append(L["verdict_not_evaluable"].format(n=n_not_evaluable))
    if n_data_quality:
        extras.append(L["verdict_data_quality"].format(n=n_data_quality))

    if n_violations == 0 and n_rules == 0:
        return {"level": "warn", "text": L["verdict_sep"].join([L["no_rules"].rstrip("。."), *extras])}
    if n_violations == 0:
        if not extras:
            return {"level": "ok", "text": L["verdict_ok"]}
        return {"level": "warn", "text": L["verdict_sep"].join([L["verdict_clean_but"], *extras])}

    rules_hit = {str(r.get("id")) for r in rules if _int(r.get("violations"), 0) > 0}
    if not rules_hit:
        rules_hit = {str(v.get("rule_id")) for v in violations}
    breakdown = L["list_sep"].join(
        f"{L[f'sev_{sev}']} {by_severity[sev]}" for sev in SEVERITIES if by_severity.get(sev)
    )
    head = L["verdict_violations"].format(
        violations=n_violations, rules_hit=len(rules_hit), rules=n_rules, breakdown=breakdown,
    )
    level = "bad" if by_severity.get("critical") or by_severity.get("high") else "warn"
    return {"level": level, "text": L["verdict_sep"].join([head, *extras])}


def _cards(
    L: Mapping[str, str], by_severity: Mapping[str, int], n_not_evaluable: int,
    n_data_quality: int, n_waived: int,
) -> list[dict[str, Any]]:
    cards = [
        {"kind": f"sev sev-{sev}", "label": L[f"sev_{sev}"], "count": by_severity.get(sev, 0),
         "hint": L["violations_word"]}
        for sev in SEVERITIES
    ]
    cards.append({"kind": "other ne", "label": L["not_evaluable"], "count": n_not_evaluable,
                  "hint": L["card_not_evaluable_hint"]})
    cards.append({"kind": "other dq", "label": L["data_quality"], "count": n_data_quality,
                  "hint": L["card_data_quality_hint"]})
    if n_waived:
        cards.append({"kind": "other waived", "label": L["waived"], "count": n_waived,
                      "hint": L["card_waived_hint"]})
    return cards


def _rule_row(r: Mapping[str, Any], lang: str) -> dict[str, Any]:
    rate = r.get("compliance_rate")
    pct = format_rate(rate)
    try:
        bar = max(0.0, min(100.0, float(rate) * 100)) if pct is not None else 0.0
    except (TypeError, ValueError):
        bar = 0.0
    activated = _int(r.get("activated"), 0)
    return {
        "id": str(r.get("id") or ""),
        "title": localized(r.get("title"), lang),
        "severity": _severity(r.get("severity")),
        "clause": str(r.get("clause") or ""),
        "clause_title": localized(r.get("clause_title"), lang),
        "clause_text": localized(r.get("clause_text"), lang),
        "remediation": localized(r.get("remediation"), lang),
        "in_scope": _int(r.get("in_scope"), 0),
        "activated": activated,
        "checked_nothing": r.get("activated") is not None and activated == 0,
        "violations": _int(r.get("violations"), 0),
        "not_evaluable": _int(r.get("not_evaluable"), 0),
        "rate": pct,
        "bar": round(bar, 1),
    }


def _violation_row(v: Mapping[str, Any], lang: str, rule_titles: Mapping[str, str]) -> dict[str, Any]:
    empty = LABELS[lang]["empty_value"]
    sev = _severity(v.get("severity"))
    rule_id = str(v.get("rule_id") or "")
    sup_key, sup_id, sup_name = _person(v, "supervisor")
    _, own_id, own_name = _person(v, "owner")
    evidence = v.get("evidence")
    if isinstance(evidence, Mapping):
        pairs = [{"k": str(k), "v": format_value(val, empty)} for k, val in evidence.items()]
    elif evidence in (None, "", [], {}):
        pairs = []
    else:
        pairs = [{"k": "", "v": format_value(evidence, empty)}]
    return {
        "rank": _SEV_RANK[sev],
        "severity": sev,
        "rule_id": rule_id,
        "rule_title": rule_titles.get(rule_id, ""),
        "table": str(v.get("table") or ""),
        "key": format_value(v.get("key")),
        "owner_id": own_id,
        "owner_name": own_name,
        "supervisor_key": sup_key,
        "supervisor_id": sup_id,
        "supervisor_name": sup_name,
        "message": localized(v.get("message"), lang),
        "evidence": pairs,
        "fingerprint": str(v.get("fingerprint") or ""),
    }


def _severity_options(rows: list[dict[str, Any]], L: Mapping[str, str]) -> list[dict[str, Any]]:
    counted = Counter(row["severity"] for row in rows)
    return [
        {"value": sev, "label": L[f"sev_{sev}"], "count": counted[sev]}
        for sev in SEVERITIES if counted[sev]
    ]


def _supervisor_options(rows: list[dict[str, Any]], L: Mapping[str, str]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["supervisor_key"]
        if key not in seen:
            name = row["supervisor_name"] or row["supervisor_id"] or L["none_person"]
            label = f"{name} {row['supervisor_id']}" if row["supervisor_name"] and row["supervisor_id"] else name
            seen[key] = {"value": key, "label": label, "count": 0}
        seen[key]["count"] += 1
    return sorted(seen.values(), key=lambda o: (o["value"] == _NONE_KEY, o["label"]))


def _rule_options(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        rid = row["rule_id"]
        if rid not in seen:
            label = f"{rid} {row['rule_title']}".strip()
            seen[rid] = {"value": rid, "label": label, "count": 0}
        seen[rid]["count"] += 1
    return sorted(seen.values(), key=lambda o: o["value"])


def _not_evaluable_row(n: Mapping[str, Any], lang: str, rule_titles: Mapping[str, str]) -> dict[str, str]:
    rule_id = str(n.get("rule_id") or "")
    return {
        "rule_id": rule_id,
        "rule_title": rule_titles.get(rule_id, ""),
        "table": str(n.get("table") or ""),
        "key": format_value(n.get("key")),
        "reason": localized(n.get("reason"), lang),
    }


def _data_quality_row(d: Mapping[str, Any], lang: str) -> dict[str, str]:
    return {
        "kind": str(d.get("kind") or ""),
        "table": str(d.get("table") or ""),
        "file": str(d.get("file") or ""),
        "row": format_value(d.get("row")),
        "column": str(d.get("column") or ""),
        "value": format_value(d.get("value")),
        "message": localized(d.get("message"), lang),
    }
