"""README.md of a generated sample, in Chinese and English."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .inject import ALL_KINDS
from .spec import Spec
from .state import Outcome

if TYPE_CHECKING:
    from . import GenerationSummary

TABLES = {
    "employees": ("销售部及相关岗位员工、直属上级、在职期间",
                  "sales staff and related roles, line managers, employment dates"),
    "customers": ("客户名称、等级、行业、地区、负责人", "customer accounts: tier, industry, region, account owner"),
    "deals": ("商机:客户、负责人、阶段、金额、折扣、创建与关闭时间",
              "deals: customer, owner, stage, amount, discount, created and closed"),
    "events": ("销售活动日志:流程步骤、执行人、时间、渠道、方案条款",
               "activity log: process steps, actor, time, channel, proposal terms"),
    "approvals": ("合同审批与折扣审批", "contract and discount approvals"),
    "complaints": ("客户投诉的受理、首次响应与解决时间", "complaints: received, first response, resolved"),
    "plans": ("年度、季度、月度销售计划", "yearly, quarterly and monthly sales plans"),
    "reports": ("月度工作报告", "monthly work reports"),
}
GROUPS = (
    ("violation", "植入的违规 / Planted violations",
     "每条均列入 expected_violations.csv。", "Each is listed in expected_violations.csv."),
    ("defect", "数据质量缺陷 / Data-quality defects",
     "每处缺陷都是 results.json 中的一条数据质量问题(文件、行、列);所在商机的商机级规则不可评估(首次响应早于受理的投诉:"
     "其响应时限规则不可评估),不算违规,也不列入预期违规;这些记录除此之外是干净的。",
     "Each defect is a data-quality finding in results.json (file, row, column); deal-level rules cannot be "
     "evaluated on the affected deals (on a complaint answered before it came in, its response-time rule cannot): "
     "not violations and not in the answer key. The records are otherwise clean."),
    ("boundary", "合规的边界情形 / Compliant boundary cases",
     "恰好落在限值上或期限尚未届满,不应报告为违规。", "Exactly on a limit or not yet due: must not be reported."),
)


def write_readme(path: Path, spec: Spec, outcomes: list[Outcome], summary: GenerationSummary, rules: Path,
                 parts: int = 1) -> None:
    """outcomes: what was planted, in every part."""
    lines = _header(spec, summary, parts) + _files(spec, summary, rules) + _violations(summary)
    for group in GROUPS:
        lines += _planted(_per_kind(outcomes), *group)
    lines += _conventions()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _per_kind(outcomes: list[Outcome]) -> list[Outcome]:
    """The parts' outcomes of one kind as one."""
    kinds: dict[str, Outcome] = {}
    for o in outcomes:
        seen = kinds.setdefault(o.kind, Outcome(o.kind, o.group, 0))
        seen.records += o.records
        seen.expects += o.expects
    return list(kinds.values())


def _header(spec: Spec, summary: GenerationSummary, parts: int) -> list[str]:
    year, as_of = spec.as_of.year, spec.as_of.isoformat()
    return [
        "# aqt 销售部 CRM 导出样例 / aqt sales CRM export sample", "",
        f"合成数据,覆盖 {year} 全年,统计截止 {as_of} 日终(北京时间)。"
        f"生成参数:商机数 {summary.deals},随机种子 {summary.seed};相同参数生成逐字节相同的文件。", "",
        f"Synthetic data for the whole of {year}, as of the end of {as_of} (Beijing time), made with "
        f"{summary.deals} deals and seed {summary.seed}; the same arguments give byte-identical files.", "",
        *(_parts_note(parts) if parts > 1 else []),
    ]


def _parts_note(parts: int) -> list[str]:
    return [f"样例分 {parts} 部分生成,每部分是一家独立的公司(员工、客户、商机、计划与报告各自独立),各记录编号前加部分编号"
            "(如 P01-E001);预期违规同样加前缀。各部分的员工同在一份员工表中,故每日在职人数(ORG-001、ORG-003)按全部部分合计。",
            "",
            f"The sample was made in {parts} parts, each a company of its own (staff, customers, deals, plans and "
            "reports), every record id prefixed with its part (P01-E001), the answer key alike. The parts' staff share "
            "one employee list, so the per-day staffing counts (ORG-001, ORG-003) are those of all parts together.", ""]


def _files(spec: Spec, summary: GenerationSummary, rules: Path) -> list[str]:
    lines = ["## 文件 / Files", "", "| 文件 File | 内容 | Contents | 行数 Rows |", "| --- | --- | --- | ---: |"]
    for table, layout in spec.layouts.items():
        zh, en = TABLES.get(table, ("", table))
        lines.append(f"| {layout.file} | {zh} | {en} | {summary.rows[layout.file]} |")
    answers = sum(summary.violations.values())
    return [
        *lines,
        "| mapping.yaml | 导出列名及取值与数据模型的对应关系 | export headers and values in data-model terms | |",
        f"| expected_violations.csv | 预期违规清单 | the answer key | {answers} |", "",
        *_answer_keys(rule_records(rules)), "",
    ]


