"""Rule expressions (``when:``/``assert:``) compiled into vectorized pandas operations.

Text is parsed and vetted by ``checker.expr_parse``; this module type-checks the tree
against the data model and builds a chain of closures over pandas Series. Nulls follow
three-valued (Kleene) logic, so a boolean result holds True, False or NA ("not evaluable").

Internally every value is a Series on a RangeIndex with one dtype per type: boolean ->
"boolean", number -> "Float64", string -> "string", and datetime/duration -> "Int64"
nanoseconds (datetimes as UTC). Integer nanoseconds make nulls, comparisons and mixed time
zones uniform, and let arithmetic overflow become null instead of an exception.
"""
from __future__ import annotations

import ast
import datetime as _dt
import difflib
import operator
import warnings
from dataclasses import dataclass, field
from functools import reduce
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from checker.expr_parse import ExprError, Parsed, parse

__all__ = ["Column", "CompiledExpr", "ExprError", "compile_expression"]

_KIND_TYPE = {"string": "string", "enum": "string", "step": "string", "role": "string", "integer": "number",
              "number": "number", "boolean": "boolean", "date": "datetime", "datetime": "datetime"}
_RESULT_TYPES = ("boolean", "number", "string", "datetime", "duration")
_WANT_WORDS = {"boolean": "true or false", "number": "a number", "string": "text",
               "datetime": "a date or time", "duration": "a length of time"}
_CMP = {ast.Eq: ("==", operator.eq), ast.NotEq: ("!=", operator.ne), ast.Lt: ("<", operator.lt),
        ast.LtE: ("<=", operator.le), ast.Gt: (">", operator.gt), ast.GtE: (">=", operator.ge)}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# (operator, left type, right type) -> result type
_ARITH_TYPES = {
    **{(op, "number", "number"): "number" for op in "+-*/"},
    ("-", "datetime", "datetime"): "duration", ("+", "datetime", "duration"): "datetime",
    ("+", "duration", "datetime"): "datetime", ("-", "datetime", "duration"): "datetime",
    ("+", "duration", "duration"): "duration", ("-", "duration", "duration"): "duration",
    ("*", "number", "duration"): "duration", ("*", "duration", "number"): "duration",
    ("/", "duration", "number"): "duration", ("/", "duration", "duration"): "number",
}
_DURATION_UNITS = {"days": 86_400, "hours": 3_600, "minutes": 60}
_STRING_FUNCS = {"lower": "string", "upper": "string", "strip": "string", "len": "number"}
FUNCTIONS = ("abs", "coalesce", "date", "datetime", "days", "hours", "is_blank", "len", "lower", "minutes",
             "strip", "upper")

Run = Callable[["_Env"], object]
_NOTHING = object()  # marks "no value known at compile time"


@dataclass(frozen=True)
class Column:
    """A column as expressions see it (built from the data model)."""

    name: str
    type: str                      # one of the column types in the data model
    values: tuple[str, ...] = ()   # allowed values for enum/step/role


