"""Rule expressions (``when:``/``assert:``) compiled into vectorized pandas operations.

This package owns the expression language end to end: ``parse`` turns text into a Python
syntax tree through the tokenizer and ``ast.parse`` only, and rejects every node outside a
short whitelist; ``check`` (with ``calls`` for the function calls and ``nodes`` for the checked
nodes) type-checks that tree against the data model's columns and the
parameters, and related tables' columns through foreign keys (``types`` and ``constants`` hold the type rules and compile-time values);
``runtime`` evaluates the result over pandas Series with three-valued (Kleene) nulls, so a
boolean result holds True, False or NA ("not evaluable"); ``compiler`` ties them together.
It may import the standard library, numpy and pandas only: the data model, the rules and
the check kinds build on it, never the other way round.
"""
from .compiler import CompiledExpr, compile_expression
from .parse import ExprError
from .types import Column, FieldError, Fields

__all__ = ["Column", "CompiledExpr", "ExprError", "FieldError", "Fields", "compile_expression"]
