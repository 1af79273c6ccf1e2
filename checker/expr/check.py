"""Type checking a vetted tree against the data model, building the runtime closures on the way.

Each node of the tree becomes a ``Node`` (nodes.py): its type, its place in the text (for messages)
and a closure from ``runtime`` that computes it. Every mistake a rule author can make is
reported here as an ExprError with an offset, before any data is read. Function calls are
checked in calls.py.
"""
from __future__ import annotations

import ast
import operator
from functools import reduce
from typing import Callable, Mapping

import pandas as pd

from .calls import check_call
from .constants import param_type
from .labels import label_test
from .nodes import NOTHING, Node, suggest
from .parse import ExprError, Parsed
from .runtime import Run, arith, compare_values, full, is_null, isin
from .types import ARITH_TYPES, KIND_TYPE, Column, FieldError, article

_CMP = {ast.Eq: ("==", operator.eq), ast.NotEq: ("!=", operator.ne), ast.Lt: ("<", operator.lt),
        ast.LtE: ("<=", operator.le), ast.Gt: (">", operator.gt), ast.GtE: (">=", operator.ge)}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class Checker:
    """Checks one parsed expression; records the columns and parameters it reads."""

    def __init__(self, parsed: Parsed, columns: Mapping[str, Column], params: Mapping[str, object],
                 tz: str | None) -> None:
        self.p, self.cols, self.param_values, self.tz = parsed, columns, params, tz
        self.columns: set[str] = set()
        self.params: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------
    def node(self, ast_node: ast.AST, type_: str, run: Run, **kw) -> Node:
        return Node(type_, run, self.p.start(ast_node), self.p.end(ast_node), **kw)

    def desc(self, n: Node) -> str:
        snippet = self.p.text[n.start:n.end]
        kind = n.label or n.type
        return f"{snippet} ({kind})" if len(snippet) <= 40 and "\n" not in snippet else article(kind)

    def runner(self, n: Node, type_: str) -> Run:
        if n.type == "null" and type_ != "null":
            return lambda env: full(None, type_, env.n)
        return n.run

    def expect(self, n: Node, types: tuple[str, ...], what: str) -> None:
        if n.type not in types and n.type != "null":
            raise ExprError(f"{what}, not {self.desc(n)}", n.start)

    # -- dispatch --------------------------------------------------------------------------
    def check(self, node: ast.AST, in_list: bool = False) -> Node:
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:  # the parse step whitelists nodes; this guards against drift
            raise ExprError("this kind of expression is not allowed", self.p.start(node))
        n = method(node)
        if n.type == "list" and not in_list:
            raise ExprError("a list can only follow 'in' or 'not in'", n.start)
        return n

    def _constant(self, node: ast.Constant) -> Node:
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

    def _name(self, node: ast.Name) -> Node:
        name = node.id
        if name == "as_of":
            return self.node(node, "datetime", lambda env: env.as_of())
        if name == "params":
            raise ExprError("write params.NAME to use a parameter", self.p.start(node))
        col = self.cols.get(name)
        if col is None:
            raise ExprError(f"unknown column '{name}'{suggest(name, self.cols)}", self.p.start(node))
        return self._column(node, col)

    def _column(self, node: ast.AST, col: Column) -> Node:
        self.columns.add(col.name)
        kind = col.type if col.type in ("enum", "step", "role") else ""
        return self.node(node, KIND_TYPE[col.type], lambda env: env.column(col.name, col.type),
                         label=col.type, kind=kind, name=col.name, allowed=tuple(col.values))

    def _attribute(self, node: ast.Attribute) -> Node:
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

    def _param(self, node: ast.Attribute) -> Node:
        name, offset = node.attr, self.p.end(node) - len(node.attr)
        if name not in self.param_values:
            raise ExprError(f"unknown parameter '{name}'{suggest(name, self.param_values)}", offset)
        self.params.add(name)
        type_, value = param_type(name, self.param_values[name], offset, self.tz)
        if type_ == "list":
            items = [self.node(node, t, (lambda v, t: lambda env: full(v, t, env.n))(v, t), const=v)
                     for t, v in value]
            return self.node(node, "list", lambda env: [i.run(env) for i in items], items=items)
        return self.node(node, type_, lambda env: full(value, type_, env.n), const=value)

    def _list(self, node: ast.List) -> Node:
        items = [self.check(item) for item in node.elts]
        return self.node(node, "list", lambda env: [i.run(env) for i in items], items=items)

    def _boolop(self, node: ast.BoolOp) -> Node:
        word, fn = ("and", operator.and_) if isinstance(node.op, ast.And) else ("or", operator.or_)
        values = [self.check(v) for v in node.values]
        for v in values:
            self.expect(v, ("boolean",), f"'{word}' needs true/false values")
        runs = [self.runner(v, "boolean") for v in values]
        return self.node(node, "boolean", lambda env: reduce(fn, (r(env) for r in runs)))

    def _unaryop(self, node: ast.UnaryOp) -> Node:
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
        const = -x.const if isinstance(x.const, float) else NOTHING
        run = self.runner(x, type_)
        return self.node(node, type_, lambda env: -run(env), const=const)

    def _binop(self, node: ast.BinOp) -> Node:
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

    def _compare(self, node: ast.Compare) -> Node:
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

    def pair(self, a: Node, op: ast.cmpop, b: Node, b_ast: ast.AST) -> Callable:
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

    def comparable(self, a: Node, sym: str, b: Node, at: int, in_list: bool = False) -> None:
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

    def bad_value(self, col: Node, value: str) -> str:
        hint = suggest(value, col.allowed)
        listing = "" if hint else f"; the values are: {', '.join(col.allowed)}"
        if col.kind in ("step", "role"):
            return f"unknown {col.kind} '{value}'{hint}{listing}"
        return f"'{value}' is not a value of {col.name}{hint}{listing}"

    def _call(self, node: ast.Call) -> Node:
        return check_call(self, node)
