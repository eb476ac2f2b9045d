"""``orbit upgrade``: move a store to this orbit's schema, safely.

One transaction holds the whole upgrade, every revision of it: both databases change
their schema transactionally, so a crash or an error half-way leaves the old schema
whole, and the next attempt starts again from there.

- PostgreSQL: the transaction first takes the advisory lock that also guards making
  a store, so two processes upgrading at once queue; the second then finds the store
  upgraded and does nothing.
- SQLite: ``BEGIN EXCLUSIVE`` (a second upgrader or writer waits for it, up to the
  store's lock timeout), then a backup copy of the store with SQLite's backup API,
  taken while that lock keeps every writer out, so it is exactly the store as it was.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL

from orbit_adapters.store.engine import (
    SQLITE_BEGIN_OPTION,
    StoreError,
    create_store_engine,
    describe,
    is_sqlite_file,
    parse_store_url,
    sqlite_file,
)
from orbit_adapters.store.event_store import SCHEMA_LOCK_KEY
from orbit_adapters.store.presence import no_store, sqlite_file_holds_a_store
from orbit_adapters.store.revision import check_revision, stored_revision
from orbit_adapters.store.schema import HEAD_REVISION, REVISIONS, VERSION_TABLE


@dataclass(frozen=True)
class StoreUpgrade:
    """What ``upgrade_store`` did."""

    store: str  # the store, as messages name it
    before: str  # its revision before
    after: str  # and after
    backup: Path | None = None  # the SQLite copy of the store as it was before

    @property
    def upgraded(self) -> bool:
        return self.before != self.after


def upgrade_store(url: str | URL) -> StoreUpgrade:
    """Move the store at ``url`` to ``HEAD_REVISION``; nothing to do if it is there.

    Raises ``NoStoreError`` where there is no store (creating nothing), and
    ``NewerStoreError`` for a store a newer orbit wrote, which is left untouched.
    """
    if isinstance(url, str):
        url = parse_store_url(url)
    if is_sqlite_file(url) and not sqlite_file_holds_a_store(url):
        raise no_store(url)
    engine = create_store_engine(url)
    try:
        with engine.connect() as plain_connection:
            connection = plain_connection
            if engine.dialect.name == "sqlite":
                connection = connection.execution_options(
                    **{SQLITE_BEGIN_OPTION: "BEGIN EXCLUSIVE"}
                )
            with connection.begin():
                return _upgrade(connection, url)
    except sa_exc.DatabaseError as error:  # locked too long, no right to alter the tables
        raise StoreError(f"cannot upgrade {describe(url)}: {_first_line(error)}") from None
    finally:
        engine.dispose()


def _upgrade(connection: Connection, url: URL) -> StoreUpgrade:
    store = describe(url)
    if connection.dialect.name != "sqlite":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
    before = stored_revision(connection)  # read under the lock: another may have upgraded
    if before is None:
        raise no_store(url)
    if before == HEAD_REVISION:
        return StoreUpgrade(store, before, before)
    if before not in REVISIONS:
        check_revision(before, store)  # raises: a newer orbit's, or too old to upgrade
    backup = _backup(connection, url, before) if is_sqlite_file(url) else None
    try:
        from orbit_adapters.store import migrating  # noqa: PLC0415 (Alembic: only here)

        if not connection.dialect.has_table(connection, VERSION_TABLE):
            migrating.stamp(connection, before)  # a store from before Alembic
        migrating.upgrade(connection, HEAD_REVISION)
        after = stored_revision(connection)
        assert after == HEAD_REVISION, after
    except BaseException:
        if backup is not None:  # the store stays as it was: the copy says nothing new
            backup.unlink(missing_ok=True)
        raise
    return StoreUpgrade(store, before, after, backup)


def _backup(connection: Connection, url: URL, revision: str) -> Path:
    """Copy the SQLite store beside itself, as this transaction sees it (the store as it
    was before the upgrade), under a name no other file has; readable by whoever may
    read the store, no one else."""
    database = sqlite_file(url)
    moment = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = database.with_name(f"{database.name}.{revision}-backup-{moment}")
    partial = target.with_name(f"{target.name}.partial")
    partial.touch(mode=stat.S_IMODE(database.stat().st_mode) & 0o666, exist_ok=False)
    try:
        # A connection of its own: SQLite's backup cannot read through the connection
        # that holds the write lock. In WAL mode (orbit's) it reads beside that lock,
        # and sees the store as it was, since nothing has been written yet.
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _first_line(error: Exception) -> str:
    """The database's own message, first line: never the statement or its parameters."""
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
