"""`checker validate`: every kind of mistake in a rule file is reported as `file:line:col: message`
(or as JSON, GitHub annotations, SARIF), with exit code 1; usage errors exit 2; the shipped files pass.

Most bad files are a shipped rule with one thing broken, so the tests follow the real rule pack.
Expected positions are found by searching the written file for the broken text, independently of
the checker, and every assertion compares whole output lines.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checker.cli import main
from checker.kinds import KINDS
from checker.rules import CONFIG_FILES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lint"
KIND_NAMES = ", ".join(sorted(KINDS))   # every registered kind, so a new kind needs no edit here
SEVERITY_NAMES = "info, low, medium, high, critical"
NOT_A_RULE_FILE = "a rule file holds 'rules:' followed by a list of rules"


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def shipped_rule(rule_id: str) -> str:
    """The text of one shipped rule, from its `  - id:` line to the next rule."""
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        match = re.search(rf"^  - id: {re.escape(rule_id)}\n.*?(?=^  - id: |\Z)", path.read_text("utf-8"),
                          re.S | re.M)
        if match:
            return match.group(0).rstrip() + "\n"
    raise AssertionError(f"no shipped rule {rule_id}")


def broken(rule_id: str, old: str, new: str) -> str:
    """A rule file holding one shipped rule with `old` replaced by `new` (which must occur once)."""
    rule = shipped_rule(rule_id)
    assert rule.count(old) == 1, f"{old!r} occurs {rule.count(old)} times in {rule_id}"
    return "rules:\n" + rule.replace(old, new)


def write(tmp_path: Path, text: str | bytes, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def at(path: Path, needle: str, skip: int = 0) -> str:
    """`file:line:col` of the first character of the only `needle` in the file (after `skip` chars)."""
    text = path.read_text("utf-8")
    assert text.count(needle) == 1, f"{needle!r} occurs {text.count(needle)} times"
    i = text.index(needle) + skip
    line = text.count("\n", 0, i) + 1
    col = i - text.rfind("\n", 0, i)
    return f"{path}:{line}:{col}"


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `checker ARGS` (argparse usage errors exit via SystemExit)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return code, out, err


def validate(capsys, *paths: Path, fmt: str | None = None) -> tuple[int, list[str]]:
    args = ["validate", *paths, "--rules", "rules", "--policy", "policy"] + (["--format", fmt] if fmt else [])
    code, out, err = run(capsys, *args)
    return code, out.splitlines()


def problems_of(capsys, path: Path) -> list[str]:
    code, lines = validate(capsys, path)
    assert code == 1, lines
    return lines


# -- schema: keys and values ----------------------------------------------------------------------

def test_unknown_key_suggests_the_known_one(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    owner: owner_id\n", "    owner: owner_id\n    remediaton: x\n"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'remediaton')}: unknown key 'remediaton' in rules.0 (did you mean 'remediation'?)"]


def test_every_unknown_key_of_a_rule_is_reported(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    severity: high\n", "    severity: high\n    sevrity: low\n    foo: 1\n"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'sevrity')}: unknown key 'sevrity' in rules.0 (did you mean 'severity'?)",
        f"{at(bad, 'foo')}: unknown key 'foo' in rules.0",
    ]


def test_missing_required_key(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    severity: high\n", ""))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'id: PROC-005')}: rules.0: 'severity' is a required property; add it"]


def test_bad_severity_value(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "severity: high", "severity: hihg"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'hihg')}: rules.0.severity: 'hihg' is not allowed (did you mean 'high'?); "
        f"use one of: {SEVERITY_NAMES}"]


def test_severity_that_yaml_reads_as_a_boolean(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "severity: high", "severity: no"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'severity: no', skip=10)}: rules.0.severity: 'false' is not allowed; quote it if you meant "
        f"text; use one of: {SEVERITY_NAMES}"]


def test_bad_rule_id_form(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "id: PROC-005", "id: proc-5"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'proc-5')}: rules.0.id: 'proc-5' does not have the expected form "
        "(Stable rule id, e.g. PROC-005)"]


@pytest.mark.parametrize("old, new, typo", [
    ("order: {first", "ordr: {first", "ordr"),
    ("check:\n      order: {first: contract_reviewed, then: contract_signed, since_last: contract_drafted}\n",
     "check: {ordr: {first: contract_reviewed, then: contract_signed, since_last: contract_drafted}}\n", "ordr"),
])
def test_unknown_check_kind_points_at_the_kind(tmp_path, capsys, old, new, typo):
    bad = write(tmp_path, broken("PROC-005", old, new))
    assert problems_of(capsys, bad) == [
        f"{at(bad, typo)}: unknown key 'ordr' in rules.0.check (did you mean 'order'?); use one of: {KIND_NAMES}"]


def test_two_check_kinds_in_one_rule(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    check:\n", "    check:\n      exists: {steps: [contract_signed]}\n"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'exists:')}: rules.0.check: needs exactly 1 key(s) of: {KIND_NAMES}; found exists, order"]


def test_kind_settings_are_checked_against_the_kind_schema(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-008", "{days: params.archive_within_days}", "{days: -1}"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, '-1}')}: rules.0.check.response.within.days: -1 is less than the minimum of 0"]


def test_a_rule_that_is_not_a_mapping(tmp_path, capsys):
    bad = write(tmp_path, "rules:\n  - just text\n")
    assert problems_of(capsys, bad) == [
        f"{bad}:2:5: rules.0: expected a mapping (key: value), found the text 'just text'"]


# -- ids ------------------------------------------------------------------------------------------

def test_duplicate_rule_id_in_one_file(tmp_path, capsys):
    rule = shipped_rule("PROC-005")
    bad = write(tmp_path, "rules:\n" + rule + rule.replace("severity: high", "severity: low"))
    second = 2 + rule.count("\n")
    assert problems_of(capsys, bad) == [
        f"{bad}:{second}:9: duplicate rule id 'PROC-005' (first defined at {bad}:2); give this rule a new id"]


def test_duplicate_rule_id_across_two_files(tmp_path, capsys):
    first = write(tmp_path, "rules:\n" + shipped_rule("PROC-005"), "a.yaml")
    second = write(tmp_path, "# the same rule again\nrules:\n" + shipped_rule("PROC-005"), "b.yaml")
    code, lines = validate(capsys, first, second)
    assert code == 1
    assert lines == [f"{second}:3:9: duplicate rule id 'PROC-005' (first defined at {first}:2); "
                     "give this rule a new id"]


def test_one_file_named_twice_is_not_its_own_duplicate(capsys):
    code, lines = validate(capsys, Path("rules/process/contract.yaml"), ROOT / "rules" / "process" / "contract.yaml")
    assert code == 0, lines


# -- meaning: clauses, tables, fields, steps, roles, params ---------------------------------------

def test_unknown_clause_points_inside_the_quotes(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", 'clause: "3.3.6"', 'clause: "3.3.66"'))
    assert problems_of(capsys, bad) == [f"{at(bad, '3.3.66')}: unknown clause '3.3.66' (did you mean '3.3.6'?)"]


def test_unknown_table_in_applies_to(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "applies_to: deals", "applies_to: deal"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'applies_to: deal', skip=12)}: unknown table 'deal' (did you mean 'deals'?)"]


def test_unknown_owner_field(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "owner: owner_id", "owner: ownr_id"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'ownr_id')}: unknown field 'ownr_id' of deals (did you mean 'owner_id'?)"]


def test_empty_owner_is_reported_not_skipped(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "owner: owner_id", 'owner: ""'))
    assert problems_of(capsys, bad) == [f"{at(bad, 'owner: ', skip=8)}: unknown field '' of deals"]


@pytest.mark.parametrize("rule_id, old, new, typo, meant", [
    ("PROC-005", "then: contract_signed", "then: contract_sighned", "contract_sighned", "contract_signed"),
    ("PROC-005", "first: contract_reviewed", "first: contract_reveiwed", "contract_reveiwed", "contract_reviewed"),
    ("PROC-006", "contract_reviewed, contract_signed]", "contract_reviewed, contract_sighned]",
     "contract_sighned", "contract_signed"),
    ("PROC-007", "if: contract_drafted", "if: contract_drafed", "contract_drafed", "contract_drafted"),
    ("PROC-007", "then: contract_reviewed", "then: contract_reviewd", "contract_reviewd", "contract_reviewed"),
    ("SOD-001", "first: contract_drafted", "first: contract_draftd", "contract_draftd", "contract_drafted"),
    ("SOD-001", "second: contract_reviewed", "second: contract_reviewd", "contract_reviewd", "contract_reviewed"),
    ("ROLE-001", "{step: contract_drafted,", "{step: contract_draftd,", "contract_draftd", "contract_drafted"),
    ("APPR-001", "before: contract_signed", "before: contract_sined", "contract_sined", "contract_signed"),
], ids=["order.then", "order.first", "exists.steps", "response.if", "response.then", "different_actors.first",
        "different_actors.second", "performed_by.step", "approval.before"])
def test_unknown_step(tmp_path, capsys, rule_id, old, new, typo, meant):
    bad = write(tmp_path, broken(rule_id, old, new))
    assert problems_of(capsys, bad) == [f"{at(bad, typo)}: unknown step '{typo}' (did you mean '{meant}'?)"]


def test_unknown_step_in_a_fixture_is_shown_relative_to_the_repo(capsys):
    assert problems_of(capsys, FIXTURES / "unknown_step.yaml") == [
        "tests/fixtures/lint/unknown_step.yaml:11:15: unknown step 'contract_sighned' (did you mean 'contract_signed'?)"]


def test_unknown_role_in_performed_by(tmp_path, capsys):
    bad = write(tmp_path, broken("ROLE-001", "sales_supervisor, sales_manager]", "sales_supervsor, sales_manager]"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'sales_supervsor')}: unknown role 'sales_supervsor' (did you mean 'sales_supervisor'?)"]


def test_unknown_approval_type(tmp_path, capsys):
    bad = write(tmp_path, broken("APPR-001", "{type: contract, before", "{type: contrct, before"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'contrct')}: unknown approval type 'contrct'; use one of: contract, discount, seal, payment_terms"]


@pytest.mark.parametrize("rule_id, old, typo, meant", [
    ("PROC-008", "params.archive_within_days", "archive_within_dayz", "archive_within_days"),
    ("PROC-007", "params.review_within_workdays", "review_within_workday", "review_within_workdays"),
    ("APPR-001", "params.contract_approval_tiers", "contract_aproval_tiers", "contract_approval_tiers"),
], ids=["within.days", "within.workdays", "approval.tiers"])
def test_unknown_param(tmp_path, capsys, rule_id, old, typo, meant):
    bad = write(tmp_path, broken(rule_id, old, f"params.{typo}"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'params.' + typo)}: unknown param '{typo}' (did you mean '{meant}'?)"]


def test_param_of_the_wrong_shape(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-008", "params.archive_within_days", "params.contract_approval_tiers"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'params.contract_approval_tiers')}: param 'params.contract_approval_tiers' must be a whole "
        "number of days"]


def test_process_kind_on_the_wrong_table(tmp_path, capsys):
    # events has no owner_id either: both mistakes are reported, in file order.
    bad = write(tmp_path, broken("PROC-005", "applies_to: deals", "applies_to: events"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'applies_to: events', skip=12)}: an 'order' check judges deals (the event log's cases); set applies_to: deals",
        f"{at(bad, 'owner_id')}: unknown field 'owner_id' of events (did you mean 'customer_id'?)",
    ]


# -- expressions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("when, needle, message", [
    ('stage == == "won"', '== "won"', "unexpected '=='"),
    ("'stage == == \"won\"'", '== "won"', "unexpected '=='"),
    ('"stage == == \\"won\\""', '== \\"won', "unexpected '=='"),
    ('stag == "won"', "stag ", "unknown column 'stag' (did you mean 'stage'?)"),
    ('amount > "big"', '> "big"', 'cannot compare amount (number) with "big" (string)'),
    ('stage == "wonn"', '"wonn"', "'wonn' is not a value of stage (did you mean 'won'?)"),
    ("__import__('os').system('x')", "__import__",
     "only these functions can be called: abs, coalesce, date, datetime, days, hours, is_blank, len, lower, "
     "minutes, strip, upper"),
    ("stage.__class__", "stage.__class__", "'stage' is not a relation of table 'deals'; "
     "its relations are customer, customer_id, owner, owner_id"),
    ('custmer.tier == "key"', "custmer", "'custmer' is not a relation of table 'deals' (did you mean 'customer'?); "
     "its relations are customer, customer_id, owner, owner_id"),
    ('customer.teir == "key"', "teir", "table 'customers' (reached by 'customer') has no column 'teir' "
     "(did you mean 'tier'?)"),
    ('owner.supervisor.rgion == "x"', "rgion", "table 'employees' (reached by 'owner.supervisor') has no column "
     "'rgion' (did you mean 'region'?)"),
    ('customer.tier == "vip"', '"vip"', "'vip' is not a value of customer.tier; the values are: key, normal"),
    ("amount.x > 1", "amount.x", "'amount' is not a relation of table 'deals'; "
     "its relations are customer, customer_id, owner, owner_id"),
    ("amount > params.nope", "nope", "unknown parameter 'nope'"),
    ("amount + 1", "amount + 1", "the expression must give true or false, but it gives a number"),
], ids=["syntax-plain", "syntax-single-quoted", "syntax-double-quoted", "unknown-column", "type-error",
        "misspelt-enum-value", "import", "attribute", "unknown-relation", "unknown-related-column",
        "unknown-column-two-hops", "related-enum-value", "column-as-relation", "unknown-param", "not-boolean"])
def test_bad_when_expression(tmp_path, capsys, when, needle, message):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', f"when: {when}"))
    assert problems_of(capsys, bad) == [f"{at(bad, needle)}: bad expression: {message}"]


def test_incomplete_expression_points_just_past_its_end(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', 'when: stage == "won" and   # more later'))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'and   #', skip=3)}: bad expression: the expression is incomplete; something is missing at the end"]


def test_double_quoted_expression_with_escapes_points_at_the_right_column(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', r'when: "stage == \"won\" and and"'))
    second_and = 'and"'
    assert problems_of(capsys, bad) == [f"{at(bad, second_and)}: bad expression: unexpected 'and'"]


@pytest.mark.parametrize("when", [
    'when: |\n      stage == "won"\n      and stagee == "x"',
    'when: >-\n      stage == "won"\n      and stagee == "x"',
    'when: stage == "won"\n      and stagee == "x"',
    'when: \'stage == "won"\n      and stagee == "x"\'',
    'when: "stage == \\"won\\"\n      and stagee == \\"x\\""',
], ids=["literal-block", "folded-block", "plain-multiline", "single-quoted-multiline", "double-quoted-multiline"])
def test_expression_over_several_lines_points_at_the_line_of_the_mistake(tmp_path, capsys, when):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', when))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'stagee')}: bad expression: unknown column 'stagee' (did you mean 'stage'?)"]


def test_empty_when_is_reported_not_skipped(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', 'when: ""'))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'when: ', skip=7)}: bad expression: the expression is empty; write a condition such as amount > 0"]


def test_when_that_yaml_reads_as_a_date(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', "when: 2025-01-01"))
    assert problems_of(capsys, bad) == [f"{at(bad, '2025-01-01')}: bad expression: an expression must be text"]


def test_bare_equals_sign_is_an_expression_mistake_not_a_yaml_tag(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', "when: ="))
    assert problems_of(capsys, bad) == [f"{at(bad, '=')}: bad expression: unexpected '='; use '==' to compare"]


def test_bad_assert_expression(tmp_path, capsys):
    bad = write(tmp_path, broken("ORG-002", "assert: not is_blank(region)", "assert: not is_blnk(region)"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'is_blnk')}: bad expression: unknown function 'is_blnk' (did you mean 'is_blank'?)"]


# -- test cases inside rules ----------------------------------------------------------------------

def test_test_case_naming_an_unknown_table(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "          deals: [", "          deels: ["))
    assert problems_of(capsys, bad) == [f"{at(bad, 'deels')}: unknown table 'deels' (did you mean 'deals'?)"]


def test_test_case_naming_an_unknown_field(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "deals: [{id: D1}", "deals: [{id: D1, stag: won}"))
    assert problems_of(capsys, bad) == [f"{at(bad, 'stag:')}: unknown field 'stag' of deals (did you mean 'stage'?)"]


def test_test_case_with_an_impossible_as_of_date(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-008", 'as_of: "2025-03-31"', 'as_of: "2025-13-31"'))
    assert problems_of(capsys, bad) == [
        f"{at(bad, '2025-13-31')}: as_of '2025-13-31' is not a date; write it as YYYY-MM-DD"]


def test_test_case_with_an_unquoted_as_of_date_is_fine(tmp_path, capsys):
    good = write(tmp_path, broken("PROC-008", 'as_of: "2025-03-31"', "as_of: 2025-03-31"))
    code, lines = validate(capsys, good)
    assert (code, lines) == (0, [f"1 rules and {_shipped_counts()[1]} clauses are valid"])


def test_test_case_overriding_an_unknown_param(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-008", 'as_of: "2025-03-31"',
                                 'as_of: "2025-03-31"\n        params: {archive_within_dais: 3}'))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'archive_within_dais')}: unknown param 'archive_within_dais' (did you mean 'archive_within_days'?)"]


# -- YAML itself ----------------------------------------------------------------------------------

def test_yaml_syntax_error(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", 'en: "A contract is reviewed before it is signed"}',
                                 'en: "A contract is reviewed before it is signed"'))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'clause:')}: YAML syntax: expected ',' or '}}', but got '<scalar>'"]


def test_python_tag_is_refused_and_never_run(tmp_path, capsys):
    marker = tmp_path / "ran"
    bad = write(tmp_path, f'rules:\n  - !!python/object/apply:os.system ["echo hi > {marker}"]\n')
    assert problems_of(capsys, bad) == [
        f"{bad}:2:5: tag '!!python/object/apply:os.system' is not allowed; only plain YAML data is accepted"]
    assert not marker.exists()


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system [\"touch {marker}\"]",
    "!!python/object/apply:subprocess.check_call [[touch, {marker}]]",
    "!!python/object/new:subprocess.Popen [[touch, {marker}]]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> [\"touch {marker}\"]",
    "!custom [\"touch {marker}\"]",
])
def test_language_tags_anywhere_in_a_rule_are_refused(tmp_path, capsys, payload):
    marker = tmp_path / "ran"
    bad = write(tmp_path, broken("PROC-005", "owner: owner_id", "owner: " + payload.format(marker=marker)))
    lines = problems_of(capsys, bad)
    tag = payload.split()[0].replace("!<tag:yaml.org,2002:", "!!").rstrip(">")
    assert lines == [f"{at(bad, 'owner: ', skip=7)}: tag '{tag}' is not allowed; only plain YAML data is accepted"]
    assert not marker.exists()


def test_alias_bomb_is_refused_at_the_first_alias(capsys):
    assert problems_of(capsys, FIXTURES / "billion_laughs.yaml") == [
        "tests/fixtures/lint/billion_laughs.yaml:2:8: YAML aliases (*name) are not allowed; write the value out"]


def test_even_a_harmless_alias_is_refused(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    owner: owner_id\n", "    owner: &o owner_id\n    message: *o\n"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, '*o')}: YAML aliases (*name) are not allowed; write the value out"]


def test_duplicate_yaml_key(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    owner: owner_id\n", "    owner: owner_id\n    severity: low\n"))
    assert problems_of(capsys, bad) == [f"{at(bad, 'severity: low')}: duplicate key 'severity'; keep one"]


def test_tab_indentation(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "    severity: high\n", "\tseverity: high\n"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, chr(9))}: YAML syntax: found character '\\t' that cannot start any token"]


def test_garbage(tmp_path, capsys):
    bad = write(tmp_path, "rules: [}\n")
    assert problems_of(capsys, bad) == [f"{bad}:1:9: YAML syntax: expected the node content, but found '}}'"]


def test_binary_bytes_point_at_the_first_bad_byte(tmp_path, capsys):
    bad = write(tmp_path, ("rules:\n  - id: PROC-005\n    title: " + "x").encode() + b"\xff\xfe\x00binary")
    assert problems_of(capsys, bad) == [f"{bad}:3:13: not UTF-8 text (byte 36); save the file as UTF-8"]


def test_control_character(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "severity: high", "severity: hi\x00gh"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, chr(0))}: character U+0000 is not allowed in YAML; remove it"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"], ids=["empty", "blank", "comment", "marker"])
def test_empty_file(tmp_path, capsys, text):
    bad = write(tmp_path, text)
    assert problems_of(capsys, bad) == [f"{bad}:1:1: the file is empty; {NOT_A_RULE_FILE}"]


def test_top_level_list(tmp_path, capsys):
    bad = write(tmp_path, "".join(line[2:] for line in shipped_rule("PROC-005").splitlines(keepends=True)))
    assert problems_of(capsys, bad) == [f"{bad}:1:1: the top level is a list; {NOT_A_RULE_FILE}"]


def test_top_level_scalar_and_empty_rules(tmp_path, capsys):
    text_file = write(tmp_path, "just some text\n", "a.yaml")
    empty_rules = write(tmp_path, "rules:\n", "b.yaml")
    code, lines = validate(capsys, text_file, empty_rules)
    assert code == 1
    assert lines == [f"{text_file}:1:1: top level: expected a mapping (key: value), found the text 'just some text'",
                     f"{empty_rules}:1:7: rules: expected a list, found nothing"]


def test_deep_nesting_is_refused_without_recursing(tmp_path, capsys):
    bad = write(tmp_path, "rules: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems_of(capsys, bad) == [f"{bad}:1:71: nesting is too deep (more than 64 levels)"]


def test_second_document(tmp_path, capsys):
    bad = write(tmp_path, "rules: []\n---\nrules: []\n")
    assert problems_of(capsys, bad) == [
        f"{bad}:2:1: YAML syntax: expected a single document in the stream, but found another document"]


def test_missing_file(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert problems_of(capsys, missing) == [f"{missing}:1:1: cannot read file: No such file or directory"]


# -- every problem, in order ----------------------------------------------------------------------

def test_a_bad_rule_does_not_hide_the_mistakes_of_its_neighbours(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "severity: high", "severity: hihg")
                + shipped_rule("PROC-004").replace("then: contract_reviewed", "then: contract_reviewd"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'hihg')}: rules.0.severity: 'hihg' is not allowed (did you mean 'high'?); "
        f"use one of: {SEVERITY_NAMES}",
        f"{at(bad, 'contract_reviewd')}: unknown step 'contract_reviewd' (did you mean 'contract_reviewed'?)",
    ]


def test_two_problems_in_one_rule_give_two_lines(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-005", "order: {first: contract_reviewed, then: contract_signed, since_last: contract_drafted}",
                                 "order: {first: contract_reveiwed, then: contract_sighned, since_last: contract_drafted}"))
    assert problems_of(capsys, bad) == [
        f"{at(bad, 'contract_reveiwed')}: unknown step 'contract_reveiwed' (did you mean 'contract_reviewed'?)",
        f"{at(bad, 'contract_sighned')}: unknown step 'contract_sighned' (did you mean 'contract_signed'?)",
    ]


def test_problems_of_several_files_are_sorted_and_counted(tmp_path, capsys):
    late = write(tmp_path, broken("PROC-005", "severity: high", "severity: hihg"), "b.yaml")
    early = write(tmp_path, broken("PROC-006", 'when: stage == "won"', 'when: stag == "won"')
                  .replace("owner: owner_id", "owner: ownr_id"), "a.yaml")
    code, out, err = run(capsys, "validate", late, early, "--rules", "rules", "--policy", "policy")
    assert code == 1
    assert out.splitlines() == [
        f"{at(early, 'stag ')}: bad expression: unknown column 'stag' (did you mean 'stage'?)",
        f"{at(early, 'ownr_id')}: unknown field 'ownr_id' of deals (did you mean 'owner_id'?)",
        f"{at(late, 'hihg')}: rules.0.severity: 'hihg' is not allowed (did you mean 'high'?); "
        f"use one of: {SEVERITY_NAMES}",
    ]
    assert err == "3 problem(s) found\n"


# -- output formats -------------------------------------------------------------------------------

@pytest.fixture
def two_problems(tmp_path) -> Path:
    return write(tmp_path, broken("PROC-005", "order: {first: contract_reviewed, then: contract_signed, since_last: contract_drafted}",
                                  "order: {first: contract_reviewed, then: contract_sighned, since_last: contract_drafted}")
                 .replace('clause: "3.3.6"', 'clause: "none"'))


def _line_col(where: str) -> tuple[int, int]:
    line, col = where.rsplit(":", 2)[1:]
    return int(line), int(col)


def test_json_format(two_problems, capsys):
    code, out, _ = run(capsys, "validate", two_problems, "--rules", "rules", "--policy", "policy", "--format", "json")
    assert code == 1
    clause_at, step_at = _line_col(at(two_problems, "none")), _line_col(at(two_problems, "contract_sighned"))
    assert json.loads(out) == [
        {"file": str(two_problems), "line": clause_at[0], "col": clause_at[1], "level": "error",
         "code": "unknown-clause", "message": "unknown clause 'none'"},
        {"file": str(two_problems), "line": step_at[0], "col": step_at[1], "level": "error",
         "code": "unknown-step", "message": "unknown step 'contract_sighned' (did you mean 'contract_signed'?)"},
    ]


def test_github_format(two_problems, capsys):
    code, lines = validate(capsys, two_problems, fmt="github")
    assert code == 1
    (c_line, c_col), (s_line, s_col) = _line_col(at(two_problems, "none")), _line_col(at(two_problems, "contract_sighned"))
    assert lines == [
        f"::error file={two_problems},line={c_line},col={c_col},title=unknown-clause::unknown clause 'none'",
        f"::error file={two_problems},line={s_line},col={s_col},title=unknown-step::"
        "unknown step 'contract_sighned' (did you mean 'contract_signed'?)",
    ]


def test_github_format_escapes_percent_signs(tmp_path, capsys):
    bad = write(tmp_path, broken("PROC-006", 'when: stage == "won"', "when: amount % 2"))
    code, lines = validate(capsys, bad, fmt="github")
    assert code == 1
    line, col = _line_col(at(bad, "% 2"))
    assert lines == [f"::error file={bad},line={line},col={col},title=bad-expression::"
                     "bad expression: '%25' is not allowed"]


def test_github_format_keeps_a_line_break_of_a_message_as_a_break(tmp_path, capsys):
    # A quoted step name may hold a line break; the annotation stays one command, and GitHub
    # shows %0A as the break it was.
    bad = write(tmp_path, broken("PROC-005", "then: contract_signed", 'then: "contract\\nsigned"'))
    code, lines = validate(capsys, bad, fmt="github")
    assert code == 1 and len(lines) == 1
    assert lines[0].endswith("::unknown step 'contract%0Asigned' (did you mean 'contract_signed'?)"), lines[0]


def test_sarif_format(two_problems, capsys):
    code, out, _ = run(capsys, "validate", two_problems, "--rules", "rules", "--policy", "policy", "--format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = sarif["runs"]
    assert run_["tool"]["driver"]["name"] == "checker"
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} == {"unknown-clause", "unknown-step"}
    found = [(r["ruleId"], r["level"], r["message"]["text"],
              r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in run_["results"]]
    assert found == [
        ("unknown-clause", "error", "unknown clause 'none'", str(two_problems), *_line_col(at(two_problems, "none"))),
        ("unknown-step", "error", "unknown step 'contract_sighned' (did you mean 'contract_signed'?)",
         str(two_problems), *_line_col(at(two_problems, "contract_sighned"))),
    ]


@pytest.mark.parametrize("fmt, expected", [("json", []), ("sarif", None), ("github", None)])
def test_machine_formats_on_valid_files(capsys, fmt, expected):
    code, out, _ = run(capsys, "validate", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert json.loads(out) == []
    elif fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []
    else:
        assert out == ""


# -- the shipped files and usage errors -----------------------------------------------------------

def _shipped_counts() -> tuple[int, int]:
    rule_files = [p for p in (ROOT / "rules").rglob("*.yaml")
                  if p.name not in CONFIG_FILES]
    rules = sum(len(yaml.safe_load(p.read_text("utf-8"))["rules"]) for p in rule_files)
    clauses = sum(len(yaml.safe_load(p.read_text("utf-8"))["clauses"]) for p in (ROOT / "policy").glob("*.yaml"))
    return rules, clauses


def test_shipped_files_are_valid(capsys):
    code, out, err = run(capsys, "validate")
    rules, clauses = _shipped_counts()
    assert (code, out, err) == (0, f"{rules} rules and {clauses} clauses are valid\n", "")


def test_shipped_files_are_valid_when_named_explicitly(capsys):
    code, out, _ = run(capsys, "validate", "rules", "--rules", "rules", "--policy", "policy")
    rules, clauses = _shipped_counts()
    assert (code, out) == (0, f"{rules} rules and {clauses} clauses are valid\n")


def test_unknown_option_is_a_usage_error(capsys):
    code, out, err = run(capsys, "validate", "--strict")
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1] == "checker: error: unrecognized arguments: --strict"


def test_unknown_format_is_a_usage_error(capsys):
    code, _, err = run(capsys, "validate", "--format", "xml")
    assert code == 2
    assert "invalid choice: 'xml'" in err


def test_missing_rules_folder_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "no-such-rules"
    code, out, err = run(capsys, "validate", "--rules", missing)
    assert (code, out) == (2, "")
    assert err == f"checker: error: rules folder '{missing}' not found; pass --rules DIR\n"


# -- policy files among the paths ----------------------------------------------------------------

def test_policy_folder_and_rules_folder_as_paths(capsys):
    code, out, _ = run(capsys, "validate", "rules", "policy")
    assert code == 0 and out.strip() == "55 rules and 56 clauses are valid"


def test_a_broken_policy_file_given_as_path_is_reported(tmp_path, capsys):
    bad = write(tmp_path, (ROOT / "policy/01-general.yaml").read_text("utf-8").replace("source: seed", "source: invented", 1),
                "01-general.yaml")
    code, out, _ = run(capsys, "validate", "rules", bad)
    assert code == 1
    assert f"{at(bad, 'invented')}: clauses.0.source: 'invented' is not allowed" in out


# ---------------------------------------------------------------- mapping files

def test_the_shipped_mapping_is_valid(capsys):
    assert main(["validate", "sample_data/mapping.yaml"]) == 0
    assert capsys.readouterr().out.strip() == "sample_data/mapping.yaml: the mapping is valid"


def test_a_mapping_is_checked_against_the_data_model_with_suggestions(tmp_path, capsys):
    text = (ROOT / "sample_data" / "mapping.yaml").read_text("utf-8")
    for old, new in (("姓名: name", "姓名: nmae"), ("timezone: Asia/Shanghai", "timezone: Asia/Shanghia"),
                     ("  complaints:\n", "  complaint:\n"), ("file: 员工.csv", "file: ../员工.csv"),
                     ("encoding: utf-8-sig", "encoding: utf8-sig-x")):
        assert old in text
        text = text.replace(old, new)
    bad = tmp_path / "mapping.yaml"
    bad.write_text(text, "utf-8")
    assert main(["validate", str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    at = {needle: _position(text, needle) for needle in ("Asia/Shanghia", "utf8-sig-x", "../员工.csv", "nmae", "complaint:")}
    assert lines == [
        f"{bad}:{at['Asia/Shanghia']}: unknown time zone 'Asia/Shanghia' (did you mean 'Asia/Shanghai'?); "
        "use an IANA name such as Asia/Shanghai or UTC",
        f"{bad}:{at['utf8-sig-x']}: unknown encoding 'utf8-sig-x' (did you mean 'utf-8-sig'?); use e.g. utf-8, utf-8-sig or gb18030",
        f"{bad}:{at['../员工.csv']}: file '../员工.csv' is outside the data folder; "
        "name export files relative to the data folder, without '..'",
        f"{bad}:{at['nmae']}: unknown field 'nmae' of employees (did you mean 'name'?)",
        f"{bad}:{at['complaint:']}: unknown table 'complaint' of the data model (did you mean 'complaints'?)",
    ]


def test_a_mapping_with_a_shape_error_is_not_read_as_a_rule_file(tmp_path, capsys):
    bad = tmp_path / "mapping.yaml"
    bad.write_text("tables:\n  deals:\n    file: d.csv\n    colums: {id: id}\n", "utf-8")
    assert main(["validate", str(bad), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["message"]) for p in problems] == [
        (3, 5, "tables.deals: 'columns' is a required property; add it"),
        (4, 5, "unknown key 'colums' in tables.deals (did you mean 'columns'?)")]


def _position(text: str, needle: str) -> str:
    before = text[:text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"
