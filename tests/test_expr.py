"""Rule expressions: parsing, type checking, null semantics and vectorized evaluation."""
from __future__ import annotations

import datetime as dt
import operator
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.expr import Column, CompiledExpr, ExprError, compile_expression

TZ = "Asia/Shanghai"
STAGES = ("lead", "qualified", "proposal", "negotiation", "contract", "won", "lost")
COLUMNS = {
    "stage": Column("stage", "enum", STAGES),
    "tier": Column("tier", "enum", ("key", "normal")),
    "step": Column("step", "step", ("contract_drafted", "contract_signed", "contract_archived")),
    "role": Column("role", "role", ("sales_rep", "sales_manager")),
    "amount": Column("amount", "number"),
    "count": Column("count", "integer"),
    "name": Column("name", "string"),
    "delivery_terms": Column("delivery_terms", "string"),
    "flag": Column("flag", "boolean"),
    "received_at": Column("received_at", "datetime"),
    "first_response_at": Column("first_response_at", "datetime"),
    "due": Column("due", "date"),
}
PARAMS = {
    "big_deal": 1000, "complaint_response_hours": 24, "ratio": 0.5, "label": "won", "strict": True,
    "stages": ["won", "lost"], "limits": [1, 2.5], "cutoff": dt.date(2025, 1, 31), "nothing": None,
    "contract_approval_tiers": [{"up_to": 200000, "role": "sales_supervisor"}, {"role": "general_manager"}],
    "mixed": [1, "a"], "odd": {1, 2},
}
AS_OF = pd.Timestamp("2025-01-03 00:00", tz="UTC")  # 08:00 in Shanghai


def compile_(text: str, want: str | None = None, tz: str | None = TZ) -> CompiledExpr:
    return compile_expression(text, COLUMNS, PARAMS, tz=tz, want=want)


def values(series: pd.Series) -> list:
    return [None if v is pd.NA or v is pd.NaT else v for v in series.tolist()]


def run(text: str, frame: pd.DataFrame, as_of: pd.Timestamp | None = AS_OF, tz: str | None = TZ) -> list:
    return values(compile_(text, tz=tz).evaluate(frame, as_of))


def shanghai(*stamps: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps)), dtype="datetime64[ns]").dt.tz_localize(TZ)


@pytest.fixture
def deals() -> pd.DataFrame:
    return pd.DataFrame({
        "stage": pd.Categorical(["won", "lead", None, "won"], categories=STAGES),
        "amount": [2000.0, 10.0, np.nan, 5000.0],
        "count": pd.array([3, None, 0, 7], dtype="Int64"),
        "name": pd.array([" ", "Ann", None, "Bob"], dtype="str"),
        "delivery_terms": pd.Series(["FOB", None, "", "CIF"], dtype=object),
        "flag": pd.array([True, None, False, True], dtype="boolean"),
        "received_at": shanghai("2025-01-01 09:00", "2025-01-01 09:00", None, "2025-01-02 00:00"),
        "first_response_at": shanghai("2025-01-01 10:00", None, None, "2025-01-05 00:00"),
    }).set_axis([10, 11, 12, 13])


# -- comparisons and null semantics ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("amount > 1000", [True, False, None, True]),
    ("amount >= 2000", [True, False, None, True]),
    ("amount < 2000", [False, True, None, False]),
    ("amount <= 10", [False, True, None, False]),
    ("amount == 10", [False, True, None, False]),
    ("amount != 10", [True, False, None, True]),
    ("count > 2", [True, None, False, True]),
    ("count == amount", [False, None, None, False]),
    ("stage == 'won'", [True, False, None, True]),
    ("stage != 'won'", [False, True, None, False]),
    ("name == 'Ann'", [False, True, None, False]),
    ("delivery_terms == ''", [False, None, True, False]),
    ("name < 'B'", [True, True, None, False]),
    ("flag == true", [True, None, False, True]),
    ("flag != false", [True, None, False, True]),
    ("0 <= amount <= 3000", [True, True, None, False]),
    ("10 < amount < 5000", [True, False, None, False]),
])
def test_comparisons_give_na_where_a_value_is_null(deals, text, expected):
    result = compile_(text).evaluate(deals)
    assert str(result.dtype) == "boolean"
    assert list(result.index) == [10, 11, 12, 13]
    assert values(result) == expected


