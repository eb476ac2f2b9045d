"""The raw baselines orbit is measured against, run in the benchmark's own process.

Insert: read the same events-v1 lines, ``json.loads`` each for its ``id`` (a store of
events must at least parse what it stores), and insert ``(id, line)`` into one table
with an index on ``id``, all in one transaction.

Select: read every line back in insert order and ``json.loads`` each.

SQLite uses the ``sqlite3`` module with orbit's own settings (WAL, synchronous=NORMAL).
PostgreSQL uses psycopg's ``executemany``, which psycopg 3 pipelines: the plain insert
issue 15's goal is set against. orbit itself writes with ``COPY ... FROM STDIN`` since
round 4 (docs/performance.md), so ``copy`` below, the same lines by ``COPY``, is printed
beside it for reference: what the fastest way in costs without anything orbit does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

TABLE = "raw_events"


def id_and_line(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """Each non-blank line of ``paths`` with the ``id`` its JSON holds."""
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                text = line.rstrip("\n")
                if text:
                    yield json.loads(text)["id"], text


class RawStore(Protocol):
    def insert(self, paths: Iterable[Path], table: str = TABLE) -> int: ...

    def select_decode(self, table: str = TABLE) -> int: ...


class SqliteRaw:
    def __init__(self, path: str) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def insert(self, paths: Iterable[Path], table: str = TABLE) -> int:
        connection = self._connect()
        try:
            connection.execute(f"CREATE TABLE {table} (id TEXT NOT NULL, line TEXT NOT NULL)")
            connection.execute(f"CREATE INDEX {table}_id ON {table} (id)")
            connection.execute("BEGIN")
            cursor = connection.executemany(
                f"INSERT INTO {table} (id, line) VALUES (?, ?)",
                id_and_line(paths),
            )
            connection.execute("COMMIT")
            return cursor.rowcount
        finally:
            connection.close()

    def select_decode(self, table: str = TABLE) -> int:
        connection = self._connect()
        try:
            count = 0
            for (line,) in connection.execute(f"SELECT line FROM {table} ORDER BY rowid"):
                json.loads(line)
                count += 1
            return count
        finally:
            connection.close()


class PostgresRaw:
    """The same table, with ``position bigserial`` for order, as PostgreSQL has no rowid."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _connect(self) -> Any:
        import psycopg  # noqa: PLC0415 - only the PostgreSQL runs need the driver

        return psycopg.connect(self.url)

    def _create(self, connection: Any, table: str) -> None:
        connection.execute(
            f"CREATE TABLE {table} (position bigserial PRIMARY KEY, "
            "id text NOT NULL, line text NOT NULL)"
        )
        connection.execute(f"CREATE INDEX {table}_id ON {table} (id)")

    def insert(self, paths: Iterable[Path], table: str = TABLE) -> int:
        with self._connect() as connection:  # one transaction, committed on exit
            self._create(connection, table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (id, line) VALUES (%s, %s)",
                    id_and_line(paths),
                )
                return int(cursor.rowcount)

    def copy(self, paths: Iterable[Path], table: str = TABLE) -> int:
        """``COPY ... FROM STDIN``: the fastest way in, for reference only."""
        count = 0
        with self._connect() as connection:
            self._create(connection, table)
            with connection.cursor() as cursor:
                copy_sql = f"COPY {table} (id, line) FROM STDIN"
                with cursor.copy(copy_sql) as copy:
                    for row in id_and_line(paths):
                        copy.write_row(row)
                        count += 1
        return count

    def select_decode(self, table: str = TABLE) -> int:
        count = 0
        with self._connect() as connection, connection.cursor(name="replay") as cursor:
            cursor.itersize = 5000  # orbit's page size
            cursor.execute(f"SELECT line FROM {table} ORDER BY position")
            for (line,) in cursor:
                json.loads(line)
                count += 1
        return count


def raw_store(kind: str, location: str) -> RawStore:
    return SqliteRaw(location) if kind == "sqlite" else PostgresRaw(location)
