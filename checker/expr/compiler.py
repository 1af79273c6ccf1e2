"""The entry point: expression text in, a checked expression that evaluates over frames out."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from .check import Checker
from .parse import ExprError, parse
from .runtime import Env, Run, check_tz, output
from .types import KIND_TYPE, RESULT_TYPES, WANT_WORDS, Column, article


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
        env = Env(frame, as_of, self._tz)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return output(self._run(env), self.type, self._tz, frame.index)


def compile_expression(text: str, columns: Mapping[str, Column], params: Mapping[str, object],
                       tz: str | None = None, want: str | None = None) -> CompiledExpr:
    """Parse, whitelist-check and type-check; raises ExprError (never anything else, for ANY input string).

    ``tz`` localizes date(...)/datetime(...) literals and naive datetime data; ``want``
    (e.g. "boolean") is the type the expression must produce.
    """
    if want is not None and want not in RESULT_TYPES:
        raise ValueError(f"want must be one of {RESULT_TYPES}, not {want!r}")
    check_tz(tz)
    for col in columns.values():
        if col.type not in KIND_TYPE:
            raise ValueError(f"column {col.name!r} has unknown type {col.type!r}")
    try:
        parsed = parse(text)
        checker = Checker(parsed, columns, params, tz)
        node = checker.check(parsed.tree)
    except RecursionError:  # depth is capped while parsing; this is a last line of defence
        raise ExprError("the expression is nested too deeply", 0) from None
    if node.type == "list":
        raise ExprError("a list can only follow 'in' or 'not in'", node.start)
    if want is not None and node.type != want:
        raise ExprError(f"the expression must give {WANT_WORDS[want]}, but it gives {article(node.type)}", 0)
    return CompiledExpr(text, node.type, frozenset(checker.columns), frozenset(checker.params),
                        checker.runner(node, node.type), tz)
