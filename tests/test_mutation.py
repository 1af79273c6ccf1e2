"""The shipped sample mutated at random (rows dropped, repeated and reordered, cells corrupted,
columns dropped): every input row is accounted for, either as a record the rules judge or in a
data-quality finding; every corrupted cell is reported at its file, row and column; a
reference that names no record is reported and emptied, so no rule can pass a record through
it; and an export without a table's key column is refused rather than judged as if nothing
linked to it.

Then, rule by rule over the whole shipped pack: after links are broken (a key emptied, a
reference emptied or made dangling), every record whose link broke is judged by each rule of
its table as the intact export judges it, or more cautiously: a rule passes it only where the
intact export passes it too, and a record without a key that other tables refer to is not
evaluable in every rule, since its events, approvals and other linked records are lost."""
from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import evaluate_rule, make_context
from checker.kinds._common import NOT_EVALUABLE, PART, PASS
from checker.load.dataset import as_of_timestamp, judge_at, load_dataset, load_mapping
from checker.load.keys import ROW
from checker.load.read import DataError
from checker.project import load_project

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
PROJECT = load_project(ROOT / "rules", None)
MODEL = PROJECT.pack.model
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


def _outcomes(folder: Path) -> dict[str, dict[tuple[int, object], str]]:
    """Per rule, the outcome of each judged record by its (spreadsheet row, part)."""
    data = load_dataset(folder, MAPPING, MODEL)
    as_of = as_of_timestamp(MAPPING.as_of, data.timezone)
    judge_at(data, as_of, MAPPING)
    ctx = make_context(PROJECT.pack, data.tables, PROJECT.calendar, as_of, data.timezone)
    out = {}
    for rule in PROJECT.pack.rules:
        frame = evaluate_rule(rule, ctx)
        on_records = frame.index.to_numpy() >= 0     # a count's groups are on no record
        rows = data.tables[rule.applies_to][ROW].to_numpy()[frame.index.to_numpy()[on_records]]
        parts = frame[PART][on_records] if PART in frame else [None] * len(rows)
        out[rule.id] = dict(zip(zip(rows.tolist(), parts), frame["outcome"][on_records]))
    return out


INTACT = _outcomes(SAMPLE)
RULES_OF = {table: [r.id for r in PROJECT.pack.rules if r.applies_to == table] for table in MODEL.tables}
REFERRED = {c.references for t in MODEL.tables.values() for c in t.columns.values() if c.references}


def _export_column(table: str, field: str) -> str:
    return MAPPING.source_of(table, field)[1]


def _references(table: str) -> list[tuple[str, str]]:
    """The export columns of a table's foreign keys, with the table each refers to."""
    return [(_export_column(table, c.name), c.references) for c in MODEL.tables[table].columns.values() if c.references]


def _judged_rows(table: str) -> list[int]:
    """The rows some rule of the table judges in the intact export: breaking one tests something."""
    return sorted({row for rule in RULES_OF[table] for row, _ in INTACT[rule]})


def _broken(table: str, breaks: list[tuple[str, int, int]]) -> tuple[dict[str, list[list[str]]], set, set]:
    """The files with the links broken, the (table, row) of every record whose link broke (those
    whose reference was cut, and those referring to a key that was emptied), and the (table,
    row) of the records left without a key."""
    files = {name: [r[:] for r in rows] for name, rows in FILES.items()}
    rows, header = files[MAPPING.tables[table]["file"]], files[MAPPING.tables[table]["file"]][0]
    judged, broken, keyless, emptied = _judged_rows(table), set(), set(), set()
    for kind, at, which in breaks:
        row = judged[at % len(judged)]
        cells = rows[row - 1]
        if kind == "empty_key":
            emptied.add(cells[header.index(_export_column(table, MODEL.tables[table].key))])
            cells[header.index(_export_column(table, MODEL.tables[table].key))] = ""
            keyless.add((table, row))
        elif _references(table):
            column = _references(table)[which % len(_references(table))][0]
            cells[header.index(column)] = "" if kind == "empty_reference" else "NOPE-0001"
        broken.add((table, row))
    for other in MODEL.tables:
        for column, target in _references(other):
            if target == table and emptied:
                other_rows = files[MAPPING.tables[other]["file"]]
                at = other_rows[0].index(column)
                broken |= {(other, n + 2) for n, cells in enumerate(other_rows[1:]) if cells[at] in emptied}
    return files, broken, keyless


breaks = st.lists(st.tuples(st.sampled_from(["empty_key", "empty_reference", "dangling_reference"]),
                            st.integers(0, 10_000), st.integers(0, 10)), min_size=1, max_size=5)


@pytest.mark.parametrize("table", sorted(t for t in MODEL.tables if RULES_OF[t]))
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(breaks=breaks)
def test_no_rule_passes_a_record_through_a_broken_link(table, breaks):
    files, broken, keyless = _broken(table, breaks)
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            _write(Path(folder), name, content)
        judged = _outcomes(Path(folder))
    checked = 0
    for rule in PROJECT.pack.rules:
        for (row, part), outcome in judged[rule.id].items():
            if (rule.applies_to, row) in keyless and rule.applies_to in REFERRED:
                assert outcome == NOT_EVALUABLE, (rule.id, row, part, outcome)
            elif (rule.applies_to, row) in broken and outcome == PASS:
                assert INTACT[rule.id].get((row, part)) == PASS, (rule.id, row, part, "passed through a broken link")
            checked += (rule.applies_to, row) in broken
    assert checked, "no rule judged a record whose link was broken"
