"""The shipped sample mutated at random (rows dropped, repeated and reordered, cells corrupted,
columns dropped): every input row is accounted for, either as a record the rules judge or in a
data-quality finding; every corrupted cell is reported at its file, row and column; a
reference that names no record is reported and emptied, so no rule can pass a record through
it; and an export without a table's key column is refused rather than judged as if nothing
linked to it."""
from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.load.dataset import load_dataset, load_mapping
from checker.load.read import DataError
from checker.model import load_datamodel

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
MODEL = load_datamodel(ROOT / "rules" / "datamodel.yaml")
MAPPING = load_mapping(SAMPLE / "mapping.yaml", MODEL)
# The tables mutated, their files, key columns, a number or time column to corrupt, and a reference.
MUTATED = {"deals": ("商机.csv", "商机编号", "金额(元)", "客户编号"), "events": ("销售活动.csv", "活动编号", "发生时间", "商机编号")}
FILES = {p.name: list(csv.reader(io.StringIO(p.read_text("utf-8-sig"), newline="")))
         for p in SAMPLE.glob("*.csv") if p.name != "expected_violations.csv"}
SPARE = {"deals": "负责人", "events": "渠道"}   # columns that may be dropped without refusing the table

mutation = st.one_of(
    st.tuples(st.just("drop_row"), st.integers(1, 10_000)),
    st.tuples(st.just("repeat_row"), st.integers(1, 10_000)),
    st.tuples(st.just("corrupt_value"), st.integers(1, 10_000)),
    st.tuples(st.just("empty_key"), st.integers(1, 10_000)),
    st.tuples(st.just("dangling_reference"), st.integers(1, 10_000)),
    st.tuples(st.just("drop_column"), st.just(0)),
    st.tuples(st.just("drop_key_column"), st.just(0)),
)


def _mutated(rows: list[list[str]], steps: list[tuple[str, int]], table: str, seed: int) -> tuple[list[list[str]], dict]:
    """The rows after the mutations, and what must be found: {(kind, row, column)}, dropped columns."""
    file, key, value_col, ref_col = MUTATED[table]
    header, body = rows[0][:], [r[:] for r in rows[1:]]
    for kind, at in steps:   # rows first, so the cells corrupted afterwards know their row
        if kind == "drop_row" and len(body) > 1:
            body.pop(at % len(body))
        elif kind == "repeat_row":
            body.insert(at % len(body), body[(at * 7) % len(body)][:])
    random.Random(seed).shuffle(body)
    expected, dropped = set(), set()
    for kind, at in steps:
        row = at % len(body)
        cells = dict(zip(header, range(len(header))))
        if kind == "corrupt_value":
            body[row][cells[value_col]] = "junk"
            expected.add(("unparseable", row + 2, value_col))
        elif kind == "empty_key":
            body[row][cells[key]] = ""
            expected.add(("missing_key", row + 2, key))
        elif kind == "dangling_reference":
            body[row][cells[ref_col]] = "NOPE-0001"
            expected.add(("dangling_reference", row + 2, ref_col))
        elif kind in ("drop_column", "drop_key_column"):
            dropped.add(SPARE[table] if kind == "drop_column" else key)
    # A corrupted cell in a dropped column, or overwritten by a later mutation, cannot be found.
    expected = {e for e in expected if e[2] not in dropped and _still(body, header, e)}
    keep = [i for i, name in enumerate(header) if name not in dropped]
    return [[header[i] for i in keep]] + [[r[i] for i in keep] for r in body], {"expected": expected, "dropped": dropped}


def _still(body: list[list[str]], header: list[str], expected: tuple[str, int, str]) -> bool:
    kind, row, column = expected
    value = body[row - 2][header.index(column)]
    return {"unparseable": "junk", "missing_key": "", "dangling_reference": "NOPE-0001"}[kind] == value


def _write(folder: Path, name: str, rows: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / name).write_text(out.getvalue(), "utf-8-sig")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(sorted(MUTATED)), steps=st.lists(mutation, min_size=1, max_size=6), seed=st.integers(0, 99))
def test_every_row_of_a_mutated_export_is_accounted_for(table, steps, seed):
    file = MUTATED[table][0]
    rows, want = _mutated(FILES[file], steps, table, seed)
    with tempfile.TemporaryDirectory() as folder:
        for name, content in FILES.items():
            _write(Path(folder), name, rows if name == file else content)
        if MUTATED[table][1] in want["dropped"]:
            with pytest.raises(DataError, match=f"the key column '{MUTATED[table][1]}' of {table} is not in the file"):
                load_dataset(Path(folder), MAPPING, MODEL)
            return
        data = load_dataset(Path(folder), MAPPING, MODEL)
    found = data.findings[data.findings["table"] == table]
    set_aside = found["kind"].isin(["duplicate_key", "unreadable_row"]).sum()
    assert len(data.tables[table]) + set_aside == len(rows) - 1
    assert want["expected"] <= set(zip(found["kind"], found["row"], found["column"]))
    for column in want["dropped"]:
        assert ("missing_column", 1, column) in set(zip(found["kind"], found["row"], found["column"]))
    # A reference that names no record is emptied: the rules see no link, never a wrong one.
    ref = MAPPING.tables[table]["columns"][MUTATED[table][3]]
    assert "NOPE-0001" not in set(data.tables[table][ref].dropna())
