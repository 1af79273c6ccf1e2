"""Columns encoded as JSON cell by cell give exactly the encoder's text for each value, and a
results list kept as columns writes the same JSON lines as its records encoded one by one."""
from __future__ import annotations

import numpy as np
import orjson
from hypothesis import given, settings, strategies as st

from checker.results.columns import Blocks, NotEvaluableBlock, ViolationBlock
from checker.results.jsoncells import encoded, json_cells, present_or_empty

_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
_number = st.one_of(st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=True, allow_infinity=True))
_scalar = st.one_of(st.none(), st.booleans(), _text, _number)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.one_of(st.none(), _text)), st.lists(st.one_of(st.none(), _number)),
                 st.lists(st.one_of(_scalar, st.lists(_scalar, max_size=3),
                                    st.dictionaries(_text, _scalar, max_size=3)))))
def test_each_cell_is_the_encoders_text(values):
    assert json_cells(values).to_pylist() == [orjson.dumps(v).decode() for v in values]


def test_cells_that_need_escaping_are_escaped_and_the_rest_only_quoted():
    values = ['plain', 'a "quote"', None, 'back\\slash', 'line\nbreak', '中文', '\x01']
    assert json_cells(values).to_pylist() == [orjson.dumps(v).decode() for v in values]


def test_a_member_only_some_records_have_is_left_out_where_it_is_none():
    assert present_or_empty(',"case":', ["D1", None, "null"]).to_pylist() == [',"case":"D1"', "", ',"case":"null"']


def _block(n: int, with_regions: bool) -> ViolationBlock:
    rule = {"rule_id": "R-1", "table": "deals", "severity": "high", "clause": "3.1"}
    columns = {"fingerprint": [f"f{i}" for i in range(n)], "key": [f'D"{i}' for i in range(n)],
               "status": ["open"] * n, "owner_id": [None if i % 2 else "E1" for i in range(n)],
               "owner_name": ["王五"] * n, "supervisor_id": ["E2"] * n, "supervisor_name": [None] * n}
    messages = [{"zh": "缺少", "en": "missing"}, {"zh": "晚了", "en": "late"}]
    evidence = {"at": [f"2025-01-0{i % 9 + 1}" for i in range(n)], "amount": [i * 1.5 for i in range(n)]}
    return ViolationBlock(rule, columns, messages, np.arange(n) % 2, evidence, {"stage": ["won"] * n}, {},
                          [None if i % 3 == 0 else f"C{i}" for i in range(n)],
                          [f"华{i}" for i in range(n)] if with_regions else None)


def test_violation_lines_equal_their_records_encoded_one_by_one():
    blocks = Blocks([_block(7, True), _block(0, False), _block(5, False)])
    lines = [line for piece in blocks.json_pieces() for line in piece.to_pylist()]
    records = list(blocks)
    assert len(records) == len(blocks) == 12
    assert lines == [encoded(r).decode() for r in records]
    assert "case" not in records[0] and records[1]["case"] == "C1" and records[0]["region"] == "华0"
    assert "region" not in records[7]
    assert blocks[8] == records[8] and blocks[-1] == records[-1]


def test_not_evaluable_lines_equal_their_records():
    reasons = [{"zh": "缺", "en": "missing"}, {"zh": "坏", "en": "bad"}]
    blocks = Blocks([NotEvaluableBlock({"rule_id": "R", "table": "t"}, ["k1", "k2", "k3"], reasons,
                                       np.array([1, 0, 1]))])
    lines = [line for piece in blocks.json_pieces() for line in piece.to_pylist()]
    assert lines == [encoded(r).decode() for r in blocks]
    assert list(blocks)[2] == {"rule_id": "R", "table": "t", "key": "k3", "reason": reasons[1]}