@pytest.mark.parametrize("text, expected", [
    ("amount is null", [False, False, True, False]),
    ("amount is not null", [True, True, False, True]),
    ("stage is null", [False, False, True, False]),
    ("name is not null", [True, True, False, True]),
    ("delivery_terms is null", [False, True, False, False]),
    ("first_response_at is null", [False, True, True, False]),
    ("flag is null", [False, True, False, False]),
    ("is_blank(name)", [True, False, True, False]),
    ("is_blank(delivery_terms)", [False, True, True, False]),
    ("is_blank(amount)", [False, False, True, False]),
    ("is_blank(first_response_at)", [False, True, True, False]),
])
def test_null_tests_are_never_na(deals, text, expected):
    assert values(compile_(text).evaluate(deals)) == expected


T, F, N = True, False, None
KLEENE = [(p, q) for p in (T, F, N) for q in (T, F, N)]


def kleene_frame() -> pd.DataFrame:
    return pd.DataFrame({"flag": pd.array([p for p, _ in KLEENE], dtype="boolean"),
                         "amount": [1.0 if q else 0.0 if q is False else np.nan for _, q in KLEENE]})


@pytest.mark.parametrize("text, table", [
    ("flag and amount == 1", [T, F, N, F, F, F, N, F, N]),
    ("flag or amount == 1", [T, T, T, T, F, N, T, N, N]),
    ("not flag", [F, F, F, T, T, T, N, N, N]),
    ("not (flag and amount == 1)", [F, T, N, T, T, T, N, T, N]),
    ("flag and null", [N, N, N, F, F, F, N, N, N]),
    ("flag or null", [T, T, T, N, N, N, N, N, N]),
])
def test_kleene_logic(text, table):
    assert values(compile_(text).evaluate(kleene_frame())) == table


@pytest.mark.parametrize("text, expected", [
    ("stage in ['won', 'lost']", [True, False, None, True]),
    ("stage not in ['won', 'lost']", [False, True, None, False]),
    ("stage in params.stages", [True, False, None, True]),
    ("amount in [10, 5000]", [False, True, None, True]),
    ("amount in [-1, 10]", [False, True, None, False]),
    ("count in params.limits", [False, None, False, False]),
    ("amount in [count, 10]", [False, True, None, False]),
])
def test_in_lists(deals, text, expected):
    assert values(compile_(text).evaluate(deals)) == expected


def test_empty_list_parameter_matches_nothing(deals):
    expr = compile_expression("amount in params.none", COLUMNS, {"none": []})
    assert values(expr.evaluate(deals)) == [False] * 4


# -- arithmetic, strings, functions ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("amount + 1", [2001.0, 11.0, None, 5001.0]),
    ("amount - count", [1997.0, None, None, 4993.0]),
    ("amount * params.ratio", [1000.0, 5.0, None, 2500.0]),
    ("amount / count", [2000 / 3, None, None, 5000 / 7]),
    ("amount / 0", [None, None, None, None]),
    ("-amount", [-2000.0, -10.0, None, -5000.0]),
    ("abs(10 - amount)", [1990.0, 0.0, None, 4990.0]),
    ("len(name)", [1.0, 3.0, None, 3.0]),
    ("coalesce(amount, count, 7)", [2000.0, 10.0, 0.0, 5000.0]),
    ("coalesce(null, amount)", [2000.0, 10.0, None, 5000.0]),
])
def test_numbers(deals, text, expected):
    result = compile_(text).evaluate(deals)
    assert str(result.dtype) == "Float64"
    assert values(result) == expected


