"""Tables that come from a query on a database instead of a file. The database's URL is read
from the environment variable the mapping names (`database_env:`), so no password is ever
written in the mapping or on the command line.

PostgreSQL (`postgresql://user:password@host:port/database`, or any libpq URL) is read by
postgres.py. SQLite (`sqlite:///path/to/file.db`) is read with Python's own sqlite3, opened read-only, so a
query cannot change the database. Values become the text a CSV export would hold, and are
typed by the same code as a file's."""
from __future__ import annotations

import os
import sqlite3

import pyarrow as pa

from .postgres import read_postgres
from .read import DataError, Export
from .xlsx import cell_text

_POSTGRES = ("postgresql", "postgres")


def read_query(env: str, query: str, table: str) -> Export:
    """The rows of query on the database whose URL is in the environment variable env."""
    url = os.environ.get(env, "")
    if not url:
        raise DataError(f"{table}: the mapping reads it from the database named by the environment variable {env}, "
                        f"which is not set; set {env} to the database URL, e.g. postgresql://user:password@host/crm "
                        "or sqlite:///crm.db")
    scheme = url.partition(":")[0].partition("+")[0].lower()
    if scheme in _POSTGRES:
        return Export(read_postgres(url, query, table, env))
    if not url.startswith("sqlite:///"):
        raise DataError(f"{table}: ${env} names a '{scheme}' database; PostgreSQL (postgresql://…) and SQLite "
                        "(sqlite:///path) databases are read: export the table to CSV for any other")
    return Export(_read_sqlite(url, query, table, env))


def _read_sqlite(url: str, query: str, table: str, env: str) -> pa.Table:
    try:
        connection = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DataError(f"{table}: the database in ${env} cannot be opened ({exc}); check the URL") from None
    try:
        cursor = connection.execute(query)
        names = [d[0] for d in cursor.description or ()]
        rows = cursor.fetchall()
    except sqlite3.Error as exc:
        raise DataError(f"{table}: the mapping's query failed on the database in ${env} ({exc}); "
                        "check the query") from None
    finally:
        connection.close()
    return pa.table({name: pa.array([cell_text(row[i]) for row in rows], pa.string()) for i, name in enumerate(names)})
