"""Type checking a vetted tree against the data model, building the runtime closures on the way.

Each node of the tree becomes a ``_Node``: its type, its place in the text (for messages)
and a closure from ``runtime`` that computes it. Every mistake a rule author can make is
reported here as an ExprError with an offset, before any data is read.
"""
from __future__ import annotations

import ast
import difflib
import operator
from dataclasses import dataclass, field
from functools import reduce
from typing import Callable, Mapping

import pandas as pd

from .constants import param_type, parse_when
from .parse import ExprError, Parsed
from .labels import label_test
from .runtime import (Run, arith, compare_values, duration, fill, full, is_blank, is_null, isin,
                      string_func)
from .types import ARITH_TYPES, KIND_TYPE, Column, FieldError, article

_CMP = {ast.Eq: ("==", operator.eq), ast.NotEq: ("!=", operator.ne), ast.Lt: ("<", operator.lt),
        ast.LtE: ("<=", operator.le), ast.Gt: (">", operator.gt), ast.GtE: (">=", operator.ge)}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_DURATION_UNITS = {"days": 86_400, "hours": 3_600, "minutes": 60}
_STRING_FUNCS = {"lower": "string", "upper": "string", "strip": "string", "len": "number"}
FUNCTIONS = ("abs", "coalesce", "date", "datetime", "days", "hours", "is_blank", "len", "lower", "minutes",
             "strip", "upper")

_NOTHING = object()  # marks "no value known at compile time"


