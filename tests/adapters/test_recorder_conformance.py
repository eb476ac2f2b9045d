"""The event store passes eventsourcing's own ApplicationRecorder contract tests.

The library's test case runs unchanged, on SQLite and on PostgreSQL, with one choice of
its own made explicit: orbit's stream ids are text (a participant's random id, or
``#organisation``), so the contract runs with text originator ids, as the library's own
SQLite recorder does with ``ORIGINATOR_ID_TYPE=text``. Its ``optional`` subscription
test runs too, since the store subscribes by polling.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from uuid import uuid4

import pytest
from eventsourcing.persistence import DataError, StoredEvent
from eventsourcing.tests import persistence as contract

from orbit_adapters.store.engine import parse_store_url
from orbit_adapters.store.event_store import EventStore
from orbit_adapters.store.rows import from_microseconds

WAIT_SECONDS = 30  # an upper bound, not a pause


class _OrbitRecorderContract(contract.ApplicationRecorderTestCase[EventStore]):
    __test__ = False  # the database-specific subclasses below run it
    url = ""

    def setUp(self) -> None:
        self._opened: list[EventStore] = []

    def tearDown(self) -> None:
        for store in self._opened:
            store.close()

    def create_recorder(self) -> EventStore:
        store = EventStore.open(parse_store_url(self.url))
        store.poll_seconds = 0.01
        self._opened.append(store)
        return store

    def new_originator_id(self) -> str:
        return str(uuid4())

    def test_insert_subscribe(self) -> None:
        self.optional_test_insert_subscribe()


class TestOnSQLite(_OrbitRecorderContract):
    __test__ = True

    @pytest.fixture(autouse=True)
    def _store(self, sqlite_url: str) -> None:
        self.url = sqlite_url


@pytest.mark.postgres
class TestOnPostgreSQL(_OrbitRecorderContract):
    __test__ = True

    @pytest.fixture(autouse=True)
    def _store(self, postgres_url: str) -> None:
        self.url = postgres_url


def test_a_library_event_gets_an_envelope_of_its_own(sqlite_url: str) -> None:
    store = EventStore.open(parse_store_url(sqlite_url))
    try:
        store.insert_events([StoredEvent("s-1", 1, "Topic", b'{"a":1}')])
        (row,) = store.read_rows()
    finally:
        store.close()
    assert (row.stream, row.version, row.type, row.data) == ("s-1", 1, "Topic", '{"a":1}')
    assert row.event_id != ""
    recorded = from_microseconds(row.recorded_us)
    assert abs(recorded - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert row.date == recorded.date().isoformat()


@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        (StoredEvent("s-1", 1, "Topic", b"\xff\x00"), "state is not UTF-8 text"),
        (StoredEvent("s-1", 1, "T" * 41, b"{}"), "topic longer than 40 characters"),
    ],
)
def test_a_library_event_orbit_cannot_keep_is_refused_and_nothing_is_stored(
    store_url: str, stored: StoredEvent, problem: str
) -> None:
    store = EventStore.open(parse_store_url(store_url))
    try:
        good = StoredEvent("s-0", 1, "Topic", b"{}")
        with pytest.raises(DataError) as refused:
            store.insert_events([good, stored])
        assert str(refused.value) == f"stored event s-1 version 1: {problem}"
        assert store.count() == 0
    finally:
        store.close()


def test_a_subscription_sees_every_event_of_concurrent_writers_once_in_order(
    store_url: str,
) -> None:
    writers, batches, batch_size = 4, 20, 10
    total = writers * batches * batch_size
    store = EventStore.open(parse_store_url(store_url))
    store.poll_seconds = 0.005
    subscription = store.subscribe(gt=None)
    # Bounds the test if an event were missed: the subscription would wait for ever.
    guard = threading.Timer(WAIT_SECONDS, subscription.stop)

    def write(writer: int) -> None:
        for batch in range(batches):
            stream = f"w{writer}-b{batch}"
            store.insert_events(
                [StoredEvent(stream, version, "Topic", b"{}") for version in range(batch_size)]
            )

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(writers)]
    try:
        guard.start()
        with subscription:
            for thread in threads:
                thread.start()
            seen = [notification.id for notification in itertools.islice(subscription, total)]
        for thread in threads:
            thread.join()
        stored = [n.id for n in store.select_notifications(start=None, limit=total + 1)]
    finally:
        guard.cancel()
        store.close()

    assert seen == stored
    assert len(seen) == total
    assert seen == sorted(set(seen))
