"""Finding, checking and rotating a store's master key.

A SQLite file store keeps its key beside it (``orbit.db`` → ``orbit.db.key``) unless
told otherwise; a PostgreSQL store must be told where its key file is. The store keeps
a check value, so a wrong key is refused before anything is read or written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.engine import URL

from orbit_adapters.privacy.crypto import SealBrokenError, seal, unseal
from orbit_adapters.privacy.directory import wrap_context
from orbit_adapters.privacy.master_key import KeyFileError, KeyFileExistsError, MasterKey
from orbit_adapters.store.engine import describe, is_sqlite_file, sqlite_file
from orbit_adapters.store.event_store import EventStore
from orbit_adapters.store.schema import KEYRING_CHECK, keyring_table, participants_table


def default_key_file(url: URL) -> Path | None:
    """Beside a SQLite file; None for an in-memory store (its key lives as long as it)."""
    if is_sqlite_file(url):
        database = sqlite_file(url)
        return database.with_name(f"{database.name}.key")
    return None


def require_key_file_for(url: URL, key_file: Path | None) -> None:
    """Refuse, before anything is created, a server store that has no key file."""
    if key_file is None and default_key_file(url) is None and url.get_backend_name() != "sqlite":
        raise KeyFileError(
            f"{describe(url)} needs the path of its master key file: "
            "pass --key-file or set ORBIT_KEY_FILE (a new file is created there on first use)"
        )


def open_master_key(store: EventStore, key_file: Path | None, *, create: bool = True) -> MasterKey:
    """The store's master key: read and checked, or (with ``create``) made for a new store.

    Opening never renames or deletes a key file: a rotation may be running in another
    process. If a rotation committed but did not get to swap the files, the pending
    ``<file>.new`` is the key, and it is used from there.
    """
    require_key_file_for(store.url, key_file)
    path = key_file or default_key_file(store.url)
    if path is None:
        return _recorded(store, MasterKey.generate())
    check = _check_value(store)
    if check is None:
        if not create:
            raise KeyFileError(f"{describe(store.url)} has no master key yet (an import makes one)")
        # A key file already there was given, or made by another process opening the
        # new store at the same time: either way it is the one to record.
        with contextlib.suppress(KeyFileExistsError):
            MasterKey.generate().write(path)
        return _recorded(store, MasterKey.read(path))
    for candidate in (path, _pending(path)):
        if candidate.exists():
            key = MasterKey.read(candidate)
            if key.check_value() == check:
                key.path = path  # the key's home; a pending one is moved there by rotation
                return key
    if not path.exists():
        raise KeyFileError(
            f"master key file {path} is missing: {describe(store.url)} holds personal data "
            "encrypted with it (pass --key-file or set ORBIT_KEY_FILE if it lives elsewhere)"
        )
    raise KeyFileError(f"{path} is not the master key of {describe(store.url)}")


def rotate_master_key(store: EventStore, current: MasterKey, now: dt.datetime) -> Path:
    """Re-wrap every key of the store under a new master key; the events stay untouched.

    All of it happens under the store's write lock, so no writer can wrap a key with the
    old master key meanwhile. The new key is written to ``<file>.new`` before the
    re-wrap commits and moved into place after; until then ``open_master_key`` finds it
    there. The old key is kept as ``<file>.retired-<time>``, never overwriting one,
    since backups taken before the rotation need it; the returned path is that file.
    """
    if current.path is None:
        raise KeyFileError("an in-memory store's key cannot be rotated")
    path = current.path
    pending = _pending(path)
    with store.writing() as writer:
        check = _stored_check(writer.connection)
        if check != current.check_value():
            raise KeyFileError(
                "the master key changed since this command started (another rotation?): "
                "run it again"
            )
        _settle_pending(path, pending, check, now)
        new_key = MasterKey.generate()
        new_key.write(pending)
        _rewrap(writer.connection, current, new_key)
    retired = _unused(_retired_name(path, now))
    _move(path, retired)
    _move(pending, path)
    return retired


def verify_master_key(connection: Connection, key: MasterKey) -> None:
    """Inside a write transaction: refuse to write with a key the store no longer uses."""
    if _stored_check(connection) != key.check_value():
        raise KeyFileError(
            "the store's master key was rotated while this command ran: run it again"
        )


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
        .where(keyring_table.c.name == KEYRING_CHECK)
        .values(value=new.check_value().encode("ascii"))
    )


def _unwrap(key: MasterKey, wrapped: bytes, context: bytes) -> bytes:
    try:
        return unseal(key.key, wrapped, context)
    except SealBrokenError:
        raise KeyFileError("the master key does not open this store's keys") from None


def _check_value(store: EventStore) -> str | None:
    with store.reading() as reader:
        return _stored_check(reader.connection)


def _stored_check(connection: Connection) -> str | None:
    value = connection.execute(
        select(keyring_table.c.value).where(keyring_table.c.name == KEYRING_CHECK)
    ).scalar()
    return None if value is None else bytes(value).decode("ascii")


def _recorded(store: EventStore, key: MasterKey) -> MasterKey:
    """Record ``key`` as a new store's master key (or check it, if another process won)."""
    with store.writing() as writer:
        value = writer.connection.execute(
            select(keyring_table.c.value).where(keyring_table.c.name == KEYRING_CHECK)
        ).scalar()
        if value is None:
            writer.connection.execute(
                insert(keyring_table).values(
                    name=KEYRING_CHECK, value=key.check_value().encode("ascii")
                )
            )
        elif bytes(value).decode("ascii") != key.check_value():
            raise KeyFileError(f"{key.path} is not the master key of {describe(store.url)}")
    return key


def _pending(path: Path) -> Path:
    return path.with_name(f"{path.name}.new")


def _settle_pending(path: Path, pending: Path, check: str | None, now: dt.datetime) -> None:
    """Under the write lock, finish or drop what an earlier rotation left behind.

    A pending key the store already uses was committed but never moved into place:
    move it now. Any other pending key belongs to a rotation that never committed.
    """
    if not pending.exists():
        return
    if MasterKey.read(pending).check_value() == check:
        if path.exists():
            _move(path, _unused(_retired_name(path, now)))
        _move(pending, path)
    else:
        pending.unlink()


def _retired_name(path: Path, now: dt.datetime) -> Path:
    return path.with_name(f"{path.name}.retired-{now.strftime('%Y%m%dT%H%M%SZ')}")


def _unused(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``...: the first name no file has."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _move(source: Path, target: Path) -> None:
    """Rename, never over an existing key file; a source already moved is fine."""
    try:
        os.link(source, target)  # fails if target exists, unlike a rename
    except FileNotFoundError:
        return
    source.unlink()
