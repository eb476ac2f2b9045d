"""Open a SQLAlchemy engine for a store URL, tuned per database, with one-line errors."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

DEFAULT_STORE_URL = "sqlite:///orbit.db"

SQLITE_BEGIN_OPTION = "orbit_sqlite_begin"
"""Execution option naming the statement that opens a SQLite transaction.

pysqlite's own transaction handling starts transactions late and never with
``BEGIN IMMEDIATE``; orbit takes the write lock up front instead, so that two
importers queue rather than fail half-way with "database is locked".
"""

SQLITE_LOCK_TIMEOUT_SECONDS = 60
SQLITE_WRITE_CACHE_KIB = 64 * 1024
"""SQLite's page cache during a write transaction (its default is 2 MiB).

An import probes and extends indexes all over a big store: with the default cache it
reads the same pages from the file again for every batch, and the commit spills. Reads
keep the default, so that a report's memory stays small.
"""
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10


class StoreError(Exception):
    """The store cannot be opened or used; the message says which store and why."""


def describe(url: URL) -> str:
    """A store URL for messages: never the password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}" if url.database else "in-memory SQLite store"
    host = f"{url.host or 'localhost'}:{url.port}" if url.port else (url.host or "localhost")
    return f"{url.get_backend_name()} database {url.database!r} on {host}"


def parse_store_url(text: str) -> URL:
    try:
        return make_url(text)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(
            f"not a store URL: {masked(text)!r} (expected e.g. sqlite:///orbit.db or "
            "postgresql+psycopg://user@host/db)"
        ) from None


def create_store_engine(url: URL) -> Engine:
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url)
        if backend == "postgresql":
            return create_engine(
                url,
                pool_pre_ping=True,  # a server restart costs one retry, not an error
                pool_size=5,
                max_overflow=5,
                connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS},
            )
    except NoSuchModuleError:
        raise StoreError(
            f"no database driver for {url.drivername!r}: install orbit with the matching extra "
            "(pip install 'orbit[postgres]')"
        ) from None
    except ModuleNotFoundError as missing:
        raise StoreError(
            f"the driver for {url.drivername!r} is not installed ({missing.name}): "
            "pip install 'orbit[postgres]'"
        ) from None
    raise StoreError(f"unsupported store {backend!r}: orbit stores events in SQLite or PostgreSQL")


def is_in_memory(url: URL | str) -> bool:
    """An in-memory SQLite store: no other connection, let alone process, can open it.

    Every form SQLite takes: no file name, ``:memory:``, and the URI file names
    ``file::memory:`` and ``file:NAME?mode=memory`` (with ``uri=true``). A URL given as
    text that is not one raises ``StoreError``.
    """
    if isinstance(url, str):
        url = parse_store_url(url)
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    return (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or url.query.get("mode") == "memory"
        or "mode=memory" in database
    )


def is_sqlite_file(url: URL) -> bool:
    """A SQLite store kept in a file, which other connections and processes can open."""
    return url.get_backend_name() == "sqlite" and not is_in_memory(url)


def sqlite_file(url: URL) -> Path:
    """The file of a SQLite store, also when named as a URI (``file:orbit.db?mode=ro``
    with ``uri=true``)."""
    database = str(url.database)
    if url.query.get("uri") == "true" and database.startswith("file:"):
        return Path(unquote(database.removeprefix("file:").partition("?")[0]))
    return Path(database)


def masked(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:)\S*@")


def _sqlite_engine(url: URL) -> Engine:
    in_memory = is_in_memory(url)
    if not in_memory:
        directory = sqlite_file(url).resolve().parent
        if not directory.is_dir():
            raise StoreError(f"cannot open {describe(url)}: folder {directory} does not exist")
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_LOCK_TIMEOUT_SECONDS}}
    if in_memory:
        options["poolclass"] = StaticPool  # one shared connection, or every query sees a new db
        options["connect_args"]["check_same_thread"] = False
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # orbit emits BEGIN itself (see below)
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL survives a killed process with every commit intact.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten with zeros: a forgotten participant's key must
        # not linger in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(
            connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "BEGIN")
        )

    return engine


@contextmanager
def sqlite_write_cache(connection: Connection) -> Iterator[None]:
    """A bigger page cache on this SQLite connection while inside; then the old size."""
    driver = connection.connection.driver_connection
    assert driver is not None
    previous = int(driver.execute("PRAGMA cache_size").fetchone()[0])
    driver.execute(f"PRAGMA cache_size = -{SQLITE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size = {previous}")


# The import's hot statements go to the driver as SQL text with positional parameters:
# SQLAlchemy's per-row (executemany) and per-value (IN lists) handling of compiled
# statements costs more than the driver's own work for them.


IN_LIST_LIMIT = 500
"""Parameters per ``IN (...)`` list: far below every database's limit."""


def in_list_chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    """``values`` in slices of at most ``IN_LIST_LIMIT``, one ``IN (...)`` list each."""
    for start in range(0, len(values), IN_LIST_LIMIT):
        yield values[start : start + IN_LIST_LIMIT]


def one_of(
    connection: Connection, column: str, values: Sequence[str]
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """SQL conditions "``column`` is one of ``values``", each with its parameters, that
    together cover ``values`` (none for no values).

    PostgreSQL gets one ``= ANY(%s)`` with the values as an array: a batch's lookup is
    one query whatever its size, and the same statement each time, which psycopg
    prepares once. SQLite gets ``IN (...)`` lists of at most ``IN_LIST_LIMIT``.
    """
    name = quoted(connection, [column])
    if connection.dialect.name == "postgresql":
        if values:
            yield f"{name} = ANY(%s)", (list(values),)
        return
    for chunk in in_list_chunks(values):
        yield f"{name} IN ({positional_markers(connection, len(chunk))})", tuple(chunk)


def insert_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) inside the current transaction.

    PostgreSQL gets one ``COPY ... FROM STDIN``: the rows stream to the server as one
    statement, inserted without an INSERT's parse, plan and execution for each row,
    which was most of an import's wall-clock time there. A unique or other constraint
    still fails the whole statement, raised as SQLAlchemy's error of that kind, exactly as
    the INSERT did. SQLite, in process, gets the driver's ``executemany``.
    """
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(positional_insert(connection, table, columns), rows)
        return
    statement = f"COPY {table} ({quoted(connection, columns)}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert driver is not None
    dbapi = connection.dialect.loaded_dbapi
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as error:
        raise DBAPIError.instance(statement, None, error, dbapi.Error) from None


def positional_insert(connection: Connection, table: str, columns: Sequence[str]) -> str:
    """An INSERT of one row given as a tuple in the order of ``columns``."""
    markers = positional_markers(connection, len(columns))
    return f"INSERT INTO {table} ({quoted(connection, columns)}) VALUES ({markers})"


def positional_markers(connection: Connection, count: int) -> str:
    """``count`` parameter markers in the driver's own style: sqlite3's ``?``, psycopg's ``%s``."""
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([marker] * count)


def quoted(connection: Connection, names: Sequence[str]) -> str:
    """Column names as the database wants them written, comma-separated."""
    return ", ".join(connection.dialect.identifier_preparer.quote(name) for name in names)