@dataclass
class _Node:
    """A checked subexpression: its type, where it is in the text, and how to compute it."""

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


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Checker:
    """Checks one parsed expression; records the columns and parameters it reads."""

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
        return f"{snippet} ({kind})" if len(snippet) <= 40 and "\n" not in snippet else article(kind)

    def runner(self, n: _Node, type_: str) -> Run:
        if n.type == "null" and type_ != "null":
            return lambda env: full(None, type_, env.n)
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
            return self.node(node, "null", lambda env: full(pd.NA, "null", env.n), const=None)
        type_ = "boolean" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
        if type_ == "number":
            try:
                value = float(value)
            except OverflowError:
                raise ExprError("this number is too large", self.p.start(node)) from None
        return self.node(node, type_, lambda env: full(value, type_, env.n), const=value)

    def _name(self, node: ast.Name) -> _Node:
        name = node.id
        if name == "as_of":
            return self.node(node, "datetime", lambda env: env.as_of())
        if name == "params":
            raise ExprError("write params.NAME to use a parameter", self.p.start(node))
        col = self.cols.get(name)
        if col is None:
            raise ExprError(f"unknown column '{name}'{_suggest(name, self.cols)}", self.p.start(node))
        return self._column(node, col)

    def _column(self, node: ast.AST, col: Column) -> _Node:
        self.columns.add(col.name)
        kind = col.type if col.type in ("enum", "step", "role") else ""
        return self.node(node, KIND_TYPE[col.type], lambda env: env.column(col.name, col.type),
                         label=col.type, kind=kind, name=col.name, allowed=tuple(col.values))

    def _attribute(self, node: ast.Attribute) -> _Node:
        path = self._path(node)
        if path and path[0][0] == "params" and len(path) == 2:
            return self._param(node)
        related = getattr(self.cols, "related", None)
        if not path or path[0][0] == "params" or related is None:
            where = self.p.text.find(".", self.p.end(node.value))
            raise ExprError("'.' can only be used as params.NAME or relation.field"
                            if related else "'.' can only be used as params.NAME", where)
        try:
            return self._column(node, related(tuple(name for name, _ in path)))
        except FieldError as exc:
            raise ExprError(exc.message, path[exc.part][1]) from None

    def _path(self, node: ast.AST) -> list[tuple[str, int]] | None:
        """The names of a dotted path (a.b.c) with the offset of each, or None for anything else."""
        if isinstance(node, ast.Name):
            return [(node.id, self.p.start(node))]
        if isinstance(node, ast.Attribute):
            head = self._path(node.value)
            return None if head is None else [*head, (node.attr, self.p.end(node) - len(node.attr))]
        return None

    def _param(self, node: ast.Attribute) -> _Node:
        name, offset = node.attr, self.p.end(node) - len(node.attr)
        if name not in self.param_values:
            raise ExprError(f"unknown parameter '{name}'{_suggest(name, self.param_values)}", offset)
        self.params.add(name)
        type_, value = param_type(name, self.param_values[name], offset, self.tz)
        if type_ == "list":
            items = [self.node(node, t, (lambda v, t: lambda env: full(v, t, env.n))(v, t), const=v)
                     for t, v in value]
            return self.node(node, "list", lambda env: [i.run(env) for i in items], items=items)
        return self.node(node, type_, lambda env: full(value, type_, env.n), const=value)

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
        result = ARITH_TYPES.get((sym, a.type, b.type))
        if result is None:
            hint = ""
            if {a.type, b.type} in ({"datetime", "number"}, {"duration", "number"}) and sym in "+-":
                hint = "; write days(n), hours(n) or minutes(n) for a length of time"
            raise ExprError(f"cannot use '{sym}' on {self.desc(a)} and {self.desc(b)}{hint}",
                            self.p.symbol_after(a.end))
        ra, rb = a.run, b.run
        return self.node(node, result, lambda env: arith(sym, a.type, b.type, ra(env), rb(env)))

    def _compare(self, node: ast.Compare) -> _Node:
        left = self.check(node.left)
        operands, steps = [left], []
        for op, right_ast in zip(node.ops, node.comparators):
            right = self.check(right_ast, in_list=isinstance(op, (ast.In, ast.NotIn)))
            steps.append(self.pair(operands[-1], op, right, right_ast))
            operands.append(right)
        labels = label_test(left, node.ops, operands[1:])
        if labels is not None:
            return self.node(node, "boolean", labels)
        runs = [o.run for o in operands]

        def run(env):
            values = [r(env) for r in runs]
            return reduce(operator.and_, (step(values[i], values[i + 1]) for i, step in enumerate(steps)))
        return self.node(node, "boolean", run)

    def pair(self, a: _Node, op: ast.cmpop, b: _Node, b_ast: ast.AST) -> Callable:
        """The function comparing two evaluated operands, after checking they may be compared."""
        at = self.p.symbol_after(a.end)
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not (isinstance(b_ast, ast.Constant) and b_ast.value is None):
                raise ExprError("'is' can only be used as 'is null' or 'is not null'", at)
            negate = isinstance(op, ast.IsNot)
            return lambda x, _: is_null(x, negate)
        if isinstance(op, (ast.In, ast.NotIn)):
            if b.type != "list":
                raise ExprError("'in' needs a list such as [\"a\", \"b\"] or a list parameter", b.start)
            for item in b.items:
                self.comparable(a, "==", item, item.start, in_list=True)
            negate = isinstance(op, ast.NotIn)
            return lambda x, items: isin(x, items, negate)
        sym, fn = _CMP[type(op)]
        self.comparable(a, sym, b, at)
        return lambda x, y: compare_values(fn, x, y)

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
            return self.node(node, "duration", lambda env: duration(run(env), seconds))
        if func in ("date", "datetime"):
            if not isinstance(x.const, str):
                raise ExprError(f'{func}() needs text such as {func}("2025-01-31")', x.start)
            ns = parse_when(func, x.const, self.tz, x.start)
            return self.node(node, "datetime", lambda env: full(ns, "datetime", env.n), const=ns)
        if func in _STRING_FUNCS:
            self.expect(x, ("string",), f"{func}() needs text")
            run = self.runner(x, "string")
            return self.node(node, _STRING_FUNCS[func], lambda env: string_func(func, run(env)))
        if func == "abs":
            self.expect(x, ("number", "duration"), "abs() needs a number or a duration")
            type_ = "number" if x.type == "null" else x.type
            run = self.runner(x, type_)
            return self.node(node, type_, lambda env: run(env).abs())
        if x.type == "list":
            raise ExprError("is_blank() needs a single value", x.start)
        run, type_ = x.run, x.type
        return self.node(node, "boolean", lambda env: is_blank(run(env), type_))

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
        return self.node(node, type_, lambda env: reduce(fill, (r(env) for r in runs)))
