"""The tables of an orbit store, the same on SQLite and PostgreSQL.

``orbit_events`` is the log: one row per event, in the global order of ``position``.
A row carries the envelope (organisation, stream, version, event id, type, effective
date, recorded-at in microseconds since the epoch) beside the event's ``data`` as the
canonical JSON object of events-v1. ``recorded_us`` is an integer so that the
``--known-at`` filter is a plain comparison, whatever the timestamp's written form.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

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
    # Optimistic concurrency: two writers cannot both append version N to a stream.
    # Idempotency: an event id is stored at most once per organisation.
    # The looked-up key leads each index, so that a lookup by stream or id alone probes
    # it (see StoreWriter._lookup for why lookups leave the organisation out).
    UniqueConstraint("stream", "organisation", "version", name="orbit_events_stream_version"),
    UniqueConstraint("event_id", "organisation", name="orbit_events_event_id"),
    Index("orbit_events_organisation_position", "organisation", "position"),
)

schema_table = Table(
    "orbit_schema",
    metadata,
    Column("version", Integer, nullable=False),
)