@pytest.mark.parametrize("text, expected", [
    ("lower(name)", [" ", "ann", None, "bob"]),
    ("upper(stage)", ["WON", "LEAD", None, "WON"]),
    ("strip(name)", ["", "Ann", None, "Bob"]),
    ("coalesce(delivery_terms, name, 'none')", ["FOB", "Ann", "", "CIF"]),
    ("coalesce(stage, 'unknown')", ["won", "lead", "unknown", "won"]),
])
def test_strings(deals, text, expected):
    assert values(compile_(text).evaluate(deals)) == expected


def test_string_storage_does_not_matter():
    raw = ["won", None, "lost"]
    for series in (pd.Series(raw, dtype=object), pd.Series(raw, dtype="str"), pd.Series(raw, dtype="string"),
                   pd.Series(raw, dtype=pd.StringDtype("python")), pd.Series(pd.Categorical(raw))):
        frame = pd.DataFrame({"stage": series, "name": series})
        assert run("stage == 'won'", frame) == [True, None, False]
        assert run("name == stage and lower(name) != 'x'", frame) == [True, None, True]


def test_numeric_storage_does_not_matter():
    for series in (pd.Series([1.5, np.nan]), pd.Series([1.5, None], dtype="Float64"),
                   pd.Series([1.5, None], dtype=object), pd.Series(["1.5", None], dtype=object)):
        assert run("amount > 1", pd.DataFrame({"amount": series})) == [True, None]
    assert run("count > 1", pd.DataFrame({"count": pd.Series([2, None], dtype="Int64")})) == [True, None]
    assert run("count > 1", pd.DataFrame({"count": [2, 0]})) == [True, False]


def test_boolean_storage_does_not_matter():
    for series in (pd.Series([True, False]), pd.Series([True, None], dtype=object),
                   pd.Series(["true", "no"], dtype=object)):
        assert run("flag", pd.DataFrame({"flag": series}))[0] is True


# -- time --------------------------------------------------------------------------------------

def test_response_within_hours(deals):
    within = "first_response_at - received_at <= hours(params.complaint_response_hours)"
    assert values(compile_(within).evaluate(deals)) == [True, None, None, False]


def test_coalesce_with_as_of(deals):
    # row 11 has no response yet: as_of (08:00 on 3 Jan, Shanghai) is 47 hours after receipt
    text = "coalesce(first_response_at, as_of) - received_at <= hours(params.complaint_response_hours)"
    assert run(text, deals) == [True, False, None, False]
    assert run(text, deals, as_of=pd.Timestamp("2025-01-01 20:00", tz=TZ)) == [True, True, None, False]
    assert run(text, deals, as_of=None) == [True, None, None, False]


def test_datetime_arithmetic(deals):
    assert run("received_at + days(1)", deals) == values(shanghai("2025-01-02 09:00", "2025-01-02 09:00", None,
                                                                "2025-01-03 00:00"))
    assert run("first_response_at - received_at", deals) == [pd.Timedelta(hours=1), None, None,
                                                             pd.Timedelta(days=3)]
    assert run("(first_response_at - received_at) / hours(1)", deals) == [1.0, None, None, 72.0]
    assert run("received_at - minutes(30) < date('2025-01-01') + 1.5 * days(6) / 2", deals) == [
        True, True, None, True]
    assert run("abs(received_at - first_response_at) == -hours(-1)", deals) == [True, None, None, False]


def test_date_literals_are_local_to_the_time_zone(deals):
    assert run("received_at >= date('2025-01-02')", deals) == [False, False, None, True]
    assert run("received_at >= datetime('2025-01-01T09:00')", deals) == [True, True, None, True]
    assert run("received_at > datetime('2025-01-01T01:00+00:00')", deals) == [False, False, None, True]
    assert run("received_at >= params.cutoff", deals) == [False, False, None, False]
    naive = deals.assign(received_at=deals["received_at"].dt.tz_localize(None))
    assert run("received_at >= date('2025-01-02')", naive) == [False, False, None, True]
    assert run("received_at >= date('2025-01-02')", naive, tz=None) == [False, False, None, True]


def test_mixed_time_zones_compare_as_instants():
    frame = pd.DataFrame({"received_at": shanghai("2025-01-01 09:00"),
                          "first_response_at": pd.Series(pd.to_datetime(["2025-01-01 01:00"])).dt.tz_localize("UTC")})
    assert run("received_at == first_response_at", frame) == [True]
    assert run("received_at < as_of", frame, as_of=pd.Timestamp("2025-01-01 08:59")) == [False]


