"""The store contract, the same on SQLite and PostgreSQL: append, idempotency, atomicity, order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from eventsourcing.application import LocalNotificationLog
from eventsourcing.persistence import IntegrityError
from eventsourcing.system import NotificationLogReader

from orbit_adapters import NewEvent
from orbit_adapters.events_v1 import decode_line
from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.event_store import OrbitStoredEvent
from orbit_domain.events import ParticipantReferred, PlacementStarted, Waitlisted

T0 = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)


def referral(participant: str, day: int = 1, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "type": "ParticipantReferred",
            "participant": participant,
            "date": f"2024-01-{day:02d}",
            "data": {"programme": "AFT"},
            "recorded_at": f"2024-01-{day:02d}T10:00:00Z",
            **({"id": event_id} if event_id else {}),
        }
    )


def test_an_import_stores_every_event_and_export_gives_them_back_in_order(
    orbit: Orbit, sample_path: Path
) -> None:
    result = orbit.import_file(sample_path)

    original = [json.loads(line) for line in sample_path.read_text().splitlines() if line]
    assert result.stored == len(original)
    assert [json.loads(line) for line in orbit.export_lines()] == original


def test_importing_the_same_file_again_stores_nothing_new(orbit: Orbit, sample_path: Path) -> None:
    orbit.import_file(sample_path)
    before = list(orbit.export_lines())

    again = orbit.import_file(sample_path)

    assert (again.stored, again.already_stored) == (0, len(before))
    assert list(orbit.export_lines()) == before


def test_export_then_import_into_an_empty_store_then_export_is_the_identity(
    orbit: Orbit, sample_path: Path, tmp_path: Path
) -> None:
    orbit.import_file(sample_path)
    first = list(orbit.export_lines())

    with Orbit.open(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
        copy.import_lines(line + "\n" for line in first)
        assert list(copy.export_lines()) == first


def test_a_rejected_import_stores_nothing_even_its_valid_lines(orbit: Orbit) -> None:
    lines = [referral("A-1"), referral("A-2"), '{"type": "Waitlisted"}', referral("A-3")]

    with pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines(lines)

    assert [problem.line for problem in rejected.value.problems] == [3]
    assert orbit._store.count() == 0


def test_an_id_already_stored_with_other_content_is_refused(orbit: Orbit) -> None:
    orbit.import_lines([referral("A-1", event_id="e-1")])

    with pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines([referral("A-2", event_id="e-1")])

    assert str(rejected.value.problems[0]) == (
        "line 1: ParticipantReferred for A-2: id e-1 is already stored with other content"
    )
    assert orbit._store.count() == 1


def test_an_id_repeated_within_a_file_with_the_same_content_is_stored_once(orbit: Orbit) -> None:
    result = orbit.import_lines([referral("A-1", event_id="e-1"), referral("A-1", event_id="e-1")])

    assert (result.stored, result.already_stored) == (1, 1)


def test_a_line_without_recorded_at_is_stamped_with_the_import_time_and_reimports_cleanly(
    store_url: str,
) -> None:
    line = '{"type":"ParticipantReferred","participant":"A-1","date":"2024-01-01","id":"e-1",'
    line += '"data":{"programme":"AFT"}}'
    with Orbit.open(store_url, clock=lambda: T0) as orbit:
        orbit.import_lines([line])
        again = orbit.import_lines([line])

        assert again.already_stored == 1
        with orbit.events() as records:
            assert [record.recorded_at for record in records] == [T0]


def test_streams_keep_their_order_and_the_global_order_follows_appends(orbit: Orbit) -> None:
    orbit.append(
        [
            NewEvent(ParticipantReferred(dt.date(2024, 1, 1), "AFT"), "A-1", "e-1", T0),
            NewEvent(ParticipantReferred(dt.date(2024, 1, 1), "VTA"), "B-1", "e-2", T0),
            NewEvent(Waitlisted(dt.date(2024, 1, 2)), "A-1", "e-3", T0),
        ]
    )
    orbit.append([NewEvent(PlacementStarted(dt.date(2024, 2, 1)), "A-1", "e-4", T0)])

    with orbit.events() as records:
        stored = list(records)
    assert [event.event_id for event in stored] == ["e-1", "e-2", "e-3", "e-4"]
    assert [event.position for event in stored] == sorted(event.position for event in stored)
    stream_of_a1 = orbit._store.select_notifications(1, 1)[0].originator_id
    versions = [stored.originator_version for stored in orbit._store.select_events(stream_of_a1)]
    assert versions == [1, 2, 3]


def test_replay_reads_only_events_dated_until_and_known_at(orbit: Orbit, sample_path: Path) -> None:
    orbit.import_file(sample_path)
    until = dt.date(2023, 6, 30)
    known_at = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)

    with orbit.events(until=until, known_at=known_at) as records:
        replayed = list(records)

    expected = [
        wire
        for wire in map(decode_line, sample_path.read_text().splitlines())
        if wire.event.date <= until
        and wire.recorded_at is not None
        and wire.recorded_at <= known_at
    ]
    assert [event.event_id for event in replayed] == [wire.event_id for wire in expected]


def test_the_store_honours_the_eventsourcing_recorder_contract(orbit: Orbit) -> None:
    orbit.import_lines([referral("A-1", event_id="e-1"), referral("B-1", event_id="e-2")])
    recorder = orbit._store

    notifications = list(NotificationLogReader(LocalNotificationLog(recorder)).read(start=1))
    assert [n.topic for n in notifications] == ["ParticipantReferred"] * 2
    assert len({n.originator_id for n in notifications}) == 2  # two random stream ids
    assert "A-1" not in {n.originator_id for n in notifications}  # never the key itself
    assert recorder.max_notification_id() == notifications[-1].id

    stream = notifications[0].originator_id
    clash = OrbitStoredEvent(stream, 1, "Waitlisted", b"{}", "e-3", "2024-01-02", 0)
    with pytest.raises(IntegrityError):
        recorder.insert_events([clash])
    assert recorder.count() == 2


def test_an_unreachable_server_is_one_line_naming_host_and_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as unreachable:
        Orbit.open("postgresql+psycopg://orbit@127.0.0.1:9/regional", key_file=tmp_path / "k")

    message = str(unreachable.value)
    assert message.startswith("cannot reach postgresql database 'regional' on 127.0.0.1:9: ")
    assert "\n" not in message
