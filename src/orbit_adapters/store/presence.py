"""Whether a URL holds an orbit store, found without changing a byte of what is there.

Only a command that writes events may create a store; every other one must find one.
A SQLite file is looked at before the store's engine opens it, because the engine's
connections switch a file to write-ahead logging, which rewrites its header: another
application's database must be refused, not altered.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from orbit_adapters.store.engine import StoreError, describe, sqlite_file
from orbit_adapters.store.schema import LATER_COLUMNS, events_table, metadata, schema_table

SQLITE_HEADER = b"SQLite format 3\x00"
_SHOWN_TABLES = 5


class NoStoreError(StoreError):
    """No orbit store exists at the URL, and the command may not create one."""


class NotAnOrbitStoreError(StoreError):
    """The URL holds something else: another application's database, or not a database."""


def no_store(url: URL) -> NoStoreError:
    return NoStoreError(
        f"no orbit store at {url.render_as_string(hide_password=True)}: "
        "check the URL (an import creates a store)"
    )


def sqlite_file_holds_a_store(url: URL) -> bool:
    """Whether a SQLite store's file holds an orbit store (False: nothing there yet).

    Raises ``NotAnOrbitStoreError`` for a file that is not a SQLite database, or whose
    tables are not orbit's.
    """
    path = sqlite_file(url)
    if path.is_dir():
        raise NotAnOrbitStoreError(f"{describe(url)} is a folder, not a store file")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError as error:
        raise StoreError(f"cannot open {describe(url)}: {error.strerror or error}") from None
    if not header:
        return False  # an empty file is an empty SQLite database
    if header != SQLITE_HEADER:
        raise NotAnOrbitStoreError(f"{describe(url)} is not a SQLite database")
    tables = _sqlite_tables(path, url)
    return _is_orbit_schema(tables, url)


def _sqlite_tables(path: Path, url: URL) -> dict[str, set[str]]:
    """Each table of the file with its columns, read without writing anything."""
    try:
        connection = sqlite3.connect(path, timeout=60)
        try:
            names = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                )
            ]
            return {
                name: {
                    row[1]
                    for row in connection.execute("SELECT * FROM pragma_table_info(?)", (name,))
                }
                for name in names
            }
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise NotAnOrbitStoreError(f"cannot read {describe(url)}: {error}") from None


def _is_orbit_schema(tables: dict[str, set[str]], url: URL) -> bool:
    if not tables:
        return False
    if schema_table.name not in tables:
        shown = ", ".join(sorted(tables)[:_SHOWN_TABLES])
        more = "..." if len(tables) > _SHOWN_TABLES else ""
        raise NotAnOrbitStoreError(
            f"{describe(url)} is not an orbit store: it holds other tables ({shown}{more}); "
            "orbit keeps its events in a file of its own"
        )
    for table in metadata.sorted_tables:
        expected = {column.name for column in table.columns} - LATER_COLUMNS.get(table.name, set())
        if table.name in tables and not expected <= tables[table.name]:
            raise NotAnOrbitStoreError(
                f"{describe(url)} is not an orbit store: its table {table.name} "
                "lacks orbit's columns"
            )
    if events_table.name not in tables:
        raise NotAnOrbitStoreError(f"{describe(url)} is not an orbit store: it has no events table")
    return True
