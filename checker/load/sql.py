"""Tables that come from a query on a database instead of a file. The database's URL is read
from the environment variable the mapping names (`database_env:`), so no password is ever
written in the mapping or on the command line.

SQLite (`sqlite:///path/to/file.db`) is read with Python's own sqlite3, opened read-only, so a
query cannot change the database. Values become the text a CSV export would hold, and are
typed by the same code as a file's."""
from __future__ import annotations

import os
import sqlite3

import pyarrow as pa

from .read import DataError, Export
from .xlsx import cell_text


def read_query(env: str, query: str, table: str) -> Export:
    """The rows of query on the database whose URL is in the environment variable env."""
    url = os.environ.get(env, "")
    if not url:
        raise DataError(f"{table}: the mapping reads it from the database named by the environment variable {env}, "
                        f"which is not set; set {env} to the database URL, e.g. sqlite:///crm.db")
    if not url.startswith("sqlite:///"):
        scheme = url.partition(":")[0]
        raise DataError(f"{table}: ${env} names a '{scheme}' database; only SQLite URLs (sqlite:///path) "
                        "are read so far: export the table to CSV instead")
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
    return Export(pa.table({name: pa.array([cell_text(row[i]) for row in rows], pa.string())
                            for i, name in enumerate(names)}))
