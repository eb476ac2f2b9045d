"""Finding, checking and rotating a store's master key.

A SQLite file store keeps its key beside it (``orbit.db`` → ``orbit.db.key``) unless
told otherwise; a PostgreSQL store must be told where its key file is. The store keeps
a check value, so a wrong key is refused before anything is read or written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import URL

from orbit_adapters.privacy.crypto import SealBrokenError, seal, unseal
from orbit_adapters.privacy.directory import CHECK_NAME, wrap_context
from orbit_adapters.privacy.master_key import KeyFileError, MasterKey
from orbit_adapters.store.engine import describe
from orbit_adapters.store.event_store import EventStore
from orbit_adapters.store.schema import keyring_table, participants_table


def default_key_file(url: URL) -> Path | None:
    """Beside a SQLite file; None for an in-memory store (its key lives as long as it)."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(f"{url.database}.key")
    return None


def open_master_key(store: EventStore, key_file: Path | None) -> MasterKey:
    """The store's master key: read and checked, or made for a new store."""
    path = key_file or default_key_file(store.url)
    if path is None:
        if store.url.get_backend_name() == "sqlite":
            return _recorded(store, MasterKey.generate())
        raise KeyFileError(
            f"{describe(store.url)} needs the path of its master key file: "
            "pass --key-file or set ORBIT_KEY_FILE (a new file is created there on first use)"
        )
    check = _check_value(store)
    if check is None:
        if not path.exists():
            MasterKey.generate().write(path)
        return _recorded(store, MasterKey.read(path))
    pending = _pending(path)
    if not path.exists() and not pending.exists():
        raise KeyFileError(
            f"master key file {path} is missing: {describe(store.url)} holds personal data "
            "encrypted with it (pass --key-file or set ORBIT_KEY_FILE if it lives elsewhere)"
        )
    key = MasterKey.read(path) if path.exists() else None
    if key is not None and key.check_value() == check:
        pending.unlink(missing_ok=True)  # a rotation that did not commit: drop its new key
        return key
    if pending.exists() and (new_key := MasterKey.read(pending)).check_value() == check:
        _finish_rotation(path, pending)  # the rotation committed; put its key in place
        new_key.path = path
        return new_key
    raise KeyFileError(f"{path} is not the master key of {describe(store.url)}")


def rotate_master_key(store: EventStore, current: MasterKey, now: dt.datetime) -> Path:
    """Re-wrap every key of the store under a new master key; the events stay untouched.

    The new key is written beside the old one first, the store re-wrapped in one
    transaction, and only then the files swapped; ``open_master_key`` completes a swap
    that a crash interrupted. The old key is kept as ``<file>.retired-<time>``, since
    backups taken before the rotation need it; the returned path is that file.
    """
    if current.path is None:
        raise KeyFileError("an in-memory store's key cannot be rotated")
    path = current.path
    pending = _pending(path)
    new_key = MasterKey.generate()
    new_key.write(pending)
    with store.writing() as writer:
        _rewrap(writer.connection, current, new_key)
    retired = path.with_name(f"{path.name}.retired-{now.strftime('%Y%m%dT%H%M%SZ')}")
    path.replace(retired)
    pending.replace(path)
    return retired


def _rewrap(connection: Connection, old: MasterKey, new: MasterKey) -> None:
    participants = connection.execute(
        select(
            participants_table.c.organisation,
            participants_table.c.stream,
            participants_table.c.data_key,
        )
    ).all()
    for organisation, stream, wrapped in participants:
        context = wrap_context(organisation, stream)
        connection.execute(
            update(participants_table)
            .where(
                participants_table.c.stream == stream,
                participants_table.c.organisation == organisation,
            )
            .values(data_key=seal(new.key, _unwrap(old, wrapped, context), context))
        )
    lookups = connection.execute(
        select(keyring_table.c.name, keyring_table.c.value).where(
            keyring_table.c.name.like("lookup:%")
        )
    ).all()
    for name, wrapped in lookups:
        context = wrap_context(name.removeprefix("lookup:"), name)
        connection.execute(
            update(keyring_table)
            .where(keyring_table.c.name == name)
            .values(value=seal(new.key, _unwrap(old, wrapped, context), context))
        )
    connection.execute(
        update(keyring_table)
        .where(keyring_table.c.name == CHECK_NAME)
        .values(value=new.check_value().encode("ascii"))
    )


def _unwrap(key: MasterKey, wrapped: bytes, context: bytes) -> bytes:
    try:
        return unseal(key.key, wrapped, context)
    except SealBrokenError:
        raise KeyFileError("the master key does not open this store's keys") from None


def _check_value(store: EventStore) -> str | None:
    with store.reading() as reader:
        value = reader.connection.execute(
            select(keyring_table.c.value).where(keyring_table.c.name == CHECK_NAME)
        ).scalar()
    return None if value is None else bytes(value).decode("ascii")


def _recorded(store: EventStore, key: MasterKey) -> MasterKey:
    """Record ``key`` as a new store's master key (or check it, if another process won)."""
    with store.writing() as writer:
        value = writer.connection.execute(
            select(keyring_table.c.value).where(keyring_table.c.name == CHECK_NAME)
        ).scalar()
        if value is None:
            writer.connection.execute(
                insert(keyring_table).values(
                    name=CHECK_NAME, value=key.check_value().encode("ascii")
                )
            )
        elif bytes(value).decode("ascii") != key.check_value():
            raise KeyFileError(f"{key.path} is not the master key of {describe(store.url)}")
    return key


def _pending(path: Path) -> Path:
    return path.with_name(f"{path.name}.new")


def _finish_rotation(path: Path, pending: Path) -> None:
    if path.exists():
        path.replace(path.with_name(f"{path.name}.retired-interrupted"))
    pending.replace(path)
