"""Ids that are a prefix and a number (checker/load/numbered.py): found by their number exactly
as a look-up of their text would find them, however near a value comes to being such an id."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.load import lookup as lookup_module
from checker.load.keys import NONE, positions_in, unique_keys
from checker.load.numbered import NumberedKeys, numbered

# Prefixes that end in a non-digit (else the first id's digits would run into them).
_PREFIXES = st.text(alphabet="AD-中x9", max_size=9).filter(lambda p: not p or not p[-1].isdigit())
# Bytes next to the digits' range ('/' and ':'), a blank, a letter, a wide character.
_NEAR_DIGITS = "/:a 中"


@st.composite
def numbered_ids(draw) -> tuple[list[str], list[str | None]]:
    prefix = draw(_PREFIXES)
    digits = draw(st.integers(1, 18))
    numbers = draw(st.lists(st.integers(0, min(10 ** digits - 1, 5000)), min_size=1, max_size=30, unique=True))
    keys = [f"{prefix}{n:0{digits}d}" for n in numbers]
    values = draw(st.lists(st.one_of(st.none(), st.sampled_from(keys), _near_miss(keys)), max_size=40))
    return keys, values


def _near_miss(keys: list[str]):
    """A key with one character changed, dropped or added: no key, or by chance another key."""
    @st.composite
    def changed(draw) -> str:
        key = draw(st.sampled_from(keys))
        at = draw(st.integers(0, len(key) - 1))
        how = draw(st.sampled_from(["replace", "drop", "add", "other digit"]))
        if how == "replace":
            return key[:at] + draw(st.sampled_from(_NEAR_DIGITS)) + key[at + 1:]
        if how == "drop":
            return key[:at] + key[at + 1:]
        if how == "add":
            return key[:at] + draw(st.sampled_from("0" + _NEAR_DIGITS)) + key[at:]
        return key[:at] + draw(st.sampled_from("0123456789")) + key[at + 1:]
    return changed()


@settings(max_examples=400, deadline=None)
@given(numbered_ids())
def test_numbered_keys_are_found_as_their_text_is(case):
    keys, values = case
    where = {k: i for i, k in enumerate(keys)}
    index = NumberedKeys.of(pa.array(keys, pa.string()))
    assert index is not None, "ids of one prefix and one count of digits are numbered"
    expected = [NONE if v is None else where.get(v, NONE) for v in values]
    assert index.find(pa.array(values, pa.string())).tolist() == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookup_module, "_FEW_KEYS", 0)     # the path a large table takes
        series = pd.Series(pd.array(values, dtype="string[pyarrow]"))
        assert positions_in(series, pd.Series(pd.array(keys, dtype="string[pyarrow]"))).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(numbered_ids())
def test_numbers_are_what_the_digits_spell(case):
    keys, _ = case
    numbering, numbers = numbered(pa.array(keys, pa.string()))
    assert numbers.tolist() == [int(k[len(k) - numbering.digits:]) for k in keys]
    assert all(k.encode().startswith(numbering.prefix) and len(k.encode()) == numbering.width for k in keys)


@settings(max_examples=300, deadline=None)
@given(numbered_ids(), st.randoms(use_true_random=False))
def test_repeated_numbered_keys_keep_their_first_row(case, random):
    keys, _ = case
    rows = keys + [random.choice(keys) for _ in range(random.randint(0, 10))]
    random.shuffle(rows)
    _, first, _ = unique_keys(pa.chunked_array([pa.array(rows, pa.string())]), np.arange(2, len(rows) + 2))
    assert first.tolist() == [rows.index(v) == i for i, v in enumerate(rows)]


def test_text_of_other_shapes_is_not_numbered():
    assert numbered(pa.array(["A1", "B2"])) is None                   # two prefixes
    assert numbered(pa.array(["A1", "A22"])) is None                  # two widths
    assert numbered(pa.array(["A1", None])) is None
    assert numbered(pa.array(["AB", "AC"])) is None                   # no digits
    assert numbered(pa.array(["1" * 19])) is None                     # more than an int64 holds
    assert NumberedKeys.of(pa.array(["A0000001", "A9999999"])) is None  # too sparse for a table
