"""Loading an export: time parsing, text cleaning, keys and foreign-key codes, label columns.

Each fast path is held to a plain reference (Python's datetime, str.strip, first-seen
order) on exact cases and on generated ones."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.load import keys as keys_module
from checker.load import lookup as lookup_module
from checker.load.buffers import column_text
from checker.load.coerce import clean_text, coerce_column, text_column
from checker.load.keys import NONE, link, positions_in, unique_keys
from checker.load.read import DataError, confined, read_export
from checker.load.times import NAT, parse_times
from checker.model import ColumnSpec, DataModel, TableSpec
from checker.ordering import case_time_order


def _texts(values: list) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(values, pa.string())])


def _micros(text: str) -> int:
    stamp = dt.datetime.fromisoformat(text)
    return (stamp - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)


# ---------------------------------------------------------------- times

@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-01 10:00", "2025-03-01T10:00:00"),
    ("2025-03-01", "2025-03-01T00:00:00"),
    ("2025-03-01T10:00:05", "2025-03-01T10:00:05"),
    ("2025-03-01 10:00:05.25", "2025-03-01T10:00:05.250000"),
    ("2024-02-29", "2024-02-29T00:00:00"),
    ("2025/3/1 9:05", "2025-03-01T09:05:00"),
    ("1969-12-31 23:59", "1969-12-31T23:59:00"),
    ("March 3, 2025", "2025-03-03T00:00:00"),
])
def test_times_that_read(text, expected):
    assert parse_times(_texts([text]), None, None)[0] == _micros(expected)


@pytest.mark.parametrize("text", ["2025-09-31 11:44", "2025-02-29", "2025-13-01", "2025-03-01 24:00",
                                  "2025-03-01 10:60", "junk", "2025-03-01x"])
def test_impossible_or_unreadable_times_are_empty_never_rolled_over(text):
    assert parse_times(_texts([text]), None, None)[0] == NAT


def test_text_with_an_offset_keeps_its_instant():
    got = parse_times(_texts(["2025-03-01T02:00:00Z", "2025-03-01T10:00:00+08:00"]), None, "Asia/Shanghai")
    assert list(got) == [_micros("2025-03-01T02:00:00")] * 2


def test_a_declared_format_is_strict():
    got = parse_times(_texts(["01/03/2025", "2025-03-01", "31/02/2025"]), "%d/%m/%Y", None)
    assert list(got) == [_micros("2025-03-01T00:00:00"), NAT, NAT]


def test_a_wall_clock_time_that_does_not_exist_in_the_zone_is_unusable():
    spec = ColumnSpec("at", "datetime")
    coerced = coerce_column(_texts(["2025-03-09 02:30", "2025-03-09 03:30"]), spec, {}, None, "America/New_York")
    assert coerced.bad.tolist() == [True, False]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
                          st.integers(0, 61), st.sampled_from(["", ":07", ":60", ":07.5", ":07.123456"]),
                          st.sampled_from([" ", "T"])), min_size=1, max_size=30))
def test_iso_times_agree_with_python(fields):
    texts = [f"{y:04d}-{m:02d}-{d:02d}{sep}{h:02d}:{mi:02d}{tail}" for y, m, d, h, mi, tail, sep in fields]
    for text, value in zip(texts, parse_times(_texts(texts), None, None)):
        try:
            expected = _micros(text)
        except ValueError:                 # Python refuses it: so must the parser
            expected = NAT
        assert value == expected, text


# ---------------------------------------------------------------- text

def test_text_is_trimmed_and_empty_cells_become_null():
    got = clean_text(_texts(["a", " b", "c ", "", None, "\u3000d", "中文", "x\u00a0"]))
    assert got.to_pylist() == ["a", "b", "c", None, None, "d", "中文", "x"]


def test_clean_text_keeps_the_buffers_of_a_clean_column():
    raw = _texts(["E001", "E002", ""])
    cleaned = clean_text(raw)
    assert cleaned.to_pylist() == ["E001", "E002", None]
    assert cleaned.chunk(0).buffers()[2].address == raw.chunk(0).buffers()[2].address


# ---------------------------------------------------------------- keys

def _first_seen(values: list) -> list[bool]:
    seen: set = set()
    out = []
    for v in values:
        out.append(v not in seen)
        seen.add(v)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["A1", "A2", "B10", "中1", "x" * 70])), max_size=40))
def test_unique_keys_keep_the_first_row_of_each_key(values):
    rows = np.arange(2, len(values) + 2)
    keys, first, missing = unique_keys(_texts(values), rows)
    expected_keys = [v if v is not None else f"row-{r}" for v, r in zip(values, rows)]
    assert keys.to_pylist() == expected_keys
    assert first.tolist() == _first_seen(expected_keys)
    assert missing.tolist() == [v is None for v in values]


def test_unique_keys_are_exact_when_hashes_collide(monkeypatch):
    monkeypatch.setattr(keys_module, "text_hashes", lambda text: np.zeros(len(text), dtype=np.uint64))
    keys, first, _ = unique_keys(_texts(["a", "b", "a", "c", "b"]), np.arange(5))
    assert first.tolist() == [True, True, False, True, False]


def _model() -> DataModel:
    people = TableSpec("people", "id", {"id": ColumnSpec("id", "string")})
    deals = TableSpec("deals", "id", {"id": ColumnSpec("id", "string"),
                                      "owner": ColumnSpec("owner", "string", references="people")})
    return DataModel({"people": people, "deals": deals}, {}, {})


def test_foreign_keys_become_positions_and_dangling_ones_findings():
    frames = {"people": pd.DataFrame({"id": pd.array(["P2", "P1"], dtype="string[pyarrow]"), "_row": [2, 3]}),
              "deals": pd.DataFrame({"id": pd.array(["D1", "D2", "D3", "D4"], dtype="string[pyarrow]"),
                                     "owner": pd.array(["P1", "P9", None, "P2"], dtype="string[pyarrow]"),
                                     "_row": [2, 3, 4, 5]})}
    tables, findings = link(frames, _model(), lambda table, column: (f"{table}.csv", column))
    assert tables.code("deals", "owner").tolist() == [1, NONE, NONE, 0]
    assert findings[["kind", "file", "row", "value"]].values.tolist() == [["dangling_reference", "deals.csv", 3, "P9"]]
    assert frames["deals"]["owner"].isna().tolist() == [False, True, True, False]


def _strings(values: list) -> pd.Series:
    return pd.Series(pd.array(values, dtype="string[pyarrow]"))


def test_a_linked_foreign_key_reads_as_its_text_from_codes_shared_with_tables():
    frames = {"people": pd.DataFrame({"id": pd.array(["P2", "P1"], dtype="string[pyarrow]"), "_row": [2, 3]}),
              "deals": pd.DataFrame({"id": pd.array(["D1", "D2", "D3", "D4"], dtype="string[pyarrow]"),
                                     "owner": text_column(_texts(["P1", "P9", None, "P1"]), foreign_key=True),
                                     "_row": [2, 3, 4, 5]})}
    tables, _ = link(frames, _model(), lambda table, column: (f"{table}.csv", column))
    owner = frames["deals"]["owner"]
    assert isinstance(owner.dtype, pd.CategoricalDtype) and list(owner.cat.categories) == ["P2", "P1"]
    assert owner.tolist()[::3] == ["P1", "P1"] and owner.isna().tolist() == [False, True, True, False]
    assert column_text(owner).to_pylist() == ["P1", None, None, "P1"]
    assert np.shares_memory(tables.codes[("deals", "owner")], owner.array.codes)
    assert tables.code("deals", "owner").dtype == np.int64
    assert tables.dangling[("deals", "owner")].tolist() == ["P9"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "中", " ", "a b", "Z"])), max_size=60),
       st.booleans())
def test_coded_text_reads_and_sorts_as_the_text_it_codes(values, foreign_key):
    """A text column is coded when it repeats its values, and left as text otherwise; either
    way it reads as the same text, and (but for a key, whose codes linking replaces) its codes
    sort as the text does."""
    column = text_column(_texts(values), foreign_key)
    assert column_text(column).to_pylist() == values
    assert column.isna().tolist() == [v is None for v in values]
    if isinstance(column.dtype, pd.CategoricalDtype) and not foreign_key:
        assert list(column.cat.categories) == sorted(set(v for v in values if v is not None))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["P1", "P2", "中", "P10"]), unique=True),
       st.lists(st.one_of(st.none(), st.sampled_from(["P1", "P2", "中", "P10", "P9", "x"])), max_size=30))
def test_a_foreign_key_coded_as_it_is_typed_links_as_one_coded_when_linked(people, owners):
    """A foreign key into a table typed before it is coded into that table's keys at once
    (values that are no key kept with their text); linking then gives the same codes,
    findings and dangling text as for a key left to be coded when linked."""
    def linked(code_as_typed: bool):
        frames = {"people": pd.DataFrame({"id": pd.array(people, dtype="string[pyarrow]"),
                                          "_row": np.arange(2, len(people) + 2)})}
        key_types = keys_module.KeyTypes(frames, _model())
        keys = key_types.of("people") if code_as_typed else None
        owner = coerce_column(_texts(owners), ColumnSpec("owner", "string", references="people"), {}, None, None,
                              keys=keys).values
        frames["deals"] = pd.DataFrame({"id": pd.array([f"D{i}" for i in range(len(owners))], dtype="string[pyarrow]"),
                                        "owner": owner, "_row": np.arange(2, len(owners) + 2)})
        tables, found = link(frames, _model(), lambda table, column: (f"{table}.csv", column), key_types=key_types)
        dangling = tables.dangling.get(("deals", "owner"), pd.Series(dtype=object))
        return (tables.code("deals", "owner").tolist(), found[["row", "value"]].values.tolist(),
                dangling.tolist(), column_text(frames["deals"]["owner"]).to_pylist())

    assert linked(True) == linked(False)
    codes = linked(True)[0]
    assert codes == [people.index(v) if v in people else NONE for v in owners]


def test_text_of_distinct_values_stays_text():
    assert not isinstance(text_column(_texts([f"E{i}" for i in range(100)])).dtype, pd.CategoricalDtype)
    assert isinstance(text_column(_texts(["net 30", "net 60"] * 50)).dtype, pd.CategoricalDtype)


_IDS = st.text(alphabet="AB7中-", min_size=0, max_size=18)


@settings(max_examples=300, deadline=None)
@given(st.lists(_IDS, min_size=1, max_size=12, unique=True),
       st.lists(st.one_of(st.none(), _IDS), max_size=40), st.booleans())
def test_foreign_key_positions_equal_a_dictionary_look_up(keys, values, one_width):
    """Keys of one width take the word-sorting path, others arrow's hash look-up; both must
    give the position of the key with exactly that text, NONE for null and unknown values."""
    if one_width:
        keys = list(dict.fromkeys(k.ljust(11, "x")[:11] for k in keys))
    where = {k: i for i, k in enumerate(keys)}
    expected = [NONE if v is None else where.get(v, NONE) for v in values]
    sliced = _strings([None, *values]).iloc[1:].reset_index(drop=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lookup_module, "_FEW_KEYS", 0)      # the word-sorting path even for a few keys
        assert positions_in(_strings(values), _strings(keys)).tolist() == expected
        assert positions_in(sliced, _strings(keys)).tolist() == expected


def test_foreign_key_positions_are_exact_when_hashes_collide(monkeypatch):
    monkeypatch.setattr(lookup_module, "_FEW_KEYS", 0)
    monkeypatch.setattr(lookup_module, "_hash", lambda words: np.zeros(len(words[0]), dtype=np.uint64))
    keys = [f"D2025-{i:07d}" for i in (5, 3, 9, 1)]
    values = ["D2025-0000009", None, "D2025-0000004", "D2025-0000001", "D2025-0000005", "short"]
    assert positions_in(_strings(values), _strings(keys)).tolist() == [2, NONE, NONE, 3, 0, NONE]


# ---------------------------------------------------------------- labels and files

def test_labels_read_dictionary_encoded_equal_labels_read_as_text():
    spec = ColumnSpec("stage", "enum", ("won", "lost"))
    values = ["赢单", " 输单", "won", "", None, "赢 单"]
    plain = coerce_column(_texts(values), spec, {"赢单": "won", "输单": "lost"}, None, None)
    encoded = coerce_column(_texts(values).cast(pa.dictionary(pa.int32(), pa.string())), spec,
                            {"赢单": "won", "输单": "lost"}, None, None)
    assert plain.values.tolist()[:3] == ["won", "lost", "won"]
    assert plain.values.isna().tolist() == [False, False, False, True, True, True]
    assert plain.bad.tolist() == encoded.bad.tolist() == [False, False, False, False, False, True]
    assert plain.values.astype(object).where(plain.values.notna(), None).tolist() == \
        encoded.values.astype(object).where(encoded.values.notna(), None).tolist()


def test_a_mapping_cannot_name_a_file_outside_the_data_folder(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(DataError, match="outside the data folder"):
        confined(tmp_path / "data", "../secret.csv")


def test_csv_label_columns_are_read_dictionary_encoded(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("\ufeffid,stage\n1,won\n2,\n", encoding="utf-8")
    table = read_export(path, "utf-8-sig", labels=frozenset({"stage"})).table
    assert pa.types.is_dictionary(table.schema.field("stage").type)
    assert table.column("id").to_pylist() == ["1", "2"]


# ---------------------------------------------------------------- event order

@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5)), max_size=60),
       st.sampled_from([1, 60_000_000, 86_400_000_000]))
def testcase_time_order_equals_a_two_key_sort(rows, step):
    case = np.array([c for c, _ in rows], dtype=np.int64)
    time = np.array([1_700_000_000_000_000 + t * step for _, t in rows], dtype=np.int64)
    order = case_time_order(case, time)
    expected = np.lexsort((time, case))
    assert case[order].tolist() == case[expected].tolist()
    assert time[order].tolist() == time[expected].tolist()
    assert sorted(order.tolist()) == list(range(len(rows)))


# ---------------------------------------------------------------- reading CSV files

def _csv(tmp_path, content: bytes | str, name: str = "x.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_rows_with_the_wrong_number_of_fields_are_set_aside_with_their_rows(tmp_path):
    path = _csv(tmp_path, 'id,name\n1,a\n"2\nstill 2",b\n3\n4,d,extra\n   \n5,e\n')
    export = read_export(path, "utf-8")
    assert export.table.column("id").to_pylist() == ["1", "2\nstill 2", "5"]
    assert [(r.row, r.fields, r.expected, r.text) for r in export.ragged] == [(4, 1, 2, "3"), (5, 3, 2, "4,d,extra")]
    assert export.row_numbers().tolist() == [2, 3, 6]


def test_a_one_megabyte_cell_is_read_and_a_huge_one_is_refused_with_its_row(tmp_path):
    big = "x" * (1 << 20)
    assert read_export(_csv(tmp_path, f"id,name\n1,{big}\n"), "utf-8").table.column("name").to_pylist() == [big]
    with pytest.raises(DataError, match=r"row 3, column 'name': a cell of 17 MB, more than the 16 MB"):
        read_export(_csv(tmp_path, "id,name\n1,a\n2," + "y" * (17 << 20) + "\n", "huge.csv"), "utf-8")


def test_text_that_is_not_the_declared_encoding_names_its_row(tmp_path):
    with pytest.raises(DataError, match=r"x.csv: row 3: the text is not utf-8-sig; a Chinese Excel export is usually "
                                        r"GB18030: add 'encoding: gb18030' to the mapping"):
        read_export(_csv(tmp_path, b"id,name\n1,a\n2,\xff\xfe\n"), "utf-8-sig")


def test_a_byte_order_mark_says_what_the_file_is(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,name\n1,中文\n", encoding="utf-16")
    assert read_export(path, "gb18030").table.column("name").to_pylist() == ["中文"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf\n", "the file is empty"),
    (b"id,name,id\n1,a,1\n", "row 1: column 'id' appears more than once in the header"),
])
def test_files_without_a_usable_header_are_refused(tmp_path, content, message):
    with pytest.raises(DataError, match=message):
        read_export(_csv(tmp_path, content), "utf-8")


def test_a_symbolic_link_out_of_the_data_folder_is_refused(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "secret.csv").write_text("id\n1\n")
    (tmp_path / "data" / "x.csv").symlink_to(tmp_path / "secret.csv")
    with pytest.raises(DataError, match="leads outside the data folder"):
        confined(tmp_path / "data", "x.csv")


# ---------------------------------------------------------------- number formats

@pytest.mark.parametrize(("fmt", "texts", "expected"), [
    ({"thousands": ",", "currency": ["¥", "元"]}, ["¥1,234.50", "1,000元", "12", "1,2,3"], [1234.5, 1000.0, 12.0, None]),
    ({"thousands": ".", "decimal": ","}, ["1.234,50", "0,5", "1,234.50"], [1234.5, 0.5, None]),
    ({"scale": {"万": 10000, "亿": 100_000_000}}, ["3.5万", "2亿", "7", "万"], [35000.0, 200_000_000.0, 7.0, None]),
    ({"thousands": ",", "negative": "parentheses"}, ["(1,000)", "1,000", "(x)", "-5"], [-1000.0, 1000.0, None, -5.0]),
])
def test_declared_number_formats(fmt, texts, expected):
    got = coerce_column(_texts(texts), ColumnSpec("amount", "number"), {}, None, None, fmt)
    assert got.values.astype(object).where(got.values.notna(), None).tolist() == expected
    assert got.bad.tolist() == [e is None for e in expected]


@pytest.mark.parametrize("text", ["1e400", "-1e400", "inf", "NaN", "nan"])
def test_numbers_that_are_not_finite_are_unusable(text):
    got = coerce_column(_texts([text, "5"]), ColumnSpec("amount", "number"), {}, None, None)
    assert got.bad.tolist() == [True, False]
    assert got.values.isna().tolist() == [True, False]


# ---------------------------------------------------------------- tables from a database query

@pytest.fixture
def database(tmp_path, monkeypatch):
    import sqlite3
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE deals (id TEXT, amount REAL, n INTEGER)")
        db.executemany("INSERT INTO deals VALUES (?, ?, ?)", [("D1", 967400.0, 3), ("D2", 1.5, None)])
    monkeypatch.setenv("CRM_URL", f"sqlite:///{path}")
    return path


def test_a_query_gives_text_as_a_csv_export_would(database):
    from checker.load.sql import read_query
    table = read_query("CRM_URL", "SELECT id, amount, n FROM deals ORDER BY id", "deals").table
    assert table.to_pydict() == {"id": ["D1", "D2"], "amount": ["967400", "1.5"], "n": ["3", None]}


@pytest.mark.parametrize(("query", "url", "message"), [
    ("SELECT * FROM deal", None, r"deals: the mapping's query failed on the database in \$CRM_URL \(no such table: deal\)"),
    ("DELETE FROM deals", None, r"attempt to write a readonly database"),
    ("SELECT 1", "", r"deals: the mapping reads it from the database named by the environment variable CRM_URL, "
                     r"which is not set"),
    ("SELECT 1", "mysql+pymysql://u:secret@host/db", r"\$CRM_URL names a 'mysql' database; PostgreSQL \(postgresql://…\) "
                                                     r"and SQLite \(sqlite:///path\) databases are read"),
])
def test_a_query_that_cannot_be_read_is_refused_without_showing_the_url(database, monkeypatch, query, url, message):
    from checker.load.sql import read_query
    if url is not None:
        monkeypatch.setenv("CRM_URL", url)
    with pytest.raises(DataError, match=message) as raised:
        read_query("CRM_URL", query, "deals")
    assert "secret" not in str(raised.value)
