"""Whatever a rule file holds, `checker validate` answers 0 or 1 with located problems: never a
traceback, never running anything, never hanging on YAML tricks.

Property tests feed it random text, random bytes, random rule-like structures, shipped rules with
one part replaced by random data, and random expressions in `when:`.
"""
from __future__ import annotations

import copy
import subprocess
import sys
import datetime
import functools
import json
import re
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import checker.project
from checker.cli import main
from checker.expr import ExprError, compile_expression
from checker.problems import UserError
from checker.rules import CONFIG_FILES
from checker.yamlsrc import load_text

ROOT = Path(__file__).resolve().parent.parent
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def fast_config(monkeypatch):
    """Only the rule file varies between examples: the data model, params, calendar and policy
    are read once, so hundreds of examples fit in a few seconds."""
    for name in ("load_policy", "load_datamodel", "load_params", "load_calendar"):
        monkeypatch.setattr(checker.project, name, functools.cache(getattr(checker.project, name)))


@pytest.fixture(scope="module")
def rule_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "rule.yaml"


def shipped_rules() -> list[dict]:
    rules = []
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        if path.name not in CONFIG_FILES:
            rules += yaml.safe_load(path.read_text("utf-8"))["rules"]
    return rules


SHIPPED = shipped_rules()
# One shipped rule of each check kind: every shape of setting, at a bounded cost.
ONE_PER_KIND = list({next(iter(r["check"])): r for r in reversed(SHIPPED)}.values())
DEALS_RULE = next(r for r in SHIPPED if r["applies_to"] == "deals" and "when" in r)


