"""The tables of an orbit store, the same on SQLite and PostgreSQL.

``orbit_events`` is the log: one row per event, in the global order of ``position``.
A row carries the envelope (organisation, stream, version, event id, type, effective
date, recorded-at in microseconds since the epoch) beside the event's statistical
skeleton in ``data`` (canonical JSON), its personal fields sealed in ``personal``, and
the digest of its canonical line in ``digest``, which the fingerprint chains.
``recorded_us`` is an integer so that the ``--known-at`` filter is a plain comparison,
whatever the timestamp's written form. A participant's stream id is random; only
``orbit_participants`` links it to the participant, and forgetting them deletes that
row. docs/privacy.md describes the keys.

The schema changes only through the Alembic revisions in store/migrations/ (see
store/upgrade.py): a new store is made from these tables and stamped with
``HEAD_REVISION``; an older one is moved there by ``orbit upgrade``. A change here needs
a new revision, and tests/adapters/test_migrations.py checks that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 3
"""What ``orbit_schema`` holds: orbits from before Alembic (schema 2) read only this, and
refuse a store whose number is higher than theirs. It stays 3 for every later revision."""

REVISIONS = ("schema2", "schema3", "schema4")
"""The Alembic revisions of store/migrations/versions/, oldest first. An orbit opens a
store at ``HEAD_REVISION`` only; kept here so that opening a store needs no Alembic."""
HEAD_REVISION = REVISIONS[-1]
VERSION_TABLE = "orbit_alembic_version"
"""Alembic's version table, named so as not to meet another application's
``alembic_version`` in a shared PostgreSQL database."""

metadata = MetaData()

LATER_COLUMNS = {"orbit_events": {"digest"}}
"""Columns a revision after schema 2 added to a table of schema 2: a store still to be
upgraded lacks them, and is an orbit store all the same (store/presence.py)."""

events_table = Table(
    "orbit_events",
    metadata,
    # On SQLite an INTEGER PRIMARY KEY is the rowid: the cheapest global order there is.
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("organisation", String(64), nullable=False),
    Column("stream", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_id", String(128), nullable=False),
    Column("type", String(40), nullable=False),
    Column("date", String(10), nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("data", Text, nullable=False),
    Column("personal", LargeBinary, nullable=True),
    # SHA-256 of the row's canonical line (store/row_digest.py), written with the row:
    # the fingerprint chains these (schema 4).
    Column("digest", LargeBinary, nullable=False),
    # Optimistic concurrency: two writers cannot both append version N to a stream.
    # Idempotency: an event id is stored at most once per organisation.
    # The organisation leads each index: stream ids and event ids are random, so with
    # them first one organisation's inserts landed on random pages all over a large
    # store's index; now they stay in that organisation's part of it (schema 3).
    UniqueConstraint("organisation", "stream", "version", name="orbit_events_stream_version"),
    UniqueConstraint("organisation", "event_id", name="orbit_events_event_id"),
    Index("orbit_events_organisation_position", "organisation", "position"),
)

schema_table = Table(
    "orbit_schema",
    metadata,
    Column("version", Integer, nullable=False),
)

KEYRING_CHECK = "check"  # the keyring row that holds the master key's check value

keyring_table = Table(
    "orbit_keyring",
    metadata,
    # "check": recognises the master key; "lookup:<organisation>": that organisation's
    # wrapped lookup key, which turns participant keys into keyed hashes.
    Column("name", String(100), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

participants_table = Table(
    "orbit_participants",
    metadata,
    Column("organisation", String(64), nullable=False),
    Column("lookup", String(64), nullable=False),  # keyed hash of the participant key
    Column("stream", String(32), nullable=False),  # random: no way back to the key
    Column("data_key", LargeBinary, nullable=False),  # wrapped by the master key
    Column("participant", LargeBinary, nullable=False),  # the key, sealed by the data key
    # Organisation first, as in orbit_events: lookups and streams are random.
    UniqueConstraint("organisation", "lookup", name="orbit_participants_lookup"),
    UniqueConstraint("organisation", "stream", name="orbit_participants_stream"),
)

erasures_table = Table(
    "orbit_erasures",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("organisation", String(64), nullable=False),
    # The keyed hash of the forgotten key: a second request for the same key is
    # recognised, but it points to no stream and no event.
    Column("lookup", String(64), nullable=False),
    Column("date", String(10), nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("reason", Text, nullable=True),
    Column("events", Integer, nullable=False),
)

readmissions_table = Table(
    "orbit_readmissions",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("organisation", String(64), nullable=False),
    # A forgotten key whose events an import was told to accept again (--allow-forgotten):
    # its keyed hash, as in orbit_erasures, and the reason the user gave.
    Column("lookup", String(64), nullable=False),
    Column("date", String(10), nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
)

# Projection checkpoints: never the source of truth. Deleting these rows loses nothing
# (the next report rebuilds them from the events); a stale or damaged one is detected
# by its digest and its anchor (the id of the event at its position) and rebuilt.
checkpoints_table = Table(
    "orbit_checkpoints",
    metadata,
    Column("organisation", String(64), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("anchor", String(128), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("state", LargeBinary, nullable=False),
)

fingerprint_checkpoints_table = Table(
    "orbit_fingerprint_checkpoints",
    metadata,
    Column("organisation", String(64), primary_key=True),
    Column("until", String(10), primary_key=True),
    Column("known_at_us", BigInteger, primary_key=True),  # -1: no --known-at
    Column("position", BigInteger, nullable=False),
    Column("anchor", String(128), nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("chain", LargeBinary, nullable=False),
)

tokens_table = Table(
    "orbit_tokens",
    metadata,
    # Access tokens of `orbit serve` (docs/http-api.md); the secret itself is never stored.
    Column("token_id", String(32), primary_key=True),  # public id shown by `tokens list`
    Column("secret_hash", String(64), nullable=False, unique=True),  # sha256 hex of the secret
    Column("organisation", String(64), nullable=True),  # NULL: all organisations
    Column("role", String(20), nullable=False),  # reader | importer
    Column("created_us", BigInteger, nullable=False),
    Column("expires_us", BigInteger, nullable=True),
    Column("revoked_us", BigInteger, nullable=True),
)