def test_date_columns_from_python_objects_and_text():
    frame = pd.DataFrame({"due": [dt.date(2025, 1, 31), None, "2025-02-01", "garbage"]})
    assert run("due == date('2025-01-31')", frame) == [True, None, False, None]
    zoned = pd.DataFrame({"received_at": ["2025-01-01T09:00", "2025-01-01T01:00+00:00", None]})
    assert run("received_at == datetime('2025-01-01T09:00')", zoned) == [True, True, None]


def test_datetime_overflow_becomes_null(deals):
    assert run("received_at + days(1e15) > received_at", deals) == [None] * 4
    assert run("received_at - date('1700-01-01') + days(100000) > days(0)", deals) == [None] * 4
    assert run("days(1e300) > days(1)", deals) == [None] * 4


def test_results_broadcast_and_keep_the_index():
    frame = pd.DataFrame({"amount": [1.0, 2.0]}, index=["x", "x"])
    assert values(compile_("true").evaluate(frame)) == [True, True]
    assert list(compile_("1 + 2").evaluate(frame).index) == ["x", "x"]
    assert values(compile_("null").evaluate(frame)) == [None, None]
    assert values(compile_("not null").evaluate(frame)) == [None, None]


def test_empty_frame(deals):
    empty = deals.iloc[:0]
    for text in ("amount > 1 or flag", "first_response_at - received_at", "coalesce(name, 'x')", "true",
                 "received_at + days(1)", "stage in params.stages"):
        assert len(compile_(text).evaluate(empty, AS_OF)) == 0


def test_all_null_object_columns():
    frame = pd.DataFrame({name: pd.Series([None, None], dtype=object) for name in COLUMNS})
    for text in ("amount > 1", "flag and stage == 'won'", "first_response_at - received_at <= hours(1)",
                 "due < as_of", "len(name) > 0", "coalesce(count, 1) + amount > 0"):
        assert run(text, frame) == [None, None]
    assert run("is_blank(name) and amount is null", frame) == [True, True]


def test_compiled_metadata():
    expr = compile_("stage == params.label and coalesce(first_response_at, as_of) > received_at", want="boolean")
    assert expr.type == "boolean"
    assert expr.columns == frozenset({"stage", "first_response_at", "received_at"})
    assert expr.params == frozenset({"label"})
    assert compile_("first_response_at - received_at").type == "duration"
    assert compile_("received_at").type == "datetime"
    assert compile_("due").type == "datetime"
    assert compile_("count").type == "number"
    assert compile_("stage").type == "string"
    assert compile_("true").type == "boolean"


def test_line_breaks_and_leading_spaces_are_layout():
    text = "  stage == 'won'\n  and amount > params.big_deal\n"
    assert compile_(text, want="boolean").columns == frozenset({"stage", "amount"})
    with pytest.raises(ExprError) as err:
        compile_("stage == 'won'\n and amont > 1")
    assert (err.value.message, err.value.offset) == ("unknown column 'amont' (did you mean 'amount'?)", 20)


# -- errors ------------------------------------------------------------------------------------

FUNCS = "abs, coalesce, date, datetime, days, hours, is_blank, len, lower, minutes, strip, upper"


