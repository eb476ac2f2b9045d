"""Alembic, run on a connection orbit has opened and locked: no alembic.ini anywhere.

The revisions live in store/migrations/versions/ and ship inside the package. The
caller holds the transaction: everything Alembic does here commits with it, or not at
all (both databases change their schema transactionally).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy import Connection

from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.schema import HEAD_REVISION

SCRIPT_LOCATION = "orbit_adapters.store:migrations"


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection  # what store/migrations/env.py runs on
    return config


def stamp(connection: Connection, revision: str = HEAD_REVISION) -> None:
    """Record ``revision`` as the store's, changing nothing else (a new store, made
    whole from store/schema.py, or a store from before Alembic)."""
    with _one_line_errors():
        command.stamp(alembic_config(connection), revision)


def upgrade(connection: Connection, revision: str = HEAD_REVISION) -> None:
    """Run every revision after the store's up to ``revision``."""
    with _one_line_errors():
        command.upgrade(alembic_config(connection), revision)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Alembic's own complaints (a revision it cannot find, say) as a ``StoreError``."""
    try:
        yield
    except CommandError as error:
        raise StoreError(f"cannot migrate the store: {error}") from None
