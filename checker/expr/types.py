"""The expression language's types: what each data-model column type reads as, and their names.

Expressions know five value types (boolean, number, string, datetime, duration) plus null
and list, which only occur inside an expression. Messages name them with ``article``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# data-model column type -> expression type
KIND_TYPE = {"string": "string", "enum": "string", "step": "string", "role": "string", "integer": "number",
             "number": "number", "boolean": "boolean", "date": "datetime", "datetime": "datetime"}
RESULT_TYPES = ("boolean", "number", "string", "datetime", "duration")
WANT_WORDS = {"boolean": "true or false", "number": "a number", "string": "text",
              "datetime": "a date or time", "duration": "a length of time"}
# (operator, left type, right type) -> result type
ARITH_TYPES = {
    **{(op, "number", "number"): "number" for op in "+-*/"},
    ("-", "datetime", "datetime"): "duration", ("+", "datetime", "duration"): "datetime",
    ("+", "duration", "datetime"): "datetime", ("-", "datetime", "duration"): "datetime",
    ("+", "duration", "duration"): "duration", ("-", "duration", "duration"): "duration",
    ("*", "number", "duration"): "duration", ("*", "duration", "number"): "duration",
    ("/", "duration", "number"): "duration", ("/", "duration", "duration"): "number",
}


@dataclass(frozen=True)
class Column:
    """A column as expressions see it (built from the data model)."""

    name: str
    type: str                      # one of the column types in the data model
    values: tuple[str, ...] = ()   # allowed values for enum/step/role


def article(type_: str) -> str:
    """A type as messages word it: "a number", "an integer", "true/false"."""
    return {"null": "null", "boolean": "true/false", "integer": "an integer"}.get(
        type_, f"a {type_}" if type_[0] not in "aeiou" else f"an {type_}")


class FieldError(LookupError):
    """A dotted field that does not resolve: the message, and which part of the path is wrong."""

    def __init__(self, message: str, part: int) -> None:
        super().__init__(message)
        self.message, self.part = message, part


class Fields(dict):
    """A table's columns (name -> Column) and, through ``related``, the columns of the tables
    its foreign keys reach: ``related(("customer", "tier"))`` gives the Column named
    "customer.tier", or raises FieldError."""

    def __init__(self, columns: dict[str, Column], related: Callable[[tuple[str, ...]], Column]) -> None:
        super().__init__(columns)
        self.related = related