@pytest.mark.parametrize("text, message, offset", [
    # names
    ("amont > 1", "unknown column 'amont' (did you mean 'amount'?)", 0),
    ("zzz > 1", "unknown column 'zzz'", 0),
    ("amount > params.big_dael", "unknown parameter 'big_dael' (did you mean 'big_deal'?)", 16),
    ("params", "write params.NAME to use a parameter", 0),
    ("amount > params.contract_approval_tiers",
     "parameter 'contract_approval_tiers' is a table of values and cannot be used in an expression", 16),
    ("amount in params.mixed", "parameter 'mixed' must be a list of values of one type", 17),
    ("amount in params.odd", "parameter 'odd' holds a set value, which expressions cannot use", 17),
    # allowed values
    ('stage == "wonn"', "'wonn' is not a value of stage (did you mean 'won'?)", 9),
    ('"wonn" == stage', "'wonn' is not a value of stage (did you mean 'won'?)", 0),
    ("tier == 'vip'", "'vip' is not a value of tier; the values are: key, normal", 8),
    ("stage in ['won', 'lots']", "'lots' is not a value of stage (did you mean 'lost'?)", 17),
    ("tier in params.stages", "'won' is not a value of tier; the values are: key, normal", 8),
    ("step == 'contract_archivd'", "unknown step 'contract_archivd' (did you mean 'contract_archived'?)", 8),
    ("role != 'ceo'", "unknown role 'ceo'; the values are: sales_rep, sales_manager", 8),
    # types
    ("amount + stage", "cannot use '+' on amount (number) and stage (enum)", 7),
    ("received_at - amount > 1", "cannot use '-' on received_at (datetime) and amount (number); "
                                 "write days(n), hours(n) or minutes(n) for a length of time", 12),
    ('received_at > "2025-01-01"', 'cannot compare received_at (datetime) with "2025-01-01" (string); '
                                   'write date("2025-01-01") or datetime(...) for a point in time', 12),
    ("first_response_at - received_at <= 24",
     "cannot compare first_response_at - received_at (duration) with 24 (number); "
     "write days(n), hours(n) or minutes(n) for a length of time", 32),
    ("amount == name", "cannot compare amount (number) with name (string)", 7),
    ("count in ['a']", "cannot compare count (integer) with 'a' (string)", 10),
    ("amount and flag", "'and' needs true/false values, not amount (number)", 0),
    ("flag or name", "'or' needs true/false values, not name (string)", 8),
    ("not amount", "'not' needs a true/false value, not amount (number)", 4),
    ("-name", "'-' needs a number or a duration, not name (string)", 1),
    ("stage < 'won'", "cannot use '<' on stage (enum); enum values only support == and !=", 6),
    ("flag > false", "cannot use '>' on flag (boolean); true/false values only support == and !=", 5),
    ("amount == null", "use 'is null' instead of '== null' (a comparison with null is never true)", 7),
    ("amount != null", "use 'is not null' instead of '!= null' (a comparison with null is never true)", 7),
    ("amount < null", "cannot compare with null using '<'; use 'is null' or 'is not null'", 7),
    ("amount + null > 1", "'+' with null always gives null; use coalesce(...) to supply a default", 7),
    ("amount is 5", "'is' can only be used as 'is null' or 'is not null'", 7),
    ("stage in ['won', null]", "null in a list never matches; use 'is null'", 17),
    ("stage in 'won'", "'in' needs a list such as [\"a\", \"b\"] or a list parameter", 9),
    ("[1, 2]", "a list can only follow 'in' or 'not in'", 0),
    ("params.stages", "a list can only follow 'in' or 'not in'", 0),
    ("amount", "the expression must give true or false, but it gives a number", 0),
    ("null", "the expression must give true or false, but it gives null", 0),
    # functions
    ("f(x)", f"unknown function 'f'; the functions are: {FUNCS}", 0),
    ("__import__('os')", f"unknown function '__import__'; the functions are: {FUNCS}", 0),
    ("lowr(name) == 'a'", "unknown function 'lowr' (did you mean 'lower'?)", 0),
    ("coalesce(amount)", "coalesce() needs at least two values", 0),
    ("coalesce(amount, name) > 1", "coalesce() needs values of one type, but amount (number) and name (string) "
                                   "differ", 17),
    ("days(1, 2) > days(1)", "days() takes exactly one value, got 2", 0),
    ("hours(name) > hours(1)", "hours() needs a number, not name (string)", 6),
    ("lower(amount) == 'a'", "lower() needs text, not amount (number)", 6),
    ("date(name) < as_of", 'date() needs text such as date("2025-01-31")', 5),
    ("date('2025-13-01') < as_of", "'2025-13-01' is not a valid date; write it as YYYY-MM-DD", 5),
    ("datetime('noon') < as_of", "'noon' is not a valid date and time; write it as YYYY-MM-DDTHH:MM", 9),
    ("is_blank([1])", "a list can only follow 'in' or 'not in'", 9),
    # syntax the language does not have
    ("x.y", "'.' can only be used as params.NAME", 1),
    ("amount.real > 1", "'.' can only be used as params.NAME", 6),
    ("a[0]", "indexing with [ ] is not allowed", 1),
    ("lambda: 1", "'lambda' is not allowed", 0),
    ("amount if flag else 1", "'if' is not allowed", 7),
    ("[x for x in y]", "'for' is not allowed", 3),
    ("(y := 1)", "':=' is not allowed", 3),
    ("f'{amount}' == 'x'", "f-strings are not allowed", 0),
    ("b'x' == name", "byte strings are not allowed", 0),
    ("coalesce(amount, default=1)", "keyword arguments (name=value) are not allowed", 17),
    ("coalesce(*amount)", "'*' unpacking is not allowed", 9),
    ("amount ** 2 > 1", "'**' is not supported", 7),
    ("amount // 2 > 1", "'//' is not supported; use '/'", 7),
    ("amount % 2 == 0", "'%' is not allowed", 7),
    ("flag & flag", "use 'and' instead of '&'", 5),
    ("flag | flag", "use 'or' instead of '|'", 5),
    ("~flag", "use 'not' instead of '~'", 0),
    ("{1: 2}", "'{' is not allowed; use [ ] for a list", 0),
    ("amount in (1, 2)", "use [ ] for a list, e.g. x in [1, 2]", 10),
    ("amount, flag", "use [ ] for a list, e.g. x in [1, 2]", 0),
    ("True", "write true instead of True", 0),
    ("amount > None", "write null instead of None", 9),
    ("1j == 1", "unsupported literal '1j'", 0),
    ("flag # note", "'#' comments are not allowed", 5),
    ("flag; flag", "';' is not allowed", 4),
    ("amount > 1 ！", "unexpected character '！'; write brackets, quotes and commas in plain ASCII", 11),
    ("a ! b", "unexpected character '!'; use 'not' to negate or '!=' to compare", 2),
    ("amount > $x", "unexpected character '$'", 9),
    ("flag\x00", "unexpected control character U+0000", 4),
    # syntax errors
    ("", "the expression is empty; write a condition such as amount > 0", 0),
    ("   ", "the expression is empty; write a condition such as amount > 0", 0),
    ("amount >", "the expression is incomplete; something is missing at the end", 8),
    ("stage == 'won' and ", "the expression is incomplete; something is missing at the end", 18),
    ("(amount > 1", "'(' was never closed", 0),
    ("amount > 1)", "unmatched ')'", 10),
    ("amount > 1 1", "unexpected '1'", 11),
    ("amount = 1", "unexpected '='; use '==' to compare", 7),
    ("name == 'abc", "unterminated string; add the closing quote", 8),
    ("name == '张三' and 1 1", "unexpected '1'", 19),
    ("name == '张三' and amont", "unknown column 'amont' (did you mean 'amount'?)", 17),
    ("x" * 2001, "the expression is too long (2001 characters; at most 2000); split it into simpler rules", 2000),
    ("(" * 51 + "1" + ")" * 51, "the expression is nested too deeply (more than 50 levels)", 50),
    ("-" * 60 + "amount > 1", "the expression is nested too deeply (more than 50 levels)", 49),
    ("not " * 60 + "flag", "the expression is nested too deeply (more than 50 levels)", 200),
])
def test_errors(text, message, offset):
    with pytest.raises(ExprError) as err:
        compile_(text, want="boolean")
    assert err.value.message == message
    assert str(err.value) == message
    assert err.value.offset == offset


