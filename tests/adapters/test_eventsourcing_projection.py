"""The library's own ProjectionRunner over orbit's events, on SQLite and PostgreSQL stores.

The view is the library's SQLite tracking recorder with one table more: each event it
sees is written with its tracking record in one transaction, under a primary key on
the position, so a second delivery of any event would fail the runner. Events stored
before the runner starts, while it runs, and while it is stopped all arrive once, in
store order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection, ProjectionRunner
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from orbit_adapters.eventsourcing import (
    OrbitApplication,
    OrbitDomainEvent,
    ReadOnlyApplicationError,
)
from orbit_adapters.service import Orbit
from orbit_adapters.store.presence import NoStoreError
from orbit_domain.events import Event
from orbit_domain.history import Recorded
from orbit_domain.privacy import personal_fields

WAIT_SECONDS = 20  # an upper bound, not a pause: waits end as soon as the view catches up


class EventLog(SQLiteTrackingRecorder):
    """A materialised view: every event seen, by position."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.create_table_statements.append(
            "CREATE TABLE IF NOT EXISTS seen "
            "(position INTEGER PRIMARY KEY, event_id TEXT, type TEXT, stream TEXT)"
        )

    def record(self, event: OrbitDomainEvent, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "INSERT INTO seen VALUES (?, ?, ?, ?)",
                (
                    tracking.notification_id,
                    event.event_id,
                    type(event.event).__name__,
                    event.originator_id,
                ),
            )
            self._insert_tracking(cursor, tracking)

    def seen(self) -> list[tuple[int, str]]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT position, event_id FROM seen ORDER BY rowid")
            return [(row[0], row[1]) for row in cursor.fetchall()]


class EventLogProjection(Projection[EventLog]):
    name = "event_log"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.record(domain_event, tracking)


@pytest.fixture
def orbit(store_url: str) -> Iterator[Orbit]:
    with Orbit.open(store_url) as opened:
        yield opened


def _referrals(first: int, count: int) -> list[str]:
    return [
        json.dumps(
            {
                "type": "ParticipantReferred",
                "participant": f"P-{number}",
                "date": "2024-01-02",
                "data": {"programme": "AFT", "birth_year": 1990},
                "recorded_at": "2024-01-02T10:00:00Z",
                "id": f"r-{number}",
            }
        )
        for number in range(first, first + count)
    ]


def _stored(orbit: Orbit) -> list[tuple[int, str]]:
    with orbit.events() as records:
        return [(record.position, record.event_id) for record in records]


def _runner(env: dict[str, str]) -> ProjectionRunner[OrbitApplication, EventLog]:
    return ProjectionRunner(
        application_class=OrbitApplication,
        projection_class=EventLogProjection,
        view_class=EventLog,
        env=env,
    )


def test_events_stored_before_during_and_between_runs_reach_the_view_once_in_order(
    orbit: Orbit, store_url: str, tmp_path: Path
) -> None:
    env = {
        "ORBIT_STORE": store_url,
        "EVENT_LOG_PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "EVENT_LOG_SQLITE_DBNAME": str(tmp_path / "view.db"),
    }
    orbit.import_lines(_referrals(1, 30))

    with _runner(env) as runner:
        for first in range(31, 91, 15):  # while the runner reads, in four imports
            orbit.import_lines(_referrals(first, 15))
        runner.wait(orbit._store.max_notification_id(), timeout=WAIT_SECONDS)
        assert runner.view.seen() == _stored(orbit)

    orbit.import_lines(_referrals(91, 10))  # while no runner runs

    with _runner(env) as restarted:
        orbit.import_lines(_referrals(101, 10))
        restarted.wait(orbit._store.max_notification_id(), timeout=WAIT_SECONDS)
        seen = restarted.view.seen()

    assert seen == _stored(orbit)
    assert len(seen) == 110


def test_the_mapper_gives_the_statistical_skeleton_and_never_a_participant_key(
    orbit: Orbit, store_url: str
) -> None:
    orbit.import_lines([*_referrals(1, 2), _seats_allocated()])
    app = OrbitApplication({"ORBIT_STORE": store_url})
    try:
        notifications = app.recorder.select_notifications(start=None, limit=10)
        mapped = [app.mapper.to_domain_event(notification) for notification in notifications]
    finally:
        app.close()

    with orbit.events() as records:
        stored = list(records)
    assert [event.event_id for event in mapped] == [event.event_id for event in stored]
    assert [event.event for event in mapped] == [_skeleton(event.event) for event in stored]
    assert mapped[0].event != stored[0].event  # the birth year stayed sealed
    assert [event.participant is None for event in mapped] == [False, False, True]
    assert {event.participant for event in mapped} & {"P-1", "P-2"} == set()
    assert [event.recorded() for event in mapped][2] == Recorded(
        None, stored[2].recorded_at, stored[2].event, stored[2].event_id
    )


def test_the_application_never_writes(orbit: Orbit, store_url: str) -> None:
    orbit.import_lines(_referrals(1, 1))
    app = OrbitApplication({"ORBIT_STORE": store_url})
    try:
        (notification,) = app.recorder.select_notifications(start=None, limit=10)
        with pytest.raises(ReadOnlyApplicationError, match=r"^OrbitApplication only reads"):
            app.save(app.mapper.to_domain_event(notification))
        with pytest.raises(ReadOnlyApplicationError):
            app.mapper.to_stored_event(app.mapper.to_domain_event(notification))
    finally:
        app.close()
    assert orbit._store.count() == 1


def test_the_application_reads_the_organisation_named_in_its_environment(
    store_url: str,
) -> None:
    with Orbit.open(store_url, organisation="north") as north:
        north.import_lines(_referrals(1, 2))
    with Orbit.open(store_url) as default:
        default.import_lines(_referrals(3, 1))

    for organisation, expected in [("north", ["r-1", "r-2"]), ("default", ["r-3"])]:
        app = OrbitApplication({"ORBIT_STORE": store_url, "ORBIT_ORGANISATION": organisation})
        try:
            notifications = app.recorder.select_notifications(start=None, limit=10)
            assert [app.mapper.to_domain_event(n).event_id for n in notifications] == expected
        finally:
            app.close()


def test_an_application_on_a_missing_store_is_refused_and_creates_nothing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing.db"

    with pytest.raises(NoStoreError):
        OrbitApplication({"ORBIT_STORE": f"sqlite:///{missing}"})

    assert not missing.exists()


def _skeleton(event: Event) -> Event:
    """The event with its personal fields at their defaults."""
    cleared: dict[str, Any] = dict.fromkeys(personal_fields(type(event)))
    return attrs.evolve(event, **cleared)


def _seats_allocated() -> str:
    return json.dumps(
        {
            "type": "SeatsAllocated",
            "date": "2024-01-01",
            "data": {"programme": "AFT", "seats": 10},
            "recorded_at": "2024-01-01T10:00:00Z",
            "id": "seats-1",
        }
    )
