"""Label columns (enum, step, role) compared with constant text are evaluated on category
codes; the answer must be the one the text comparison gives, nulls included."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.expr import Column, compile_expression

STAGES = ("lead", "won", "lost")
COLUMNS = {"stage": Column("stage", "enum", STAGES)}


@pytest.mark.parametrize("text", ['stage == "won"', 'stage != "won"', 'stage in ["won", "lost"]',
                                  'stage not in ["won", "lost"]', 'not (stage == "lead")'])
@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.sampled_from(STAGES)), max_size=30))
def test_codes_and_text_agree(text, values):
    expr = compile_expression(text, COLUMNS, {}, None, "boolean")
    as_labels = pd.DataFrame({"stage": pd.Categorical(values, categories=list(STAGES))})
    as_text = pd.DataFrame({"stage": pd.Series(values, dtype="string[pyarrow]")})
    assert expr.evaluate(as_labels).tolist() == expr.evaluate(as_text).tolist()
    expected = [None if v is None else _truth(text, v) for v in values]
    assert [None if pd.isna(v) else bool(v) for v in expr.evaluate(as_labels)] == expected


def _truth(text: str, value: str) -> bool:
    return {'stage == "won"': value == "won", 'stage != "won"': value != "won",
            'stage in ["won", "lost"]': value in ("won", "lost"),
            'stage not in ["won", "lost"]': value not in ("won", "lost"),
            'not (stage == "lead")': value != "lead"}[text]
