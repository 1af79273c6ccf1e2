"""Tables read by a query on a PostgreSQL database, through the ADBC PostgreSQL driver (the
optional `postgresql` extra). The driver copies the rows in PostgreSQL's binary format straight
into arrow columns: no Python object per cell, so a query of millions of rows reads about as fast
as a file.

Each query runs in a read-only session, so a mistyped query cannot change the database (give the
checker a role that may only read, too). Columns keep their instants when they are timestamps;
every other column becomes the text a CSV export would hold, so it is typed by the same code."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import pyarrow as pa
import pyarrow.compute as pc

from .read import DataError

# libpq waits for an unreachable host for minutes unless told otherwise.
_CONNECT_TIMEOUT_S = 10
# The driver's wording around PostgreSQL's own message: status code, "[libpq]", what it was doing.
_DRIVER_WORDS = re.compile(r"^[A-Z_]+: (\[libpq\] )?(Failed to (connect|prepare query|execute query)[^:]*: )?")


def read_postgres(url: str, query: str, table: str, env: str) -> pa.Table:
    """The rows of query on the PostgreSQL database at url (named by ${env} in messages)."""
    try:
        from adbc_driver_manager import Error
        from adbc_driver_postgresql.dbapi import connect
    except ImportError:
        raise DataError(f"{table}: ${env} names a PostgreSQL database, which is read by the postgresql extra: "
                        "install it with pip install 'checker[postgresql]'") from None
    try:
        connection = connect(_libpq_url(url), autocommit=True)
    except Error as exc:
        raise DataError(f"{table}: cannot connect to the PostgreSQL database in ${env} ({_reason(exc, url)}); "
                        "check that the server runs, and the URL, user and password") from None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.execute(query)
            rows = cursor.fetch_arrow_table()
    except Error as exc:
        raise DataError(f"{table}: the mapping's query failed on the PostgreSQL database in ${env} "
                        f"({_reason(exc, url)}); check the query") from None
    finally:
        connection.close()
    return as_export_columns(rows, table)


def _libpq_url(url: str) -> str:
    """url as libpq reads it: a SQLAlchemy-style driver suffix (postgresql+psycopg://) is dropped,
    and a connection timeout is added unless the URL sets one."""
    parts = urlsplit(url)
    query = parts.query if "connect_timeout=" in parts.query else \
        "&".join(filter(None, (parts.query, f"connect_timeout={_CONNECT_TIMEOUT_S}")))
    return urlunsplit(("postgresql", parts.netloc, parts.path, query, parts.fragment))


def _reason(exc: Exception, url: str) -> str:
    """PostgreSQL's first line of the error, without the driver's wording or the password."""
    text = _DRIVER_WORDS.sub("", str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    text = re.sub(r"\s+", " ", re.sub(r"\b(ERROR|FATAL):\s+", "", text)).strip()
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def as_export_columns(rows: pa.Table, table: str) -> pa.Table:
    """Timestamps as they are; every other column as text (a numeric's digits, a date's ISO day)."""
    return pa.table({name: _as_text(rows.column(name), name, table) for name in rows.column_names})


def _as_text(column: pa.ChunkedArray, name: str, table: str) -> pa.ChunkedArray:
    if isinstance(column.type, pa.ExtensionType):   # e.g. numeric, held as its digits
        column = pa.chunked_array([chunk.storage for chunk in column.chunks], column.type.storage_type)
    if pa.types.is_timestamp(column.type) or pa.types.is_string(column.type):
        return column
    try:
        return pc.cast(column, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        raise DataError(f"{table}: column '{name}' of the query's result is a {column.type}, which has no "
                        f"text form; select it as text in the query ({name}::text)") from None
