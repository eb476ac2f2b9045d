"""The composition root: from a URL and a key file to a store and its master key.

``Orbit.open`` (orbit_adapters.service) calls :func:`open_store` and holds what it
returns; everything orbit does afterwards is in the service. The wiring is here, apart,
so that one place says which store, engine and key a URL leads to, and what is undone
when opening fails half-way.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import attrs

from orbit_adapters.privacy.keyring import default_key_file, open_master_key, require_key_file_for
from orbit_adapters.privacy.master_key import KeyFileError, MasterKey
from orbit_adapters.store.engine import parse_store_url
from orbit_adapters.store.event_store import EventStore

KEY_FILE_VARIABLE = "ORBIT_KEY_FILE"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def random_event_id() -> str:
    return str(uuid.uuid4())


@attrs.frozen
class OpenedStore:
    """A store opened for one organisation, and its master key, or why there is none.

    ``master_key`` is None only when the key was not required and could not be opened;
    ``key_problem`` then says why. ``created_key_file`` is the key file that opening
    created with a new store, so that undoing the store can remove it too.
    """

    store: EventStore
    master_key: MasterKey | None
    key_problem: KeyFileError | None = None
    created_key_file: Path | None = None


def open_store(
    url: str,
    *,
    organisation: str,
    key_file: str | Path | None,
    create: bool,
    key_required: bool,
) -> OpenedStore:
    """Open (and, with ``create``, on first use create) the store at a SQLAlchemy URL
    and its master key; ``Orbit.open`` says what each argument means."""
    key_file = key_file or os.environ.get(KEY_FILE_VARIABLE) or None
    key_path = None if key_file is None else Path(key_file)
    parsed = parse_store_url(url)
    if create or key_required:
        require_key_file_for(parsed, key_path)
    store = EventStore.open(parsed, organisation, create=create)
    try:
        home = key_path or default_key_file(parsed)
        key_was_there = home is not None and home.exists()
        try:
            master_key = open_master_key(store, key_path, create=create)
        except KeyFileError as problem:
            if key_required or store.created:
                raise
            return OpenedStore(store, None, key_problem=problem)
    except BaseException:
        store.close()
        raise
    created_key_file = home if store.created and not key_was_there else None
    return OpenedStore(store, master_key, created_key_file=created_key_file)
