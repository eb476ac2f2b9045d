"""How the store writes rows (PostgreSQL: COPY; SQLite: executemany), on both databases:
every character and byte kept, a clash refused whole, positions as assigned."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import make_url

from orbit_adapters.store.engine import IN_LIST_LIMIT, insert_rows
from orbit_adapters.store.event_store import (
    ConcurrencyConflictError,
    EventStore,
    OrbitStoredEvent,
)
from orbit_adapters.store.rows import NewRow
from orbit_adapters.store.schema import participants_table

AWKWARD_TEXT = 'tab\there, newline\nthere, CR\r, backslash \\ and \\N, "quotes", ÆØÅ æøå, 🚀'
EVERY_BYTE = bytes(range(256))


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    opened = EventStore.open(make_url(store_url), "org-a")
    try:
        yield opened
    finally:
        opened.close()


def row(event_id: str, *, stream: str = "s-1", version: int = 1, **changes: object) -> NewRow:
    fields: dict[str, object] = {
        "stream": stream,
        "version": version,
        "event_id": event_id,
        "type": "ParticipantReferred",
        "date": "2024-01-02",
        "recorded_us": 1_704_189_600_000_001,
        "data": '{"programme":"AFT"}',
        "personal": None,
    }
    fields.update(changes)
    return NewRow(**fields)  # type: ignore[arg-type]


def test_every_character_of_the_text_and_every_byte_of_the_sealed_fields_is_kept(
    store: EventStore,
) -> None:
    rows = [
        row("e-1", data=AWKWARD_TEXT, personal=EVERY_BYTE),
        row("e-2", version=2, data="{}", personal=None),
        row("e-3", stream="#organisation", data="\\x00 is not a byte here", personal=b""),
    ]
    with store.writing() as writer:
        writer.append(rows)

    stored = [
        NewRow(
            stored.stream,
            stored.version,
            stored.event_id,
            stored.type,
            stored.date,
            stored.recorded_us,
            stored.data,
            stored.personal,
        )
        for stored in store.read_rows()
    ]

    assert stored == rows


def test_a_batch_with_an_event_id_already_stored_is_a_conflict_and_stores_none_of_it(
    store: EventStore,
) -> None:
    with store.writing() as writer:
        writer.append([row("e-1")])

    with pytest.raises(ConcurrencyConflictError) as conflict, store.writing() as writer:
        writer.append([row("e-2", stream="s-2"), row("e-1", stream="s-3")])

    assert str(conflict.value) == (
        "another writer appended to the same participant or event id at the same time; "
        "nothing was stored: run the import again"
    )
    assert [stored.event_id for stored in store.read_rows()] == ["e-1"]


def test_a_stream_version_taken_twice_in_one_batch_is_a_conflict(store: EventStore) -> None:
    with pytest.raises(ConcurrencyConflictError), store.writing() as writer:
        writer.append([row("e-1"), row("e-2")])

    assert store.count() == 0


def test_eventsourcing_inserts_return_the_positions_their_rows_were_given(
    store: EventStore,
) -> None:
    def stored_event(event_id: str, version: int) -> OrbitStoredEvent:
        return OrbitStoredEvent("s-1", version, "Waitlisted", b"{}", event_id, "2024-01-02", 0)

    first = store.insert_events([stored_event("e-1", 1), stored_event("e-2", 2)])
    second = store.insert_events([stored_event("e-3", 3)])

    notifications = store.select_notifications(start=None, limit=10)
    assert [*(first or []), *(second or [])] == [note.id for note in notifications]
    assert [note.event_id for note in notifications] == ["e-1", "e-2", "e-3"]  # type: ignore[attr-defined]


def test_a_lookup_of_more_values_than_one_in_list_holds_finds_every_stored_one(
    store: EventStore,
) -> None:
    stored_ids = [f"e-{n}" for n in range(IN_LIST_LIMIT * 2 + 1)]
    with store.writing() as writer:
        writer.append([row(event_id, stream=event_id) for event_id in stored_ids])

    with store.writing() as writer:
        found = writer.by_event_id([*stored_ids, "e-new", "e-other"])
        streams = writer.streams(["e-0", "e-1000", "s-new"])

    assert sorted(found) == sorted(stored_ids)
    assert all(found[event_id].stream == event_id for event_id in stored_ids)
    assert {stream: [r.event_id for r in rows] for stream, rows in streams.items()} == {
        "e-0": ["e-0"],
        "e-1000": ["e-1000"],
    }


def test_rows_of_other_tables_go_in_the_same_way(store: EventStore) -> None:
    columns = ("organisation", "lookup", "stream", "data_key", "participant")
    entries = [("org-a", "l-1", "p-1", EVERY_BYTE, b"\\N\t\n"), ("org-a", "l-2", "p-2", b"", b"x")]
    with store.writing() as writer:
        insert_rows(writer.connection, participants_table.name, columns, entries)
        stored = writer.connection.execute(
            participants_table.select().order_by(participants_table.c.lookup)
        ).all()

    assert [tuple(entry) for entry in stored] == entries


@pytest.mark.postgres
def test_a_refused_value_is_sqlalchemys_error_of_its_kind(postgres_url: str) -> None:
    store = EventStore.open(make_url(postgres_url), "org-a")
    try:
        with pytest.raises(sa_exc.DataError), store.writing() as writer:
            writer.append([row("e-1", type="T" * 41)])  # the type column holds 40
        assert store.count() == 0
    finally:
        store.close()


@pytest.mark.postgres
def test_statistics_are_refreshed_when_missing_or_a_tenth_older_than_the_table(
    postgres_url: str,
) -> None:
    store = EventStore.open(make_url(postgres_url), "org-a")

    def analyses() -> int:
        with store.reading() as reader:
            query = "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'orbit_events'"
            return int(reader.connection.exec_driver_sql(query).scalar_one())

    def append(first: int, count: int) -> None:
        with store.writing() as writer:
            writer.append([row(f"e-{n}", stream=f"s-{n}") for n in range(first, first + count)])

    try:
        append(0, 2000)
        store.refresh_statistics()
        after_the_first = analyses()
        store.refresh_statistics()  # nothing new
        append(2000, 20)  # far less than a tenth
        store.refresh_statistics()
        unchanged = analyses()
        append(2020, 400)
        store.refresh_statistics()

        assert (after_the_first, unchanged, analyses()) == (1, 1, 2)
    finally:
        store.close()