def test_error_survives_pickling():
    err = pickle.loads(pickle.dumps(ExprError("unknown column 'x'", 3)))
    assert (err.message, err.offset, str(err)) == ("unknown column 'x'", 3, "unknown column 'x'")


def test_non_text_is_an_error():
    with pytest.raises(ExprError):
        compile_expression(None, COLUMNS, PARAMS)  # type: ignore[arg-type]


def test_programming_mistakes_are_value_errors():
    with pytest.raises(ValueError):
        compile_expression("true", COLUMNS, PARAMS, tz="Mars/Olympus")
    with pytest.raises(ValueError):
        compile_expression("true", COLUMNS, PARAMS, want="colour")


def test_names_that_look_like_literals_stay_inside_strings(deals):
    assert run("name != 'null' and name != \"true\"", deals) == [True, True, None, True]


# -- properties --------------------------------------------------------------------------------

SOUP = ["amount", "stage", "received_at", "first_response_at", "flag", "name", "params", ".", "big_deal",
        "stages", "as_of", "null", "true", "false", "None", "x", "__import__", "os", "lambda", "if", "else",
        "for", "and", "or", "not", "in", "is", "+", "-", "*", "/", "**", "//", "%", "==", "!=", "<", "<=", ">",
        ">=", "=", ":=", "!", "&", "|", "~", ",", "(", ")", "[", "]", "{", "}", ":", ";", "#", "@", "'",
        '"', "`", "$", "\\", "\n", "'won'", '"x"', "1", "2.5", "1e400", "0x10", "1j", "10" * 30, "days(",
        "hours(", "coalesce(", "date(", "datetime(", "is_blank(", "lower(", "len(", "abs(", "'2025-01-31'",
        "f'", "b'", "张", "，", "\t", " "]