# What identifies the record a rule judges, per table (zh, en).
KEY_WORDS = {
    "deals": ("商机编号", "deal id"), "events": ("活动编号", "activity id"), "complaints": ("投诉编号", "complaint id"),
    "customers": ("客户编号", "customer id"), "employees": ("员工编号", "employee id"),
    "approvals": ("审批编号", "approval id"), "plans": ("计划编号", "plan id"), "reports": ("报告编号", "report id"),
    "trainings": ("培训记录编号", "training record id"),
}
# Kinds whose findings are about a period of a record, or a group of records, not one record.
_PERIOD_KINDS = {"periodic": ("员工编号/期间(如 E002/2025-03)", "employee id/period, such as E002/2025-03"),
                 "count": ("期间或分组(如 2025-03-03..2025-03-20)", "the period or group, such as 2025-03-03..2025-03-20")}


def rule_records(rules: Path) -> dict[str, tuple[str, str]]:
    """Each rule of the pack's rule files: (the table it applies to, its check kind)."""
    found = {}
    for path in sorted(rules.rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in document.get("rules", []) if isinstance(document, dict) else []:
            kind = next(iter(rule["check"])) if isinstance(rule.get("check"), dict) else ""
            found[rule["id"]] = (rule.get("applies_to", ""), kind)
    return found


def _answer_keys(rules: dict[str, tuple[str, str]]) -> list[str]:
    """What the key column of expected_violations.csv is, rule by rule, in both languages."""
    groups: dict[tuple[str, str], list[str]] = {}
    for rule_id, (table, kind) in sorted(rules.items()):
        groups.setdefault(_PERIOD_KINDS.get(kind) or KEY_WORDS.get(table, (table, table)), []).append(rule_id)
    zh = ";".join(f"{words[0]}:{'、'.join(ids)}" for words, ids in groups.items())
    en = "; ".join(f"{words[1]}: {', '.join(ids)}" for words, ids in groups.items())
    return [f"expected_violations.csv 的列为 rule_id,key。key 为各规则所判记录的编号。{zh}。",
            f"Its columns are rule_id,key. The key names the record the rule judges: {en}."]


def _violations(summary: GenerationSummary) -> list[str]:
    lines = ["## 预期违规 / Expected violations", "", "| 规则 Rule | 数量 Count |", "| --- | ---: |"]
    return [*lines, *(f"| {rule} | {count} |" for rule, count in summary.violations.items()), ""]


def _planted(outcomes: list[Outcome], group: str, title: str, zh_note: str, en_note: str) -> list[str]:
    described = {k.name: k for k in ALL_KINDS}
    with_rules = group == "violation"
    extra_header, extra_rule = (" 触发的规则 Rules broken |", " --- |") if with_rules else ("", "")
    lines = [f"## {title}", "", zh_note, en_note, "",
             "| 类型 Kind | 说明 | Description | 记录数 Records |" + extra_header,
             "| --- | --- | --- | ---: |" + extra_rule]
    for outcome in sorted((o for o in outcomes if o.group == group), key=lambda o: o.kind):
        kind = described[outcome.kind]
        row = f"| {outcome.kind} | {kind.zh} | {kind.en} | {outcome.records} |"
        if with_rules:
            row += f" {_rules_broken(outcome)} |"
        lines.append(row)
    return [*lines, ""]


def _rules_broken(outcome: Outcome) -> str:
    counts = Counter()
    for expect in outcome.expects:
        counts[expect.rule] += int(expect.index.size)
    return ", ".join(f"{rule} ×{n}" for rule, n in sorted(counts.items()) if n)


def _conventions() -> list[str]:
    return [
        "## 约定 / Conventions", "",
        "- 编码 UTF-8(带 BOM),首行为中文列名,行顺序随机。 "
        "UTF-8 with BOM, Chinese header row, rows in random order.",
        "- 时间为北京时间 `YYYY-MM-DD HH:MM`,日期为 `YYYY-MM-DD`,空单元格表示无值。 "
        "Times are Beijing time `YYYY-MM-DD HH:MM`, dates `YYYY-MM-DD`; an empty cell is a missing value.",
        "- 工作日以 rules/calendar.yaml 为准(含法定节假日与调休上班日)。 "
        "Work days follow rules/calendar.yaml, with public holidays and make-up work days.",
        "- 一名销售代表年中离职,另一名年中入职并接手其客户。 "
        "One sales rep left mid-year; another joined mid-year and took over his accounts.",
    ]
