"""Broken and hostile inputs, each an edit of the shipped project with the exact outcome it must
give: exit code, a fragment of what is printed, and for accepted inputs the data-quality
finding (a subset of one results.json data_quality entry) that accounts for the bad value.

An edit that loses nothing prints what the sample as shipped prints: SAMPLE stands for that
summary line and RULES for its rule count, both read from a run of the unedited sample."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from edits import (Edit, append, both, cell, columns, drop_column, keep_rows, line, mapping, raw_bytes, reencode,
                   rename_column, repeat_column, split, symlink, text, write)

SAMPLE, RULES = "<the sample's summary>", "<the sample's rule count>"
DEALS, EVENTS, STAFF, CUSTOMERS = "商机.csv", "销售活动.csv", "员工.csv", "客户.csv"
PLANS_RULES = "rules/organisation/plans-and-reports.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    edit: Edit
    exit: int
    message: str = ""
    finding: dict | None = None
    args: tuple[str, ...] = ()
    command: str = "check"
    files: dict[str, str] = field(default_factory=dict)   # workspace file -> fragment it must hold
    absent: tuple[str, ...] = ()                           # workspace files that must not be made


def deal_finding(kind: str, row: int, column: str, **more) -> dict:
    return {"kind": kind, "table": "deals", "file": DEALS, "row": row, "column": column, **more}


def _bomb() -> str:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f'{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]' for i in range(8)]
    return "\n".join(lines) + "\ntables: {}\n"


ENCODINGS = [
    Case("gb18030-declared", both(reencode("gb18030"), mapping("encoding: utf-8-sig", "encoding: gb18030")), 0, SAMPLE),
    Case("gb18030-undeclared", reencode("gb18030", CUSTOMERS), 3,
         "客户.csv: row 1 is not utf-8-sig text; a Chinese Excel export is usually GB18030: "
         "add 'encoding: gb18030' to the mapping"),
    Case("gb18030-for-one-table", both(reencode("gb18030", CUSTOMERS),
                                       mapping("file: 客户.csv", "file: 客户.csv\n    encoding: gb18030")), 0, SAMPLE),
    Case("utf8-without-bom", reencode("utf-8"), 0, SAMPLE),
    Case("utf8-bom-declared-utf8", mapping("encoding: utf-8-sig", "encoding: utf-8"), 0, SAMPLE),
    Case("utf16-with-bom", reencode("utf-16", DEALS, EVENTS), 0, SAMPLE),
    Case("utf8-bom-declared-gb18030-follows-the-bom", mapping("file: 商机.csv", "file: 商机.csv\n    encoding: gb18030"),
         0, SAMPLE),
    Case("utf8-declared-gb18030", both(reencode("utf-8", DEALS), mapping("file: 商机.csv", "file: 商机.csv\n    encoding: gb18030")),
         3, "商机.csv: row 1 is not gb18030 text; set the file's real encoding in the mapping (e.g. encoding: utf-8)"),
    Case("invalid-utf8-in-a-row", raw_bytes(DEALS, lambda b: b.replace("输单".encode(), b"\xff\xfe", 1)), 3,
         "the text is not utf-8-sig; a Chinese Excel export is usually GB18030"),
    Case("unknown-encoding-name", mapping("encoding: utf-8-sig", "encoding: klingon"), 2,
         "mapping.yaml:7:11: unknown encoding 'klingon'; use e.g. utf-8, utf-8-sig or gb18030"),
    Case("misspelt-encoding-name", mapping("file: 商机.csv", "file: 商机.csv\n    encoding: gb1803"), 2,
         "unknown encoding 'gb1803' (did you mean 'gb18030'?)"),
]

ROWS = [
    Case("row-with-an-extra-field", line(DEALS, 5, "D2025-09999,C00100,E018,谈判,100,0,,2025-11-13 12:49,,extra"), 0,
         finding=deal_finding("unreadable_row", 5, "", message="row has 10 fields, the header has 9; "
                                                              "the row is left out of the checks")),
    Case("row-with-a-field-missing", line(DEALS, 6, "D2025-09998,C00100,E018"), 0,
         finding=deal_finding("unreadable_row", 6, "", value="D2025-09998,C00100,E018")),
    Case("rows-after-a-ragged-row-keep-their-numbers",
         both(line(DEALS, 3, "short,row"), cell(DEALS, 8, "金额(元)", "junk")), 0,
         finding=deal_finding("unparseable", 8, "金额(元)", value="junk")),
    Case("whitespace-only-last-line", append(DEALS, "   \n"), 0, SAMPLE),
    Case("blank-lines-between-rows", append(EVENTS, "\n\n\n"), 0, SAMPLE),
    Case("crlf-line-endings", raw_bytes(EVENTS, lambda b: b.replace(b"\n", b"\r\n")), 0, SAMPLE),
]

QUOTES = [
    Case("quoted-comma", cell(CUSTOMERS, 2, "客户名称", "青岛安升, 自动化"), 0, SAMPLE),
    Case("doubled-quotes", cell(CUSTOMERS, 2, "客户名称", 'the "best" customer'), 0, SAMPLE),
    Case("quoted-line-break-is-read", cell(CUSTOMERS, 2, "客户名称", "青岛安升\n自动化设备有限公司"), 0, SAMPLE),
    Case("quoted-line-break-keeps-row-numbers",
         both(cell(DEALS, 2, "合同付款方式", "30% on signing\n70% on delivery"), cell(DEALS, 9, "金额(元)", "junk")), 0,
         finding=deal_finding("unparseable", 9, "金额(元)", value="junk")),
    Case("quote-left-open", line(DEALS, 400, 'D2025-00001,"C00001,E001,谈判,100,0,,2025-01-01 10:00,'), 0,
         finding=deal_finding("unreadable_row", 400, "", message="row has 2 fields, the header has 9; "
                                                                "the row is left out of the checks")),
]

SIZES = [
    Case("one-megabyte-cell", cell(CUSTOMERS, 2, "客户名称", "x" * (1 << 20)), 0, SAMPLE),
    Case("twenty-megabyte-cell", cell(CUSTOMERS, 3, "客户名称", "x" * (20 << 20)), 3,
         "客户.csv: row 3, column '客户名称': a cell of 20 MB, more than the 16 MB a cell may hold"),
    Case("hundred-megabyte-line", cell(CUSTOMERS, 2, "客户名称", "x" * (100 << 20)), 3,
         "客户.csv: line 2: a row longer than 16 MB, the most a row may hold; a quote left open"),
]

GARBAGE = [
    Case("random-bytes", raw_bytes(DEALS, bytes(range(256)) * 64), 3, "商机.csv: row 1 is not utf-8-sig text"),
    Case("binary-rows-under-a-good-header", raw_bytes(DEALS, lambda b: b.split(b"\n")[0] + b"\n" + bytes(range(128, 256)) * 8),
         3, "商机.csv: row 2: the text is not utf-8-sig"),
    Case("picture-named-csv", raw_bytes(DEALS, b"\x89PNG\r\n\x1a\n" + bytes(200)), 3, "商机.csv: row 1 is not utf-8-sig text"),
    Case("nul-bytes-in-a-cell", cell(CUSTOMERS, 2, "客户名称", "ab\x00\x00cd"), 0, SAMPLE),
    Case("empty-file", raw_bytes(DEALS, b""), 3, "商机.csv: the file is empty (no header row)"),
    Case("only-a-bom", raw_bytes(DEALS, b"\xef\xbb\xbf"), 3, "商机.csv: the file is empty (no header row)"),
    Case("header-only-complaints", keep_rows("投诉.csv", 0), 0, f"{RULES} rules,"),
    Case("a-folder-named-like-the-file", both(raw_bytes(DEALS, b""), lambda ws: (
        (ws / "data" / DEALS).unlink(), (ws / "data" / DEALS).mkdir())), 3, "商机.csv: file not found"),
]

COLUMNS = [
    Case("missing-column", drop_column(DEALS, "金额(元)"), 0,
         finding=deal_finding("missing_column", 1, "金额(元)", message="column '金额(元)' is not in the file")),
    Case("misspelt-column", rename_column(DEALS, "金额(元)", "金额（元）"), 0,
         finding=deal_finding("missing_column", 1, "金额(元)",
                              message="column '金额(元)' is not in the file (did you mean '金额（元）'?)")),
    Case("repeated-column", repeat_column(DEALS, "金额(元)"), 3,
         "商机.csv: row 1: column '金额(元)' appears more than once in the header"),
    Case("missing-key-column", drop_column(DEALS, "商机编号"), 3,
         "商机.csv: the key column '商机编号' of deals is not in the file; the file's header is 客户编号, 负责人"),
    Case("misspelt-key-column", rename_column(DEALS, "商机编号", "商机编码"), 3,
         "the key column '商机编号' of deals is not in the file (did you mean '商机编码'?)"),
    Case("key-column-mapped-under-another-name", mapping("{商机编号: id,", "{商机号: id,"), 3,
         "the key column '商机号' of deals is not in the file (did you mean '商机编号'?)"),
    # Without the link from events to deals no event has a case: a step that must not happen
    # would never happen, and absent rules would pass every deal.
    Case("missing-case-link-of-the-event-log", drop_column(EVENTS, "商机编号"), 3,
         "销售活动.csv: the column '商机编号' that names each event's deals record is not in the file"),
    Case("extra-column-is-ignored", columns(STAFF, lambda rows: [r + [("备注", "note")[i > 0]] for i, r in enumerate(rows)]),
         0, SAMPLE),
]

KEYS = [
    Case("duplicate-key", cell(DEALS, 3, "商机编号", "D2025-00332"), 0,
         finding=deal_finding("duplicate_key", 3, "商机编号", value="D2025-00332")),
    Case("empty-key", cell(DEALS, 3, "商机编号", ""), 0, finding=deal_finding("missing_key", 3, "商机编号")),
    Case("dangling-customer", cell(DEALS, 2, "客户编号", "C99999"), 0,
         finding=deal_finding("dangling_reference", 2, "客户编号", value="C99999")),
    Case("dangling-actor", cell(EVENTS, 2, "执行人", "E999"), 0,
         finding={"kind": "dangling_reference", "table": "events", "row": 2, "column": "执行人", "value": "E999"}),
    Case("unknown-step", cell(EVENTS, 2, "步骤", "客户接处"), 0,
         finding={"kind": "unknown_value", "table": "events", "row": 2, "column": "步骤",
                  "message": "unknown step '客户接处' (did you mean '客户接触'?)"}),
    Case("unknown-role", cell(STAFF, 2, "岗位", "销售代理"), 0,
         finding={"kind": "unknown_value", "table": "employees", "row": 2, "column": "岗位",
                  "message": "unknown role '销售代理' (did you mean '销售经理'?)"}),
    Case("unknown-stage", cell(DEALS, 2, "商机阶段", "谈判中"), 0,
         finding=deal_finding("unknown_value", 2, "商机阶段", value="谈判中")),
]

NUMBERS = [
    Case("amount-1e400", cell(DEALS, 2, "金额(元)", "1e400"), 0,
         finding=deal_finding("unparseable", 2, "金额(元)", message="'1e400' is not a finite number")),
    Case("amount-nan", cell(DEALS, 2, "金额(元)", "NaN"), 0, finding=deal_finding("unparseable", 2, "金额(元)", value="NaN")),
    Case("amount-minus-infinity", cell(DEALS, 2, "金额(元)", "-inf"), 0,
         finding=deal_finding("unparseable", 2, "金额(元)", value="-inf")),
    Case("negative-amount", both(cell(DEALS, 3, "金额(元)", "-5"),
                                 mapping("file: 商机.csv", "file: 商机.csv\n    ranges: {amount: {min: 0}}")), 0,
         finding=deal_finding("out_of_range", 3, "金额(元)", message="'-5' is outside the allowed range (at least 0)")),
    Case("discount-over-100", both(cell(DEALS, 3, "折扣(%)", "150"),
                                   mapping("file: 商机.csv", "file: 商机.csv\n    ranges: {discount_pct: {min: 0, max: 100}}")),
         0, finding=deal_finding("out_of_range", 3, "折扣(%)", message="'150' is outside the allowed range (from 0 to 100)")),
    Case("thousands-separator", cell(DEALS, 2, "金额(元)", "1,234.50"), 0, SAMPLE),
    Case("declared-number-format", both(cell(DEALS, 2, "金额(元)", "¥96.74万"), cell(DEALS, 3, "金额(元)", "(1,000)"), mapping(
        "file: 商机.csv", "file: 商机.csv\n    numbers: {amount: {thousands: ',', currency: [¥], scale: {万: 10000}, "
        "negative: parentheses}}\n    ranges: {amount: {min: 0}}")), 0,
        finding=deal_finding("out_of_range", 3, "金额(元)", message="'(1,000)' is outside the allowed range (at least 0)")),
    Case("range-on-an-unknown-field", mapping("file: 商机.csv", "file: 商机.csv\n    ranges: {amout: {min: 0}}"), 2,
         "unknown field 'amout' of deals (did you mean 'amount'?)"),
]

TIMES = [
    Case("event-after-the-as-of-day", cell(EVENTS, 2, "发生时间", "2026-09-29 09:23"), 0,
         finding={"kind": "after_as_of", "table": "events", "row": 2, "column": "发生时间",
                  "message": "time is after the as-of day 2025-12-31; it is left out of the checks "
                             "(check the time or pass a later --as-of)"}),
    Case("impossible-date", cell(DEALS, 2, "创建时间", "2025-02-30 10:00"), 0,
         finding=deal_finding("unparseable", 2, "创建时间", message="'2025-02-30 10:00' is not a date and time")),
    Case("date-not-in-the-declared-format",
         mapping("file: 商机.csv", "file: 商机.csv\n    formats: {created_at: '%d/%m/%Y %H:%M'}"), 0,
         finding=deal_finding("unparseable", 2, "创建时间",
                              message="'2025-11-13 12:49' is not a date and time in the form %d/%m/%Y %H:%M")),
    Case("bad-date-format-directive", mapping("file: 商机.csv", "file: 商机.csv\n    formats: {created_at: '%Q-%Y'}"), 2,
         "date format '%Q-%Y' cannot be used ('Q' is a bad directive in format '%Q-%Y')"),
    Case("unknown-time-zone", mapping("timezone: Asia/Shanghai", "timezone: Asia/Shanghia"), 2,
         "mapping.yaml:6:11: unknown time zone 'Asia/Shanghia' (did you mean 'Asia/Shanghai'?)"),
    Case("bad-as-of-in-the-mapping", mapping('as_of: "2025-12-31"', 'as_of: "2025-13-45"'), 2,
         "mapping.yaml:5:8: as_of '2025-13-45' is not a calendar day; use YYYY-MM-DD"),
    Case("unquoted-impossible-as-of", mapping('as_of: "2025-12-31"', "as_of: 2025-02-30"), 2,
         "mapping.yaml:5:8: '2025-02-30' is not a real date"),
    Case("bad-as-of-flag", lambda ws: None, 2, "--as-of '2025-31-12' is not a date; use YYYY-MM-DD",
         args=("--as-of", "2025-31-12")),
]

YAML_ATTACKS = [
    Case("alias-bomb-in-the-mapping", write("data/mapping.yaml", _bomb()), 2, "YAML aliases (*name) are not allowed"),
    Case("python-tag-in-the-mapping", mapping("source: aqt CRM export", "source: !!python/object/apply:os.system [touch pwned]"),
         2, "tag '!!python/object/apply:os.system' is not allowed", absent=("pwned",)),
    Case("deep-nesting-in-the-mapping", write("data/mapping.yaml", "tables: " + "[" * 500 + "]" * 500 + "\n"), 2,
         "nesting is too deep"),
    Case("duplicate-key-in-the-mapping", mapping("source: aqt CRM export", "source: a\nsource: b"), 2,
         "duplicate key 'source'; keep one"),
    Case("mapping-not-text", write("data/mapping.yaml", b"\xff\xfe\x00garbage"), 2, "not UTF-8 text"),
    Case("mapping-missing", lambda ws: (ws / "data" / "mapping.yaml").unlink(), 2, "mapping.yaml' not found"),
    Case("unknown-table-in-the-mapping", mapping("  employees:\n", "  employes:\n"), 2,
         "unknown table 'employes' of the data model (did you mean 'employees'?)"),
    Case("unknown-field-in-the-mapping", mapping("姓名: name,", "姓名: nmae,"), 2,
         "unknown field 'nmae' of employees (did you mean 'name'?)"),
    Case("validate-reads-a-mapping-as-a-mapping", mapping("姓名: name,", "姓名: nmae,"), 1,
         "mapping.yaml:11:29: unknown field 'nmae' of employees (did you mean 'name'?)", command="validate",
         args=("validate", "--rules", "{ws}/rules", "{ws}/data/mapping.yaml")),
    Case("query-without-a-database", mapping("file: 投诉.csv", "query: SELECT * FROM complaints"), 2,
         "table 'complaints' is read by a query, but the mapping names no database: add database_env: NAME"),
    Case("query-on-an-unset-database", both(mapping("file: 投诉.csv", "query: SELECT * FROM complaints"),
                                            mapping("tables:\n", "database_env: CHECKER_UNSET_DATABASE_URL\ntables:\n")), 3,
         "complaints: the mapping reads it from the database named by the environment variable "
         "CHECKER_UNSET_DATABASE_URL, which is not set"),
    Case("alias-bomb-in-a-rule-file", write("rules/organisation/bomb.yaml", _bomb()), 2,
         "YAML aliases (*name) are not allowed"),
    Case("python-tag-in-a-rule-file", text(PLANS_RULES, "severity: medium", "severity: !!python/name:os.system"), 2,
         "tag '!!python/name:os.system' is not allowed"),
]

INJECTION = [
    Case("import-in-an-expression", text(PLANS_RULES, 'when: role == "sales_manager"',
                                         "when: __import__('os').system('touch pwned')"), 2,
         "plans-and-reports.yaml:", absent=("pwned",)),
    Case("dunder-attribute-in-an-expression", text(PLANS_RULES, 'when: role == "sales_manager"',
                                                   "when: role.__class__ == 'x'"), 2, "plans-and-reports.yaml:"),
    Case("lambda-in-an-expression", text(PLANS_RULES, 'when: role == "sales_manager"',
                                         "when: (lambda: 1)() == 1"), 2, "plans-and-reports.yaml:"),
]

PATHS = [
    Case("parent-folder-path", mapping("file: 员工.csv", "file: ../rules/datamodel.yaml"), 2,
         "mapping.yaml:10:11: file '../rules/datamodel.yaml' is outside the data folder"),
    Case("absolute-path", mapping("file: 员工.csv", "file: /etc/passwd"), 2, "file '/etc/passwd' is outside the data folder"),
    Case("windows-parent-path", mapping("file: 员工.csv", "file: ..\\\\outside.csv"), 2, "is outside the data folder"),
    Case("symlink-out-of-the-folder", both(write("outside.csv", "x"), symlink("data/员工.csv", lambda ws: ws / "outside.csv")),
         3, "员工.csv: leads outside the data folder"),
]

FORMULAS = [
    Case("formula-cells-are-neutralised", both(cell(STAFF, 8, "姓名", "=HYPERLINK(\"http://x\")"),
                                              cell(STAFF, 3, "姓名", "+cmd|' /C calc'!A0"),
                                              cell(STAFF, 4, "姓名", "@SUM(1+1)"), cell(STAFF, 5, "姓名", "-2+3")), 0,
         files={"out/violations.csv": "'=HYPERLINK"}),
]

OUTPUT = [
    Case("out-names-an-existing-file", write("taken", "x"), 2, "--out '", args=("--out", "{ws}/taken")),
    Case("out-beneath-a-file", write("taken", "x"), 2, "reports': the folder cannot be made, '",
         args=("--out", "{ws}/taken/reports")),
]

def _shipped(file: str) -> list[list[str]]:
    """A file of the shipped sample as rows (the header first): cases that name a row of it
    read the row from the sample instead of spelling it, since the sample may grow."""
    path = Path(__file__).resolve().parents[2] / "sample_data" / file
    return list(csv.reader(path.read_text("utf-8-sig").splitlines()))


_MISSPELT = "需求分折"
_MISSPELT_LINE = next(i + 1 for i, row in enumerate(_shipped(EVENTS)) if _MISSPELT in row)
# The second file starts 100 rows before the misspelt step: its line there is 101 (header 1).
_EVENTS_IN_TWO = split(EVENTS, _MISSPELT_LINE - 101, "销售活动_1.csv", "销售活动_2.csv")
_EVENTS_BY_PATTERN = mapping("file: 销售活动.csv", "file: 销售活动_*.csv")
_UNREAD_DISCOUNT = mapping(" 折扣(%): discount_pct,", "")
_UNREAD_AMOUNT = mapping(" 金额(元): amount,", "")
_DERIVED = "file: 商机.csv\n    derived: {{{}}}"

# The deal of the first event, and when it was created (after 2025-01-20 in the sample).
_FIRST_DEAL = _shipped(EVENTS)[1][1]
_FIRST_DEAL_CREATED = next(row[7] for row in _shipped(DEALS) if row[0] == _FIRST_DEAL)

MAPPING_LANGUAGE = [
    # The misspelt step is line 101 of the second file, and nothing else changes.
    Case("a-pattern-joins-files-and-keeps-their-rows", both(_EVENTS_IN_TWO, _EVENTS_BY_PATTERN), 0, SAMPLE,
         finding={"kind": "unknown_value", "table": "events", "file": "销售活动_2.csv", "row": 101, "value": _MISSPELT}),
    Case("a-pattern-that-matches-nothing", mapping("file: 销售活动.csv", "file: 活动_*.csv"), 3,
         "活动_*.csv: no file in the data folder matches '活动_*.csv'"),
    Case("a-pattern-over-files-with-other-headers", both(_EVENTS_IN_TWO, drop_column("销售活动_2.csv", "渠道"),
                                                         _EVENTS_BY_PATTERN), 3,
         "销售活动_2.csv: its columns differ from those of 销售活动_1.csv; it lacks 渠道: "
         "every file a pattern matches must have the same header"),
    Case("a-pattern-leading-out", mapping("file: 销售活动.csv", "file: ../*/*.yaml"), 2,
         "file '../*/*.yaml' is outside the data folder"),
    Case("import-in-a-derived-field", both(_UNREAD_DISCOUNT, mapping("file: 商机.csv", _DERIVED.format(
        "discount_pct: \"__import__('os').system('touch pwned')\""))),
         2, "mapping.yaml:21:30: bad expression: only these functions can be called: abs,", absent=("pwned",)),
    Case("derived-field-of-the-wrong-type", both(_UNREAD_DISCOUNT, mapping("file: 商机.csv", _DERIVED.format("discount_pct: stage"))),
         2, "bad expression: the expression must give a number, but it gives"),
    Case("derived-fields-in-a-cycle", both(_UNREAD_DISCOUNT, _UNREAD_AMOUNT, mapping("file: 商机.csv", _DERIVED.format(
        "discount_pct: amount / 100, amount: discount_pct * 100"))), 2,
         "mapping.yaml:21:51: derived fields use each other in a cycle: amount -> discount_pct -> amount; "
         "compute one of them from the fields read instead"),
    Case("a-filter-counts-the-rows-it-leaves-out", mapping("file: 销售活动.csv", "file: 销售活动.csv\n    where: channel != \"system\""),
         0, finding={"kind": "filtered_out", "table": "events", "file": "销售活动.csv", "row": 1, "value": 'channel != "system"'}),
    Case("a-filter-that-is-not-true-or-false", mapping("file: 销售活动.csv", "file: 销售活动.csv\n    where: amount"), 2,
         "bad expression: unknown column 'amount'"),
    Case("validate-checks-a-filter", mapping("file: 销售活动.csv", "file: 销售活动.csv\n    where: step == 1"), 1,
         "mapping.yaml:26:17: bad expression: cannot compare step (step) with 1 (number)", command="validate",
         args=("validate", "--rules", "{ws}/rules", "{ws}/data/mapping.yaml")),
]

EARLY = [
    # Deal D2025-00025 was created at 2025-01-27 13:06; its first event is moved a week before.
    Case("an-event-before-its-deal-existed", cell(EVENTS, 2, "发生时间", "2025-01-20 09:00"), 0,
         finding={"kind": "before_created", "table": "events", "file": EVENTS, "row": 2, "column": "发生时间",
                  "value": "2025-01-20 09:00:00+08:00",
                  "message": f"time is before {_FIRST_DEAL} was created ({_FIRST_DEAL_CREATED}:00+08:00); "
                             "it is left out of the checks"}),
]

CASES = ENCODINGS + ROWS + QUOTES + SIZES + GARBAGE + COLUMNS + KEYS + NUMBERS + TIMES + YAML_ATTACKS \
    + INJECTION + PATHS + FORMULAS + OUTPUT + MAPPING_LANGUAGE + EARLY
