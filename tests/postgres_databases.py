"""Empty PostgreSQL databases for the tests, each one used by one test at a time.

A test's database is emptied afterwards and given to a later test, rather than dropped and
made again: DROP DATABASE makes the server write a checkpoint (all its dirty pages, with
fsync), which cost about a second a test on this machine, while dropping the database's
schemas costs about a tenth of that. A database that cannot be emptied is dropped.
"""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

# What CREATE DATABASE gives on PostgreSQL 15 and later: an empty public schema owned by
# the database's owner, which everyone may use but only the owner may create in.
_FRESH_PUBLIC_SCHEMA = (
    "CREATE SCHEMA public AUTHORIZATION pg_database_owner",
    "GRANT USAGE ON SCHEMA public TO PUBLIC",
)


class PostgresDatabases:
    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._free: list[str] = []
        self._made: set[str] = set()

    def url(self, name: str) -> str:
        return make_url(self._admin_url).set(database=name).render_as_string(hide_password=False)

    def take(self) -> str:
        """The name of an empty database, as CREATE DATABASE would make it."""
        if self._free:
            return self._free.pop()
        name = f"orbit_test_{uuid.uuid4().hex[:12]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self._made.add(name)
        return name

    def give_back(self, name: str) -> None:
        """Empty the database for the next test, or drop it if that fails."""
        try:
            self._empty(name)
        except SQLAlchemyError:
            self._drop(name)
        else:
            self._free.append(name)

    def close(self) -> None:
        for name in sorted(self._made):
            self._drop(name)
        self._admin.dispose()

    def _empty(self, name: str) -> None:
        engine = create_engine(self.url(name), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with engine.connect() as connection:
                connection.execute(text("SET lock_timeout = '10s'"))
                _end_other_sessions(connection)
                schemas = connection.execute(
                    text(
                        "SELECT nspname FROM pg_namespace "
                        "WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
                    )
                ).scalars()
                for schema in list(schemas):
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                for statement in _FRESH_PUBLIC_SCHEMA:
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def _drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._made.discard(name)


def _end_other_sessions(connection: Connection) -> None:
    """Sessions a test left open (a pool's, a killed process's) would hold locks on its tables."""
    connection.execute(
        text(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    )
