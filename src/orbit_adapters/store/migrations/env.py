"""Alembic's environment for an orbit store: the migrations run on the connection, and
inside the transaction, that store/upgrade.py hands over (never from an alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from orbit_adapters.store.schema import VERSION_TABLE, metadata

if context.is_offline_mode():
    raise RuntimeError("orbit's migrations run on a store, not as an SQL script")

connection = context.config.attributes["connection"]
assert isinstance(connection, Connection)
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    # SQLite cannot alter a table's constraints: Alembic copies the table instead.
    render_as_batch=True,
)
# The caller's transaction is already open, so this adds none: every revision of one
# upgrade commits together or not at all.
with context.begin_transaction():
    context.run_migrations()
