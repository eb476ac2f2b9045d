"""Which schema a store has, and whether this orbit may use it, read without Alembic.

An orbit works on a store at ``HEAD_REVISION`` only. An older one (a schema-2 store of
an orbit from before Alembic, or an earlier revision) is refused with the command that
upgrades it; a newer one, written by a later orbit, is refused with the advice to
upgrade orbit. Opening a store reads one row for this: Alembic itself is loaded only to
upgrade or create a store (store/migrating.py).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, func, inspect, select, text

from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.schema import HEAD_REVISION, REVISIONS, VERSION_TABLE, schema_table

LEGACY_REVISION = re.compile(r"schema(\d+)")
OLDEST_UPGRADABLE = REVISIONS[0]


class OutdatedStoreError(StoreError):
    """The store has an older schema: ``orbit upgrade`` moves it to this orbit's."""


class NewerStoreError(StoreError):
    """A newer orbit wrote the store: this orbit does not know its schema."""


def stored_revision(connection: Connection) -> str | None:
    """The store's schema revision; None when there is no orbit store.

    A store from before Alembic has no version table: its revision is named after the
    number in ``orbit_schema`` (``schema2``).
    """
    inspector = inspect(connection)
    if not inspector.has_table(schema_table.name):
        return None
    if inspector.has_table(VERSION_TABLE):
        revisions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
        return ", ".join(sorted(str(revision) for (revision,) in revisions)) or "none"
    number = connection.execute(select(func.max(schema_table.c.version))).scalar()
    return f"schema{2 if number is None else int(number)}"


def check_revision(revision: str, store: str) -> None:
    """Refuse, in one line naming ``store``, any revision but this orbit's own."""
    if revision == HEAD_REVISION:
        return
    if revision in REVISIONS:
        raise OutdatedStoreError(
            f"{store} has {revision}, made by an older orbit: run `orbit upgrade` "
            f"to bring it to {HEAD_REVISION} (docs/deployment.md says how)"
        )
    legacy = LEGACY_REVISION.fullmatch(revision)
    if legacy is not None and int(legacy.group(1)) < int(OLDEST_UPGRADABLE.removeprefix("schema")):
        raise StoreError(
            f"{store} has {revision}, older than {OLDEST_UPGRADABLE}, which orbit "
            "cannot upgrade: export its events with the orbit that made it and import them "
            "into a new store"
        )
    raise NewerStoreError(
        f"{store} has {revision}, written by a newer orbit; this orbit knows "
        f"{HEAD_REVISION}: upgrade orbit"
    )