def validate_file(capsys, path: Path, content: str | bytes, fmt: str = "text") -> tuple[int, list[str]]:
    """Run `checker validate` on `content`; check the exit code, stderr and the shape of each line."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8", newline="")
    code = main(["validate", str(path), "--rules", "rules", "--policy", "policy", "--format", fmt])
    out, err = capsys.readouterr()
    assert code in (0, 1), (code, out, err)
    assert "Traceback" not in err and "internal error" not in err, err
    if fmt == "json":
        problems = json.loads(out) if code else []
        assert all(set(p) == {"file", "line", "col", "level", "code", "message"} for p in problems)
        return code, [f"{p['file']}:{p['line']}:{p['col']}: {p['message']}" for p in problems]
    lines = out.splitlines() if code else []
    if code:
        assert lines, "exit code 1 without any problem"
        assert err == f"{len(lines)} problem(s) found\n"
    else:
        assert out.endswith("clauses are valid\n")
    raw = path.read_bytes()
    # YAML also breaks lines at a lone CR, NEL, LS and PS.
    n_lines = max(raw.count(b"\n"), len(YAML_BREAK.findall(raw.decode("utf-8", "replace")))) + 1
    for line in lines:
        m = LINE.match(line)
        assert m, f"not file:line:col: message: {line!r}"
        assert m["file"] == str(path)
        assert 1 <= int(m["line"]) <= n_lines and int(m["col"]) >= 1, line
    assert lines == sorted(lines, key=_order), "problems are not sorted"
    return code, lines


def _order(line: str) -> tuple:
    m = LINE.match(line)
    return m["file"], int(m["line"]), int(m["col"]), m["message"]


# -- strategies -----------------------------------------------------------------------------------

RULE_WORDS = ["rules", "id", "title", "zh", "en", "clause", "severity", "applies_to", "when", "check", "owner",
              "message", "remediation", "tests", "name", "data", "expect", "as_of", "params", "key",
              "order", "exists", "response", "different_actors", "performed_by", "approval", "assert",
              "first", "then", "if", "within", "days", "workdays", "steps", "step", "roles", "second",
              "type", "before", "amount", "tiers", "deals", "events", "employees", "complaints", "<<", "="]
VALUE_WORDS = ["PROC-001", "PROC-005", "3.3.6", "3.3.1", "high", "low", "deals", "events", "complaints",
               "owner_id", "contract_signed", "contract_reviewed", "sales_rep", "params.archive_within_days",
               "params.contract_approval_tiers", "params.nope", "contract", "amount", 'stage == "won"',
               "2025-03-31", "2025-02-30", "D1", ""]

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), st.dates(),
    st.text(max_size=12), st.sampled_from(VALUE_WORDS), st.sampled_from(RULE_WORDS),
)
keys = st.one_of(st.sampled_from(RULE_WORDS), st.text(max_size=6), st.integers(-5, 5), st.booleans())
structures = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=25,
)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _paths(v, prefix + (i,))
    return found


# Scalars YAML reads as something other than text: the classic way a value slips past a schema.
confusable = st.one_of(st.dates(), st.datetimes(), st.integers(-10, 10**6), st.floats(), st.booleans(), st.none(),
                       st.just(""), st.text(max_size=8))


@st.composite
def mutated_rules(draw) -> dict:
    """A shipped rule with one part replaced by random data: a scalar by another kind of scalar,
    any part by a random structure, or a random key added."""
    rule = copy.deepcopy(draw(st.sampled_from(SHIPPED)))
    paths = _paths(rule)
    how = draw(st.sampled_from(["scalar", "scalar", "structure", "key"]))
    if how == "scalar":
        # Values of test rows are data, not settings: validate reads only their column names.
        path = draw(st.sampled_from([p for p in paths if p and "data" not in p
                                     and not isinstance(_get(rule, p), (dict, list))]))
        new = draw(confusable)
    else:
        path = draw(st.sampled_from(paths))
        new = draw(structures)
    if not path:
        return {"rules": [new]}
    parent = _get(rule, path[:-1])
    if how == "key" and isinstance(parent, dict):
        parent[draw(keys)] = new
    else:
        parent[path[-1]] = new
    return {"rules": [rule]}


def _get(node: object, path: tuple) -> object:
    for step in path:
        node = node[step]
    return node


TOKENS = (
    ["stage", "amount", "discount_pct", "owner_id", "created_at", "closed_at", "customer_id", "id", "as_of",
     "nope", "params.archive_within_days", "params.contract_approval_tiers", "params.review_within_workdays",
     "params.nope", "params", "==", "!=", "<", "<=", ">", ">=", "=", "+", "-", "*", "/", "%", "**", "//",
     "and", "or", "not", "in", "is", "null", "true", "false", "None", "True", "(", ")", "[", "]", ",", ".", ":",
     '"won"', '"wonn"', "'lost'", '"', "'", "0", "1", "-1", "2.5", "1e309", "10**100", "0x10",
     "coalesce", "days", "hours", "minutes", "date", "datetime", "abs", "len", "lower", "upper", "strip",
     "is_blank", '"2025-01-31"', '"2025-02-30"', "&", "|", "~", "!", "#", "{", "}", "@", "\\", "`", "$", "?",
     "lambda", "if", "else", "for", "import", "__import__", "__class__", "'os'", "system", "eval", "exec",
     "f'x'", "b'x'", "é", "（", "“", "\t", "\n", " "]
)
token_soup = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=20)
expressions = st.one_of(st.text(max_size=60), token_soup.map(" ".join), token_soup.map("".join))


# -- properties -----------------------------------------------------------------------------------

@FUZZ
@given(text=st.text(max_size=400))
def test_random_text(capsys, fast_config, rule_path, text):
    validate_file(capsys, rule_path, text)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(capsys, fast_config, rule_path, data):
    validate_file(capsys, rule_path, data)


@FUZZ
@given(data=structures, wrap=st.booleans(), fmt=st.sampled_from(["text", "json"]))
def test_random_rule_like_structures(capsys, fast_config, rule_path, data, wrap, fmt):
    validate_file(capsys, rule_path, dump({"rules": [data]} if wrap else data), fmt)


@settings(FUZZ, max_examples=250)
@given(doc=mutated_rules())
def test_shipped_rule_with_one_part_replaced(capsys, fast_config, rule_path, doc):
    validate_file(capsys, rule_path, dump(doc))


@functools.cache
def deals_columns_and_params():
    project = checker.project.load_project(ROOT / "rules", None)
    return project.pack.model.expr_columns("deals"), project.pack.params


def test_every_setting_of_every_shipped_rule_as_a_non_text_scalar(capsys, fast_config, rule_path):
    # Unquoted, `2025-01-01`, `yes` and `~` are a date, a boolean (an int to Python) and null to YAML.
    # Prose (titles, messages, case names) and test rows are left alone: lint does not read them.
    for rule in ONE_PER_KIND:
        for path in _paths(rule):
            if (not path or {"data", "title", "message", "remediation", "name"} & set(path)
                    or isinstance(_get(rule, path), (dict, list))):
                continue
            for value in (datetime.date(2025, 1, 1), True, None):
                changed = copy.deepcopy(rule)
                _get(changed, path[:-1])[path[-1]] = value
                validate_file(capsys, rule_path, dump({"rules": [changed]}))


@settings(FUZZ, max_examples=250)
@given(expr=expressions, style=st.sampled_from([None, "'", '"', "|", ">"]))
def test_random_when_expression(capsys, fast_config, rule_path, expr, style):
    # `when` goes last, in the drawn scalar style, so its position in the file is known.
    rule = {k: v for k, v in DEALS_RULE.items() if k != "when"}
    head = dump({"rules": [rule]})
    when = yaml.safe_dump({"when": expr}, default_style=style, allow_unicode=True, width=50)
    text = head + textwrap.indent(when.removesuffix("...\n"), "  ", lambda line: True)
    try:
        assume(yaml.safe_load(text)["rules"][0].get("when") == expr)
    except yaml.YAMLError:
        assume(False)  # a style PyYAML cannot write this value in
    code, lines = validate_file(capsys, rule_path, text)

    columns, params = deals_columns_and_params()
    try:
        compile_expression(expr, columns, params, None, "boolean")
        compiles = True
    except ExprError:
        compiles = False
    bad = [line for line in lines if ": bad expression: " in line]
    assert len(bad) == (0 if compiles else 1), (expr, lines)
    for line in bad:
        assert int(LINE.match(line)["line"]) > head.count("\n"), (text, line)


@FUZZ
@given(tokens=token_soup)
def test_token_soup_written_straight_into_the_file(capsys, fast_config, rule_path, tokens):
    # Not escaped: whatever YAML makes of it, the answer is a problem list or a pass.
    text = dump({"rules": [DEALS_RULE]}).replace(dump({"when": DEALS_RULE["when"]}).strip(),
                                                 "when: " + " ".join(tokens).replace("\n", " "), 1)
    validate_file(capsys, rule_path, text)


@FUZZ
@given(expr=token_soup.map(" ".join))
def test_random_assert_expression(capsys, fast_config, rule_path, expr):
    rule = next(r for r in SHIPPED if "assert" in r["check"])
    validate_file(capsys, rule_path, dump({"rules": [{**rule, "check": {"assert": expr}}]}))


# -- YAML that must never be built ----------------------------------------------------------------

UNSAFE = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [[touch, {marker}]]",
    "!!python/object/new:subprocess.Popen [[touch, {marker}]]",
    "!!python/object:pathlib.PosixPath {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/tuple [1, 2]",
    "!!python/bytes aGk=",
    "!!binary aGk=",
    "!!set {{a, b}}",
    "!!omap [a: 1]",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!<!shell> touch {marker}",
]


@pytest.mark.parametrize("payload", UNSAFE)
@pytest.mark.parametrize("where", ["top", "rule", "value", "key"])
def test_tags_are_refused_wherever_they_are(tmp_path, capsys, fast_config, payload, where):
    marker = tmp_path / "ran"
    value = payload.format(marker=marker)
    text = {"top": f"{value}\n",
            "rule": f"rules:\n  - {value}\n",
            "value": f"rules:\n  - id: PROC-001\n    owner: {value}\n",
            "key": f"rules:\n  - ? {value}\n    : x\n"}[where]
    path = tmp_path / "bad.yaml"
    path.write_text(text, "utf-8")
    code = main(["validate", str(path), "--rules", "rules", "--policy", "policy"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "is not allowed; only plain YAML data is accepted" in out, out
    assert "Traceback" not in err
    assert not marker.exists()


BOMBS = {
    "billion laughs": (ROOT / "tests" / "fixtures" / "lint" / "billion_laughs.yaml").read_text("utf-8"),
    "merge key": "base: &b {id: PROC-001}\nrules:\n  - <<: *b\n",
    "alias as key": "a: &k id\nrules:\n  - {*k : PROC-001}\n",
    "self reference": "a: &a [*a]\n",
    "alias to a scalar": "rules:\n  - id: &i PROC-001\n    title: *i\n",
}


@pytest.mark.parametrize("text", list(BOMBS.values()), ids=list(BOMBS))
def test_aliases_are_refused_quickly(text):
    started = time.monotonic()
    with pytest.raises(UserError) as caught:
        load_text(text, "bomb.yaml")
    assert time.monotonic() - started < 2
    (problem,) = caught.value.problems
    assert problem.code == "yaml-alias", problem
    line = text.splitlines()[problem.line - 1]
    assert line[problem.col - 1] == "*", (line, problem)


@pytest.mark.parametrize("text", [
    "a: " + "[" * 20000 + "]" * 20000,
    "a: " + "{b: " * 20000 + "}" * 20000,
    "".join("  " * i + "- \n" for i in range(3000)),
], ids=["flow lists", "flow mappings", "block lists"])
def test_deep_nesting_is_refused_without_recursion(text):
    with pytest.raises(UserError) as caught:
        load_text(text, "deep.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.message) == ("too-deep", "nesting is too deep (more than 64 levels)")


@pytest.mark.parametrize("value", ["2026-13-01", "2025-02-30", "2025-00-10"])
def test_a_date_no_calendar_has_is_reported_where_it_is(tmp_path, value):
    # YAML reads these as dates by their shape; building one fails, which must be the user's
    # mistake at its place, not an internal error.
    with pytest.raises(UserError) as err:
        load_text(f"rules:\n  - id: X-001\n    when: {value}\n", "bad.yaml")
    assert [str(p) for p in err.value.problems] == [
        f"bad.yaml:3:11: '{value}' is not a real date; write an existing date as YYYY-MM-DD, or quote the text"]


def test_a_closed_output_pipe_ends_the_run_quietly(tmp_path):
    # `checker validate | head -c 1` on a file with thousands of problems: far more output than a
    # pipe holds, and the reader leaves after the first byte.
    bad = tmp_path / "many.yaml"
    bad.write_text("rules:\n" + "".join(f"  - {{id: X-{i:04d}}}\n" for i in range(2000)), encoding="utf-8")
    run = subprocess.run(f"{sys.executable} -m checker.cli validate {bad} | head -c 1", shell=True, cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert len(run.stdout) == 1
    assert run.stderr == "", run.stderr
