"""The function calls of the expression language: which exist, what each takes and gives."""
from __future__ import annotations

import ast
from functools import reduce
from typing import TYPE_CHECKING

from .constants import parse_when
from .nodes import Node, suggest
from .parse import ExprError
from .runtime import duration, fill, full, is_blank, string_func

if TYPE_CHECKING:
    from .check import Checker

_DURATION_UNITS = {"days": 86_400, "hours": 3_600, "minutes": 60}
_STRING_FUNCS = {"lower": "string", "upper": "string", "strip": "string", "len": "number"}
FUNCTIONS = ("abs", "coalesce", "date", "datetime", "days", "hours", "is_blank", "len", "lower", "minutes",
             "strip", "upper")


def check_call(checker: Checker, node: ast.Call) -> Node:
    """A call of one of FUNCTIONS, its arguments checked, as a node."""
    func = node.func.id if isinstance(node.func, ast.Name) else None
    if func not in FUNCTIONS:
        where = checker.p.start(node)
        if func is None:
            raise ExprError(f"only these functions can be called: {', '.join(FUNCTIONS)}", where)
        hint = suggest(func, FUNCTIONS) or f"; the functions are: {', '.join(FUNCTIONS)}"
        raise ExprError(f"unknown function '{func}'{hint}", where)
    if node.keywords:  # the parse step rejects these; kept so the rule holds on its own
        raise ExprError("keyword arguments (name=value) are not allowed", checker.p.start(node.keywords[0]))
    args = [checker.check(a) for a in node.args]
    if func == "coalesce":
        return _coalesce(checker, node, args)
    if len(args) != 1:
        raise ExprError(f"{func}() takes exactly one value, got {len(args)}", checker.p.start(node))
    x = args[0]
    if func in _DURATION_UNITS:
        checker.expect(x, ("number",), f"{func}() needs a number")
        run, seconds = checker.runner(x, "number"), _DURATION_UNITS[func]
        return checker.node(node, "duration", lambda env: duration(run(env), seconds))
    if func in ("date", "datetime"):
        if not isinstance(x.const, str):
            raise ExprError(f'{func}() needs text such as {func}("2025-01-31")', x.start)
        ns = parse_when(func, x.const, checker.tz, x.start)
        return checker.node(node, "datetime", lambda env: full(ns, "datetime", env.n), const=ns)
    if func in _STRING_FUNCS:
        checker.expect(x, ("string",), f"{func}() needs text")
        run = checker.runner(x, "string")
        return checker.node(node, _STRING_FUNCS[func], lambda env: string_func(func, run(env)))
    if func == "abs":
        checker.expect(x, ("number", "duration"), "abs() needs a number or a duration")
        type_ = "number" if x.type == "null" else x.type
        run = checker.runner(x, type_)
        return checker.node(node, type_, lambda env: run(env).abs())
    if x.type == "list":
        raise ExprError("is_blank() needs a single value", x.start)
    run, type_ = x.run, x.type
    return checker.node(node, "boolean", lambda env: is_blank(run(env), type_))

def _coalesce(checker: Checker, node: ast.Call, args: list[Node]) -> Node:
    if len(args) < 2:
        raise ExprError("coalesce() needs at least two values", checker.p.start(node))
    typed = [a for a in args if a.type != "null"]
    type_ = typed[0].type if typed else "null"
    for a in typed:
        if a.type != type_ or a.type == "list":
            raise ExprError(f"coalesce() needs values of one type, but {checker.desc(typed[0])} and "
                            f"{checker.desc(a)} differ", a.start)
    runs = [checker.runner(a, type_) for a in args]
    return checker.node(node, type_, lambda env: reduce(fill, (r(env) for r in runs)))