SMALL = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frame_with_nulls() -> pd.DataFrame:
    return pd.DataFrame({
        "amount": [1.0, np.nan], "stage": pd.Categorical(["won", None]), "name": ["a", None],
        "flag": pd.array([True, None], dtype="boolean"), "count": pd.array([1, None], dtype="Int64"),
        "received_at": shanghai("2025-01-01 09:00", None), "first_response_at": shanghai(None, None),
        "tier": ["key", None], "step": pd.Categorical([None, "contract_signed"]), "role": [None, None],
        "delivery_terms": pd.array(["", None], dtype="str"), "due": [dt.date(2025, 1, 31), None],
    })


def _compile_or_error(text: str) -> None:
    try:
        expr = compile_expression(text, COLUMNS, PARAMS, tz=TZ)
    except ExprError as err:
        assert isinstance(err.message, str) and err.message
        assert 0 <= err.offset <= len(text)
        return
    for frame in (_frame_with_nulls(), _frame_with_nulls().iloc[:0]):
        assert len(expr.evaluate(frame, AS_OF)) == len(frame)


@SMALL
@given(st.text(max_size=60))
def test_random_text_only_raises_expr_error(text):
    _compile_or_error(text)


@SMALL
@given(st.lists(st.sampled_from(SOUP), max_size=14), st.sampled_from([" ", ""]))
def test_token_soup_only_raises_expr_error(tokens, glue):
    _compile_or_error(glue.join(tokens))


# A small numeric language: trees render to expression text and evaluate row by row in Python.
NUM_COLUMNS = ("amount", "count", "ratio")
NUM_SCHEMA = {"amount": Column("amount", "number"), "count": Column("count", "integer"),
              "ratio": Column("ratio", "number")}
CMP_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge}
ARITH_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}

numbers = st.recursive(
    st.one_of(st.sampled_from(NUM_COLUMNS).map(lambda c: ("col", c)),
              st.integers(-3, 3).map(lambda v: ("num", v))),
    lambda kids: st.one_of(st.tuples(st.just("arith"), st.sampled_from(sorted(ARITH_OPS)), kids, kids),
                           st.tuples(st.just("neg"), kids)),
    max_leaves=4)