@dataclass(frozen=True)
class CompiledExpr:
    """A checked expression, ready to evaluate over any frame holding its columns."""

    text: str
    type: str
    columns: frozenset[str]
    params: frozenset[str]
    _run: Run | None = field(default=None, repr=False, compare=False)
    _tz: str | None = field(default=None, repr=False, compare=False)

    def evaluate(self, frame: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.Series:
        """One value per row of ``frame``, on its index; an ``as_of`` of None counts as null.

        Booleans come back as the nullable "boolean" dtype (NA = not evaluable), numbers as
        "Float64", datetimes as datetime64[ns] in the compile time zone (naive without one).
        A column missing from ``frame`` raises KeyError.
        """
        env = _Env(frame, as_of, self._tz)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _output(self._run(env), self.type, self._tz, frame.index)


def compile_expression(text: str, columns: Mapping[str, Column], params: Mapping[str, object],
                       tz: str | None = None, want: str | None = None) -> CompiledExpr:
    """Parse, whitelist-check and type-check; raises ExprError (never anything else, for ANY input string).

    ``tz`` localizes date(...)/datetime(...) literals and naive datetime data; ``want``
    (e.g. "boolean") is the type the expression must produce.
    """
    if want is not None and want not in _RESULT_TYPES:
        raise ValueError(f"want must be one of {_RESULT_TYPES}, not {want!r}")
    _check_tz(tz)
    for col in columns.values():
        if col.type not in _KIND_TYPE:
            raise ValueError(f"column {col.name!r} has unknown type {col.type!r}")
    try:
        parsed = parse(text)
        checker = _Checker(parsed, columns, params, tz)
        node = checker.check(parsed.tree)
    except RecursionError:  # depth is capped while parsing; this is a last line of defence
        raise ExprError("the expression is nested too deeply", 0) from None
    if node.type == "list":
        raise ExprError("a list can only follow 'in' or 'not in'", node.start)
    if want is not None and node.type != want:
        raise ExprError(f"the expression must give {_WANT_WORDS[want]}, but it gives {_article(node.type)}", 0)
    return CompiledExpr(text, node.type, frozenset(checker.columns), frozenset(checker.params),
                        checker.runner(node, node.type), tz)


@dataclass
class _Node:
    type: str                      # boolean, number, string, datetime, duration, null, list
    run: Run
    start: int
    end: int
    label: str = ""                # declared column type, shown in messages
    kind: str = ""                 # enum/step/role of a column reference
    name: str = ""
    allowed: tuple[str, ...] = ()
    const: object = _NOTHING       # value known at compile time
    items: list[_Node] = field(default_factory=list)


def _article(type_: str) -> str:
    return {"null": "null", "boolean": "true/false", "integer": "an integer"}.get(
        type_, f"a {type_}" if type_[0] not in "aeiou" else f"an {type_}")


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Checker:
    def __init__(self, parsed: Parsed, columns: Mapping[str, Column], params: Mapping[str, object],
                 tz: str | None) -> None:
        self.p, self.cols, self.param_values, self.tz = parsed, columns, params, tz
        self.columns: set[str] = set()
        self.params: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------
    def node(self, ast_node: ast.AST, type_: str, run: Run, **kw) -> _Node:
        return _Node(type_, run, self.p.start(ast_node), self.p.end(ast_node), **kw)

    def desc(self, n: _Node) -> str:
        snippet = self.p.text[n.start:n.end]
        kind = n.label or n.type
        return f"{snippet} ({kind})" if len(snippet) <= 40 and "\n" not in snippet else _article(kind)

    def runner(self, n: _Node, type_: str) -> Run:
        if n.type == "null" and type_ != "null":
            return lambda env: _full(None, type_, env.n)
        return n.run

    def expect(self, n: _Node, types: tuple[str, ...], what: str) -> None:
        if n.type not in types and n.type != "null":
            raise ExprError(f"{what}, not {self.desc(n)}", n.start)

    # -- dispatch --------------------------------------------------------------------------
    def check(self, node: ast.AST, in_list: bool = False) -> _Node:
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:  # the parse step whitelists nodes; this guards against drift
            raise ExprError("this kind of expression is not allowed", self.p.start(node))
        n = method(node)
        if n.type == "list" and not in_list:
            raise ExprError("a list can only follow 'in' or 'not in'", n.start)
        return n

    def _constant(self, node: ast.Constant) -> _Node:
        value = node.value
        if value is None:
            return self.node(node, "null", lambda env: _full(pd.NA, "null", env.n), const=None)
        type_ = "boolean" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
        if type_ == "number":
            try:
                value = float(value)
            except OverflowError:
                raise ExprError("this number is too large", self.p.start(node)) from None
        return self.node(node, type_, lambda env: _full(value, type_, env.n), const=value)

    def _name(self, node: ast.Name) -> _Node:
        name = node.id
        if name == "as_of":
            return self.node(node, "datetime", lambda env: env.as_of())
        if name == "params":
            raise ExprError("write params.NAME to use a parameter", self.p.start(node))
        col = self.cols.get(name)
        if col is None:
            raise ExprError(f"unknown column '{name}'{_suggest(name, self.cols)}", self.p.start(node))
        self.columns.add(name)
        kind = col.type if col.type in ("enum", "step", "role") else ""
        return self.node(node, _KIND_TYPE[col.type], lambda env: env.column(col.name, col.type),
                         label=col.type, kind=kind, name=name, allowed=tuple(col.values))

    def _attribute(self, node: ast.Attribute) -> _Node:
        if not (isinstance(node.value, ast.Name) and node.value.id == "params"):
            raise ExprError("'.' can only be used as params.NAME", self.p.text.find(".", self.p.end(node.value)))
        name, offset = node.attr, self.p.end(node) - len(node.attr)
        if name not in self.param_values:
            raise ExprError(f"unknown parameter '{name}'{_suggest(name, self.param_values)}", offset)
        self.params.add(name)
        type_, value = _param_type(name, self.param_values[name], offset, self.tz)
        if type_ == "list":
            items = [self.node(node, t, (lambda v, t: lambda env: _full(v, t, env.n))(v, t), const=v)
                     for t, v in value]
            return self.node(node, "list", lambda env: [i.run(env) for i in items], items=items)
        return self.node(node, type_, lambda env: _full(value, type_, env.n), const=value)

    def _list(self, node: ast.List) -> _Node:
        items = [self.check(item) for item in node.elts]
        return self.node(node, "list", lambda env: [i.run(env) for i in items], items=items)

    def _boolop(self, node: ast.BoolOp) -> _Node:
        word, fn = ("and", operator.and_) if isinstance(node.op, ast.And) else ("or", operator.or_)
        values = [self.check(v) for v in node.values]
        for v in values:
            self.expect(v, ("boolean",), f"'{word}' needs true/false values")
        runs = [self.runner(v, "boolean") for v in values]
        return self.node(node, "boolean", lambda env: reduce(fn, (r(env) for r in runs)))

    def _unaryop(self, node: ast.UnaryOp) -> _Node:
        x = self.check(node.operand)
        if isinstance(node.op, ast.Not):
            self.expect(x, ("boolean",), "'not' needs a true/false value")
            run = self.runner(x, "boolean")
            return self.node(node, "boolean", lambda env: ~run(env))
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        self.expect(x, ("number", "duration"), f"'{sign}' needs a number or a duration")
        type_ = "number" if x.type == "null" else x.type
        if sign == "+":
            return self.node(node, type_, self.runner(x, type_), const=x.const)
        const = -x.const if isinstance(x.const, float) else _NOTHING
        run = self.runner(x, type_)
        return self.node(node, type_, lambda env: -run(env), const=const)

    def _binop(self, node: ast.BinOp) -> _Node:
        sym = _ARITH[type(node.op)]
        a, b = self.check(node.left), self.check(node.right)
        if "null" in (a.type, b.type):
            raise ExprError(f"'{sym}' with null always gives null; use coalesce(...) to supply a default",
                            self.p.symbol_after(a.end))
        result = _ARITH_TYPES.get((sym, a.type, b.type))
        if result is None:
            hint = ""
            if {a.type, b.type} in ({"datetime", "number"}, {"duration", "number"}) and sym in "+-":
                hint = "; write days(n), hours(n) or minutes(n) for a length of time"
            raise ExprError(f"cannot use '{sym}' on {self.desc(a)} and {self.desc(b)}{hint}",
                            self.p.symbol_after(a.end))
        ra, rb = a.run, b.run
        return self.node(node, result, lambda env: _arith(sym, a.type, b.type, ra(env), rb(env)))

    def _compare(self, node: ast.Compare) -> _Node:
        left = self.check(node.left)
        operands, steps = [left], []
        for op, right_ast in zip(node.ops, node.comparators):
            right = self.check(right_ast, in_list=isinstance(op, (ast.In, ast.NotIn)))
            steps.append(self.pair(operands[-1], op, right, right_ast))
            operands.append(right)
        runs = [o.run for o in operands]

        def run(env):
            values = [r(env) for r in runs]
            return reduce(operator.and_, (step(values[i], values[i + 1]) for i, step in enumerate(steps)))
        return self.node(node, "boolean", run)

    def pair(self, a: _Node, op: ast.cmpop, b: _Node, b_ast: ast.AST) -> Callable:
        at = self.p.symbol_after(a.end)
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not (isinstance(b_ast, ast.Constant) and b_ast.value is None):
                raise ExprError("'is' can only be used as 'is null' or 'is not null'", at)
            negate = isinstance(op, ast.IsNot)
            return lambda x, _: _is_null(x, negate)
        if isinstance(op, (ast.In, ast.NotIn)):
            if b.type != "list":
                raise ExprError("'in' needs a list such as [\"a\", \"b\"] or a list parameter", b.start)
            for item in b.items:
                self.comparable(a, "==", item, item.start, in_list=True)
            negate = isinstance(op, ast.NotIn)
            return lambda x, items: _isin(x, items, negate)
        sym, fn = _CMP[type(op)]
        self.comparable(a, sym, b, at)
        return lambda x, y: _cmp_values(fn, x, y)

    def comparable(self, a: _Node, sym: str, b: _Node, at: int, in_list: bool = False) -> None:
        if "null" in (a.type, b.type):
            if in_list and b.type == "null":
                raise ExprError("null in a list never matches; use 'is null'", b.start)
            if sym in ("==", "!="):
                fix = "is null" if sym == "==" else "is not null"
                raise ExprError(f"use '{fix}' instead of '{sym} null' (a comparison with null is never true)", at)
            raise ExprError(f"cannot compare with null using '{sym}'; use 'is null' or 'is not null'", at)
        if a.type != b.type:
            hint = ""
            if {a.type, b.type} == {"datetime", "string"}:
                lit = a.const if isinstance(a.const, str) else b.const
                example = f'"{lit}"' if isinstance(lit, str) else '"2025-01-31"'
                hint = f"; write date({example}) or datetime(...) for a point in time"
            elif {a.type, b.type} == {"duration", "number"}:
                hint = "; write days(n), hours(n) or minutes(n) for a length of time"
            raise ExprError(f"cannot compare {self.desc(a)} with {self.desc(b)}{hint}", at)
        if sym not in ("==", "!="):
            for n in (a, b):
                if n.kind or n.type == "boolean":
                    what = f"{n.kind} values" if n.kind else "true/false values"
                    raise ExprError(f"cannot use '{sym}' on {self.desc(n)}; {what} only support == and !=", at)
        for col, other in ((a, b), (b, a)):
            if col.allowed and isinstance(other.const, str) and other.const not in col.allowed:
                raise ExprError(self.bad_value(col, other.const), other.start)

    def bad_value(self, col: _Node, value: str) -> str:
        hint = _suggest(value, col.allowed)
        listing = "" if hint else f"; the values are: {', '.join(col.allowed)}"
        if col.kind in ("step", "role"):
            return f"unknown {col.kind} '{value}'{hint}{listing}"
        return f"'{value}' is not a value of {col.name}{hint}{listing}"

    def _call(self, node: ast.Call) -> _Node:
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func not in FUNCTIONS:
            where = self.p.start(node)
            if func is None:
                raise ExprError(f"only these functions can be called: {', '.join(FUNCTIONS)}", where)
            hint = _suggest(func, FUNCTIONS) or f"; the functions are: {', '.join(FUNCTIONS)}"
            raise ExprError(f"unknown function '{func}'{hint}", where)
        if node.keywords:  # the parse step rejects these; kept so the rule holds on its own
            raise ExprError("keyword arguments (name=value) are not allowed", self.p.start(node.keywords[0]))
        args = [self.check(a) for a in node.args]
        if func == "coalesce":
            return self.coalesce(node, args)
        if len(args) != 1:
            raise ExprError(f"{func}() takes exactly one value, got {len(args)}", self.p.start(node))
        x = args[0]
        if func in _DURATION_UNITS:
            self.expect(x, ("number",), f"{func}() needs a number")
            run, seconds = self.runner(x, "number"), _DURATION_UNITS[func]
            return self.node(node, "duration", lambda env: _duration(run(env), seconds))
        if func in ("date", "datetime"):
            if not isinstance(x.const, str):
                raise ExprError(f'{func}() needs text such as {func}("2025-01-31")', x.start)
            ns = _parse_when(func, x.const, self.tz, x.start)
            return self.node(node, "datetime", lambda env: _full(ns, "datetime", env.n), const=ns)
        if func in _STRING_FUNCS:
            self.expect(x, ("string",), f"{func}() needs text")
            run = self.runner(x, "string")
            return self.node(node, _STRING_FUNCS[func], lambda env: _string_func(func, run(env)))
        if func == "abs":
            self.expect(x, ("number", "duration"), "abs() needs a number or a duration")
            type_ = "number" if x.type == "null" else x.type
            run = self.runner(x, type_)
            return self.node(node, type_, lambda env: run(env).abs())
        if x.type == "list":
            raise ExprError("is_blank() needs a single value", x.start)
        run, type_ = x.run, x.type
        return self.node(node, "boolean", lambda env: _is_blank(run(env), type_))

    def coalesce(self, node: ast.Call, args: list[_Node]) -> _Node:
        if len(args) < 2:
            raise ExprError("coalesce() needs at least two values", self.p.start(node))
        typed = [a for a in args if a.type != "null"]
        type_ = typed[0].type if typed else "null"
        for a in typed:
            if a.type != type_ or a.type == "list":
                raise ExprError(f"coalesce() needs values of one type, but {self.desc(typed[0])} and "
                                f"{self.desc(a)} differ", a.start)
        runs = [self.runner(a, type_) for a in args]
        return self.node(node, type_, lambda env: reduce(_fill, (r(env) for r in runs)))


# -- runtime --------------------------------------------------------------------------------
_DTYPES = {"boolean": "boolean", "number": "Float64", "string": "string", "datetime": "Int64",
           "duration": "Int64", "null": "object"}
_NS = 1_000_000_000
_NS_LIMIT = 9.2e18  # just inside the int64 nanosecond range; beyond it a result becomes null
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _check_tz(tz: str | None) -> None:
    if tz is not None:
        try:
            pd.Timestamp("2000-01-01").tz_localize(tz)
        except Exception:
            raise ValueError(f"unknown time zone {tz!r}") from None


def _ns(value: object, tz: str | None) -> int | None:
    """A point in time as UTC nanoseconds; naive values are wall-clock time in ``tz``."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is None and tz is not None:
        ts = ts.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    try:
        ns = ts.as_unit("ns").value
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    return ns if abs(ns) <= _NS_LIMIT else None


def _safe_ns(value: object, tz: str | None) -> int | None:
    try:
        return None if _plain(value, "datetime") is None else _ns(value, tz)
    except (ValueError, TypeError, OverflowError):
        return None


def _param_type(name: str, value: object, offset: int, tz: str | None) -> tuple[str, object]:
    def scalar(v: object) -> tuple[str, object] | None:
        if v is None:
            return "null", None
        if isinstance(v, (bool, np.bool_)):
            return "boolean", bool(v)
        if isinstance(v, (int, float, np.integer, np.floating)):
            return "number", float(v)
        if isinstance(v, str):
            return "string", v
        if isinstance(v, (_dt.date, np.datetime64)):
            ns = _ns(v, tz)
            return None if ns is None else ("datetime", ns)
        if isinstance(v, (_dt.timedelta, np.timedelta64)):
            return "duration", pd.Timedelta(v).value
        return None
    if isinstance(value, dict) or (isinstance(value, (list, tuple)) and any(isinstance(v, dict) for v in value)):
        raise ExprError(f"parameter '{name}' is a table of values and cannot be used in an expression", offset)
    try:
        if isinstance(value, (list, tuple)):
            items = [scalar(v) for v in value]
            if any(i is None or i[0] == "null" for i in items) or len({i[0] for i in items}) > 1:
                raise ExprError(f"parameter '{name}' must be a list of values of one type", offset)
            return "list", items
        item = scalar(value)
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):
        item = None
    if item is None:
        raise ExprError(f"parameter '{name}' holds a {type(value).__name__} value, which expressions cannot use",
                        offset)
    return item


def _parse_when(func: str, text: str, tz: str | None, offset: int) -> int:
    try:
        value = _dt.date.fromisoformat(text) if func == "date" else _dt.datetime.fromisoformat(text)
        ns = _ns(value, tz)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        form = "YYYY-MM-DD" if func == "date" else "YYYY-MM-DDTHH:MM"
        what = "date" if func == "date" else "date and time"
        raise ExprError(f"'{text}' is not a valid {what}; write it as {form}", offset) from None
    if ns is None:
        raise ExprError(f"'{text}' is outside the supported range of dates", offset)
    return ns


class _Env:
    """The data one evaluation reads, converted once per column."""

    def __init__(self, frame: pd.DataFrame, as_of: object, tz: str | None) -> None:
        self.frame, self.n, self.tz, self._as_of = frame, len(frame), tz, as_of
        self._cache: dict[str, pd.Series] = {}

    def column(self, name: str, kind: str) -> pd.Series:
        if name not in self._cache:
            if name not in self.frame.columns:
                raise KeyError(f"column {name!r} is not in the table")
            raw = self.frame[name]
            if isinstance(raw, pd.DataFrame):  # duplicated header: the first one wins
                raw = raw.iloc[:, 0]
            raw = raw.reset_index(drop=True)
            try:
                self._cache[name] = _load(raw, _KIND_TYPE[kind], self.tz)
            except Exception:  # odd storage: fall back to converting value by value
                self._cache[name] = _load(pd.Series([_plain(v, _KIND_TYPE[kind]) for v in raw], dtype=object),
                                          _KIND_TYPE[kind], self.tz)
        return self._cache[name]

    def as_of(self) -> pd.Series:
        ns = _to_ns(pd.Series([self._as_of], dtype=object), self.tz)[0]
        return _full(ns, "datetime", self.n)


def _plain(v: object, type_: str) -> object:
    try:
        if v is None or (np.ndim(v) == 0 and bool(pd.isna(v))):
            return None
        if type_ == "number":
            return float(v)
        if type_ == "boolean":
            return v if isinstance(v, (bool, np.bool_)) else {"true": True, "false": False}.get(str(v).lower())
        return str(v) if type_ == "string" else pd.Timestamp(v)
    except Exception:
        return None


def _load(s: pd.Series, type_: str, tz: str | None) -> pd.Series:
    if type_ == "number":
        if not pd.api.types.is_numeric_dtype(s.dtype):
            s = pd.to_numeric(s.astype(object), errors="coerce")
        return s.astype("Float64")
    if type_ == "string":
        return s.astype(_DTYPES["string"])
    if type_ == "boolean":
        return s.astype("boolean")
    return _to_ns(s, tz)


def _to_ns(s: pd.Series, tz: str | None) -> pd.Series:
    if not (isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s.dtype)):
        values = s.astype(object)
        try:
            s = pd.to_datetime(values, errors="coerce", format="mixed")
            if s.dtype == object:
                raise ValueError("mixed time zones")
        except (ValueError, TypeError):  # naive and zoned values mixed: each one on its own
            ns = [_safe_ns(v, tz) for v in values]
            return _ints(np.array([v or 0 for v in ns]), np.array([v is None for v in ns]))
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(None)
    elif tz is not None:
        s = s.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert(None)
    arr = s.to_numpy()
    per = {"s": _NS, "ms": 10**6, "us": 1000, "ns": 1}[np.datetime_data(arr.dtype)[0]]
    ints, bad = arr.view("int64"), np.isnat(arr)
    bad = bad | ~(np.abs(ints.astype(float) * per) <= _NS_LIMIT)
    return _ints(np.where(bad, 0, ints) * per, bad)


def _ints(values: np.ndarray, bad: np.ndarray) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(values.astype("int64"), np.asarray(bad, dtype=bool)))


def _floats(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=float, na_value=np.nan)


def _float_ns(values: np.ndarray) -> pd.Series:
    bad = ~(np.abs(values) <= _NS_LIMIT)  # NaN and infinities fail this too
    return _ints(np.round(np.where(bad, 0.0, values)), bad)


def _full(value: object, type_: str, n: int) -> pd.Series:
    return pd.Series(value, index=pd.RangeIndex(n), dtype=_DTYPES[type_])


def _arith(sym: str, ta: str, tb: str, a: pd.Series, b: pd.Series) -> pd.Series:
    fn = _OPS[sym]
    if ta == tb == "number":
        result = fn(a, b)
        return result.mask((b == 0).fillna(False)) if sym == "/" else result
    fa, fb = _floats(a), _floats(b)
    if sym in "+-":  # exact integer nanoseconds, with overflow turned into null
        bad = ~(np.abs(fn(fa, fb)) <= _NS_LIMIT)
        ia, ib = (x.to_numpy(dtype="int64", na_value=0) for x in (a, b))
        return _ints(fn(np.where(bad, 0, ia), np.where(bad, 0, ib)), bad)
    if sym == "*":
        return _float_ns(fa * fb)
    quotient = np.where(fb == 0, np.nan, fa / np.where(fb == 0, 1.0, fb))
    return _float_ns(quotient) if tb == "number" else pd.Series(pd.array(quotient, dtype="Float64"))


def _duration(n: pd.Series, seconds: int) -> pd.Series:
    return _float_ns(_floats(n) * (seconds * _NS))


def _cmp_values(fn: Callable, x: pd.Series, y: pd.Series) -> pd.Series:
    return fn(x, y).astype("boolean")


def _isin(x: pd.Series, items: list[pd.Series], negate: bool) -> pd.Series:
    found = reduce(operator.or_, (_cmp_values(operator.eq, x, i) for i in items),
                   pd.Series(False, index=pd.RangeIndex(len(x)), dtype="boolean"))
    return ~found if negate else found


def _is_null(x: pd.Series, negate: bool) -> pd.Series:
    missing = x.isna()
    return (~missing if negate else missing).astype("boolean")


def _is_blank(x: pd.Series, type_: str) -> pd.Series:
    if type_ == "string":
        return (x.str.strip() == "").astype("boolean").fillna(True)
    return x.isna().astype("boolean")


def _string_func(func: str, s: pd.Series) -> pd.Series:
    if func == "len":
        return s.str.len().astype("Float64")
    return getattr(s.str, func)()


def _fill(a: pd.Series, b: pd.Series) -> pd.Series:
    return a.where(a.notna(), b)


def _output(values: pd.Series, type_: str, tz: str | None, index: pd.Index) -> pd.Series:
    if type_ in ("datetime", "duration"):
        ints = values.to_numpy(dtype="int64", na_value=np.iinfo("int64").min)  # that value is NaT
        if type_ == "duration":
            return pd.Series(ints.view("timedelta64[ns]"), index=index)
        out = pd.Series(ints.view("datetime64[ns]"))
        return pd.Series((out.dt.tz_localize("UTC").dt.tz_convert(tz) if tz else out).array, index=index)
    return pd.Series(values.astype(_DTYPES[type_]).array, index=index)
