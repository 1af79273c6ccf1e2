"""Tables read by queries on a real PostgreSQL server that the tests start (postgres_server.py):
the shipped sample loaded into it gives the CSV export's results.json, inputs aside; database
columns of every common type read as a CSV export's text would; and every way a database can
fail (server down, wrong password, unknown database, bad query, a query that writes, the
variable not set) is exit 3 with one line that names the table and shows no password."""
from __future__ import annotations

import pyarrow as pa
import pytest

import postgres_server
from checker.cli import main
from formats import DATABASE_ENV, ROOT, SAMPLE, by_query, records, results, tables

BINARIES = postgres_server.binaries()
pytestmark = pytest.mark.skipif(BINARIES is None, reason="PostgreSQL is not installed (apt-get install postgresql)")


@pytest.fixture(scope="session")
def server():
    started = postgres_server.start(BINARIES)
    yield started
    started.stop()


def _execute(url: str, *statements: str) -> None:
    from adbc_driver_postgresql.dbapi import connect
    with connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="session")
def sample_url(server) -> str:
    """A database holding the shipped sample, one text table per CSV file, named after the file,
    with the file's row number in a column `line` (a table has no order of its own: the queries
    ask for the file's, so findings name the same rows)."""
    from adbc_driver_postgresql.dbapi import connect
    _execute(server.url(), "CREATE DATABASE sample")
    url = server.url(database="sample")
    with connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        for name, rows in tables().items():
            columns = {h: pa.array([r[h] for r in records(rows)], pa.string()) for h in rows[0]}
            columns["line"] = pa.array(range(2, len(rows) + 1), pa.int32())
            cursor.adbc_ingest(name.removesuffix(".csv"), pa.table(columns), mode="create")
    return url


def test_the_sample_in_postgresql_gives_the_csv_results(sample_url, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv(DATABASE_ENV, sample_url)
    data = tmp_path / "data"
    data.mkdir()
    mapping = by_query((SAMPLE / "mapping.yaml").read_text("utf-8"), " ORDER BY line")
    (data / "mapping.yaml").write_text(mapping.replace("../checker", "../../checker"), "utf-8")
    got = results(data, tmp_path / "out")
    expected = results(SAMPLE, tmp_path / "csv")
    assert got["summary"] == expected["summary"]
    assert got["data_quality"] == expected["data_quality"]
    assert got == expected
    assert sample_url.split("@")[0] not in (tmp_path / "out" / "results.json").read_text("utf-8")


def test_database_columns_read_as_the_text_of_a_csv_export(server, monkeypatch):
    from checker.load.sql import read_query
    monkeypatch.setenv("CRM_URL", server.url().replace("postgresql://", "postgresql+psycopg://"))
    table = read_query("CRM_URL", """
        SELECT 'D1'::text AS id, 967400.50::numeric(12, 2) AS amount, 3::int AS n, 1.5::float8 AS rate,
               true AS flag, DATE '2025-01-02' AS day, TIMESTAMP '2025-01-01 10:00:00' AS at,
               TIMESTAMPTZ '2025-01-01 10:00:00+08' AS aware, NULL::text AS empty""", "deals").table
    assert table.to_pydict() == {
        "id": ["D1"], "amount": ["967400.50"], "n": ["3"], "rate": ["1.5"], "flag": ["true"], "day": ["2025-01-02"],
        "at": [pa.scalar(1735725600000000, pa.timestamp("us")).as_py()],
        "aware": [pa.scalar(1735696800000000, pa.timestamp("us", tz="UTC")).as_py()], "empty": [None]}


@pytest.mark.parametrize(("query", "url", "message"), [
    ("SELECT * FROM deal", {}, r"deals: the mapping's query failed on the PostgreSQL database in \$CRM_URL "
                               r"\(relation \"deal\" does not exist\); check the query$"),
    ("SELEC 1", {}, r"\(syntax error at or near \"SELEC\"\); check the query$"),
    ("DELETE FROM pg_database", {}, r"\(cannot execute DELETE in a read-only transaction\); check the query$"),
    ("SELECT ARRAY[1, 2] AS pair", {}, r"deals: column 'pair' of the query's result is a list<item: int32>, "
                                       r"which has no text form; select it as text in the query \(pair::text\)$"),
    ("SELECT 1", {"password": "wrong-s3cret"}, r"deals: cannot connect to the PostgreSQL database in \$CRM_URL "
                                               r"\(.*password authentication failed for user \"checker\"\); check that the "
                                               r"server runs, and the URL, user and password$"),
    ("SELECT 1", {"database": "nowhere"}, r"\(.*database \"nowhere\" does not exist\)"),
])
def test_a_database_that_cannot_be_read_is_refused_in_one_line(server, monkeypatch, query, url, message):
    from checker.load.sql import DataError, read_query
    monkeypatch.setenv("CRM_URL", server.url(**url))
    with pytest.raises(DataError, match=message) as raised:
        read_query("CRM_URL", query, "deals")
    assert "s3cret" not in str(raised.value) and "\n" not in str(raised.value)


def _check_from_database(tmp_path, monkeypatch, url: str | None) -> int:
    monkeypatch.chdir(ROOT)
    if url is None:
        monkeypatch.delenv(DATABASE_ENV, raising=False)
    else:
        monkeypatch.setenv(DATABASE_ENV, url)
    data = tmp_path / "data"
    data.mkdir()
    mapping = by_query((SAMPLE / "mapping.yaml").read_text("utf-8"))
    (data / "mapping.yaml").write_text(mapping.replace("../checker", "../../checker"), "utf-8")
    return main(["check", "--data", str(data), "--out", str(tmp_path / "out"), "--lang", "en"])


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://checker:s3cret@/postgres?host=/nonexistent", "employees: cannot connect to the PostgreSQL database in $CHECKER_TEST_DATABASE_URL (connection to "
             "server on socket \"/nonexistent/.s.PGSQL.5432\" failed: No such file or directory); check that the "
             "server runs, and the URL, user and password"),
    (None, "employees: the mapping reads it from the database named by the environment variable "
           "CHECKER_TEST_DATABASE_URL, which is not set; set CHECKER_TEST_DATABASE_URL to the database URL"),
])
def test_a_check_on_a_database_that_cannot_be_read_exits_3_with_one_line(url, message, tmp_path, monkeypatch, capsys):
    code = _check_from_database(tmp_path, monkeypatch, url)
    err = capsys.readouterr().err
    assert code == 3
    assert message in err
    assert "Traceback" not in err and "s3cret" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "results.json").exists()