conditions = st.recursive(
    st.one_of(
        st.tuples(st.just("cmp"), st.sampled_from(sorted(CMP_OPS)), numbers, numbers),
        st.tuples(st.just("chain"), numbers, st.sampled_from(["<", "<="]), numbers, st.sampled_from(["<", "<="]),
                  numbers),
        st.tuples(st.just("null?"), numbers, st.booleans()),
        st.tuples(st.just("in"), numbers, st.lists(st.integers(-3, 3), max_size=3), st.booleans()),
        st.sampled_from([("lit", True), ("lit", False), ("lit", None)]),
    ),
    lambda kids: st.one_of(st.tuples(st.sampled_from(["and", "or"]), kids, kids),
                           st.tuples(st.just("not"), kids)),
    max_leaves=6).filter(lambda t: t != ("lit", None))  # a bare null is not a condition


def render(t) -> str:
    kind = t[0]
    if kind == "col":
        return t[1]
    if kind == "num":
        return f"({t[1]})"
    if kind == "arith":
        return f"({render(t[2])} {t[1]} {render(t[3])})"
    if kind == "neg":
        return f"(-{render(t[1])})"
    if kind == "cmp":
        return f"({render(t[2])} {t[1]} {render(t[3])})"
    if kind == "chain":
        return f"({render(t[1])} {t[2]} {render(t[3])} {t[4]} {render(t[5])})"
    if kind == "null?":
        return f"({render(t[1])} is {'not ' if t[2] else ''}null)"
    if kind == "in":
        return f"({render(t[1])} {'not ' if t[3] else ''}in [{', '.join(map(str, t[2]))}])"
    if kind == "lit":
        return {True: "true", False: "false", None: "null"}[t[1]]
    if kind == "not":
        return f"(not {render(t[1])})"
    return f"({render(t[1])} {kind} {render(t[2])})"


def k_and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def k_or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


def reference(t, row: dict):
    kind = t[0]
    if kind == "col":
        return row[t[1]]
    if kind == "num":
        return float(t[1])
    if kind == "arith":
        a, b = reference(t[2], row), reference(t[3], row)
        if a is None or b is None or (t[1] == "/" and b == 0):
            return None
        return ARITH_OPS[t[1]](a, b)
    if kind == "neg":
        a = reference(t[1], row)
        return None if a is None else -a
    if kind == "cmp":
        a, b = reference(t[2], row), reference(t[3], row)
        return None if a is None or b is None else CMP_OPS[t[1]](a, b)
    if kind == "chain":
        x, y, z = (reference(t[i], row) for i in (1, 3, 5))
        first = None if x is None or y is None else CMP_OPS[t[2]](x, y)
        second = None if y is None or z is None else CMP_OPS[t[4]](y, z)
        return k_and(first, second)
    if kind == "null?":
        missing = reference(t[1], row) is None
        return not missing if t[2] else missing
    if kind == "in":
        x = reference(t[1], row)
        found = False if not t[2] else None if x is None else x in [float(v) for v in t[2]]
        return (not found if found is not None else None) if t[3] else found
    if kind == "lit":
        return t[1]
    if kind == "not":
        a = reference(t[1], row)
        return None if a is None else not a
    a, b = reference(t[1], row), reference(t[2], row)
    return k_and(a, b) if kind == "and" else k_or(a, b)


cells = st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=0, max_size=6)


def as_series(raw: list, storage: str) -> pd.Series:
    if storage == "float64":
        return pd.Series([np.nan if v is None else float(v) for v in raw], dtype="float64")
    if storage == "object":
        return pd.Series(raw, dtype=object)
    return pd.Series(pd.array(raw, dtype=storage))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), conditions)
def test_vectorized_matches_row_by_row_reference(data, tree):
    length = data.draw(st.integers(0, 6))
    raw = {c: data.draw(st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=length, max_size=length))
           for c in NUM_COLUMNS}
    storage = {c: data.draw(st.sampled_from(["float64", "Float64", "Int64", "object"])) for c in NUM_COLUMNS}
    frame = pd.DataFrame({c: as_series(raw[c], storage[c]) for c in NUM_COLUMNS})
    text = render(tree)
    result = compile_expression(text, NUM_SCHEMA, {}, want="boolean").evaluate(frame)
    rows = [{c: None if raw[c][i] is None else float(raw[c][i]) for c in NUM_COLUMNS} for i in range(length)]
    assert values(result) == [reference(tree, row) for row in rows], text
