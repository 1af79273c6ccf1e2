"""Label columns (enum, step, role) tested against constant text (`step == "x"`,
`stage in ["won", "lost"]`): compiled to a test of the column's category codes, so its rows
are never spelt out as text. Same answer as the text comparison, nulls included."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .runtime import Env, Run, full, isin

if TYPE_CHECKING:
    from .nodes import Node


def label_test(left: Node, ops: list[ast.cmpop], rights: list[Node]) -> Run | None:
    """The run of a comparison of a label column with constant text; None for any other."""
    if len(ops) != 1 or not left.kind:
        return None
    op, right = ops[0], rights[0]
    values = [i.const for i in right.items] if isinstance(op, (ast.In, ast.NotIn)) else [right.const]
    if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) or not all(isinstance(v, str) for v in values):
        return None
    negate = isinstance(op, (ast.NotEq, ast.NotIn))
    return lambda env: label_in(env, left.name, values, negate)


def label_in(env: Env, name: str, values: list[str], negate: bool) -> pd.Series:
    """Whether a label column holds one of the values (unknown where it is empty), from its
    category codes; a column stored as plain text is compared as text."""
    raw = env.frame[name]
    if not isinstance(raw.dtype, pd.CategoricalDtype):
        column = env.column(name, "enum")
        return isin(column, [full(v, "string", env.n) for v in values], negate)
    codes = raw.cat.codes.to_numpy()
    wanted = [i for i, c in enumerate(raw.cat.categories) if c in values]
    found = np.isin(codes, wanted)
    return pd.Series(pd.arrays.BooleanArray(found != negate, codes < 0))
