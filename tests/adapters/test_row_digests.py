"""Each row's stored digest (orbit-fingerprint/3): the SHA-256 of the canonical line that
docs/audit.md defines with a JSON encoder, whatever the ids and moments, and stored as such
by every path that writes a row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Collection
from pathlib import Path

import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from orbit_adapters import NewEvent
from orbit_adapters.read_model.fingerprint import FINGERPRINT_START, Fingerprint
from orbit_adapters.service import Orbit
from orbit_adapters.store.event_store import OrbitStoredEvent
from orbit_adapters.store.row_digest import new_row_digests, row_digest
from orbit_adapters.store.rows import ORGANISATION_STREAM, POSITION, NewRow, ReplayRow
from orbit_adapters.store.schema import events_table
from orbit_domain.events import ParticipantReferred, PlacementStarted, Waitlisted

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
T0 = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)
Row = tuple[str, str, str, str, int, str]  # stream, event id, type, date, recorded_us, data


def _recorded_at(microseconds: int) -> str:
    moment = EPOCH + dt.timedelta(microseconds=microseconds)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond:06d}Z" if moment.microsecond else "Z")


def digests_by_definition(rows: list[Row], first_of: dict[str, str] | None = None) -> list[bytes]:
    """docs/audit.md: each row's line, built with a JSON encoder, and its SHA-256
    (``first_of``: the first event ids of streams that began before ``rows``)."""
    first_of = dict(first_of or {})
    digests = []
    for stream, event_id, event_type, date, recorded_us, data in rows:
        line: dict[str, object] = {"type": event_type}
        if stream != ORGANISATION_STREAM:
            line["stream"] = first_of.setdefault(stream, event_id)
        line["date"] = date
        if data != "{}":
            line["data"] = json.loads(data)
        line["recorded_at"] = _recorded_at(recorded_us)
        line["id"] = event_id
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        digests.append(hashlib.sha256(text.encode()).digest())
    return digests


ODD_IDS = ['quote"d', "back\\slash", "blå", "tab\there", "line\u2028separator"]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_a_digest_is_of_the_line_the_definition_builds(odd: str) -> None:
    rows: list[Row] = [
        ("s-1", "a-1", "ParticipantReferred", "2024-01-02", 1_704_153_600_000_000, "{}"),
        ("s-1", odd, "Waitlisted", "2024-01-03", 1_704_240_000_000_001, "{}"),
        (ORGANISATION_STREAM, "o-1", "SeatsAllocated", "2024-01-01", 59_999_999,
         '{"programme":"AFT","seats":12}'),
        ("s-2", odd + "-first", "ParticipantReferred", "2024-02-01", 86_399_000_000, "{}"),
        ("s-2", "plain", "Waitlisted", "2024-02-02", 1_706_832_000_500_000, "{}"),
    ]  # fmt: skip
    references = {"s-1": "a-1", "s-2": odd + "-first"}

    digests = [
        row_digest(references.get(stream), event_id, event_type, date, recorded_us, data)
        for stream, event_id, event_type, date, recorded_us, data in rows
    ]

    assert digests == digests_by_definition(rows)


@pytest.mark.parametrize("odd", [*ODD_IDS, "plain"])
def test_a_batch_to_append_gets_the_digests_of_the_definition(odd: str) -> None:
    new_rows = [
        NewRow("s-1", 1, "a-1", "ParticipantReferred", "2024-01-02", 1_704_153_600_000_000,
               '{"programme":"AFT"}', b"sealed"),
        NewRow(ORGANISATION_STREAM, 1, "o-1", "SeatsAllocated", "2024-01-01", 0,
               '{"programme":"AFT","seats":12}', None),
        NewRow("s-2", 4, odd, "Waitlisted", "2024-01-03", 1_704_240_000_000_001, "{}", None),
        NewRow("s-1", 2, "a-2", "Waitlisted", "2024-01-03", -1, "{}", None),
    ]  # fmt: skip
    asked: list[list[str]] = []

    def stored_first_event_ids(streams: Collection[str]) -> dict[str, str]:
        asked.append(sorted(streams))
        return {"s-2": "first-of-s-2"}

    digests = new_row_digests(new_rows, stored_first_event_ids)

    rows: list[Row] = [(row[0], *row[2:7]) for row in new_rows]
    assert digests == digests_by_definition(rows, {"s-2": "first-of-s-2"})
    assert asked == [["s-2"]]  # only the stream the batch continues


@pytest.mark.parametrize("microseconds", [-1, -86_400_000_001, 253_402_300_799_999_999])
def test_moments_outside_1970_to_9999_are_written_as_the_definition_writes_them(
    microseconds: int,
) -> None:
    row: Row = ("s", "e", "ParticipantReferred", "1969-12-31", microseconds, "{}")

    assert [row_digest("e", *row[1:])] == digests_by_definition([row])


def test_the_chain_is_of_the_stored_digests_and_a_recomputed_pass_gives_the_same() -> None:
    rows: list[Row] = [
        ("s-1", "a-1", "ParticipantReferred", "2024-01-02", 1_704_153_600_000_000, "{}"),
        (ORGANISATION_STREAM, "o-1", "SeatsAllocated", "2024-01-01", 0, '{"seats":1}'),
        ("s-1", "a-2", "Waitlisted", "2024-01-03", 1_704_240_000_000_001, "{}"),
    ]
    digests = digests_by_definition(rows)
    replayed: list[ReplayRow] = [
        (position, stream, event_id, event_type, date, digest, data)
        for position, ((stream, event_id, event_type, date, _, data), digest) in enumerate(
            zip(rows, digests, strict=True), start=1
        )
    ]
    chain = FINGERPRINT_START
    for digest in digests:
        chain = hashlib.sha256(chain + digest).digest()

    stored, recomputed = Fingerprint(), Fingerprint()
    stored.add_rows(replayed[:1])
    stored.add_rows(replayed[1:])

    class Stored:
        def __init__(self, row: Row) -> None:
            self.stream, self.event_id, self.type, self.date, self.recorded_us, self.data = row

    for row in rows:
        recomputed.add(Stored(row))  # type: ignore[arg-type]
    assert hashlib.sha256(b"orbit-fingerprint/3").digest() == FINGERPRINT_START
    assert stored.hexdigest() == recomputed.hexdigest() == chain.hex()
    assert stored.events == recomputed.events == 3


def stored_rows(orbit: Orbit) -> tuple[list[Row], list[bytes]]:
    table = events_table
    query = (
        select(
            table.c.stream,
            table.c.event_id,
            table.c.type,
            table.c.date,
            table.c.recorded_us,
            table.c.data,
            table.c.digest,
        )
        .where(table.c.organisation == orbit._store.organisation)
        .order_by(table.c.position)
    )
    with orbit._store.reading() as reader:
        found = reader.connection.execute(query).all()
    return [tuple(row[:6]) for row in found], [bytes(row[6]) for row in found]


def referral(participant: str, event_id: str, day: int) -> str:
    return json.dumps(
        {
            "type": "ParticipantReferred",
            "participant": participant,
            "date": f"2024-01-{day:02d}",
            "data": {"programme": "AFT", "birth_year": 1990},
            "recorded_at": f"2024-01-{day:02d}T10:00:00Z",
            "id": event_id,
        }
    )


def test_every_write_path_stores_the_digest_of_the_rows_line(orbit: Orbit) -> None:
    # import: new streams, then streams continued by a later import
    orbit.import_lines([referral("A-1", "e-1", 1), referral("B-1", "e-2", 2)])
    orbit.import_lines(
        [
            '{"type":"Waitlisted","participant":"A-1","date":"2024-01-05",'
            '"recorded_at":"2024-01-05T10:00:00.250000Z","id":"e-3"}',
            '{"type":"SeatsAllocated","date":"2024-01-01","data":{"programme":"AFT","seats":4},'
            '"recorded_at":"2024-01-01T08:00:00Z","id":"e-4"}',
        ]
    )
    # Orbit.append: a new stream and its next event in one batch, and a continued one
    orbit.append(
        [
            NewEvent(ParticipantReferred(dt.date(2024, 1, 6), "VTA"), "C-1", "e-5", T0),
            NewEvent(Waitlisted(dt.date(2024, 1, 7)), "C-1", "e-6", T0),
            NewEvent(PlacementStarted(dt.date(2024, 2, 1)), "B-1", "e-7", T0),
        ]
    )
    # the eventsourcing recorder: orbit's own stored event continuing a stream, and the
    # library's own (no envelope) on a stream of its own
    recorder = orbit._store
    stream_of_a1 = next(row[0] for row in stored_rows(orbit)[0] if row[1] == "e-1")
    recorder.insert_events(
        [
            OrbitStoredEvent(stream_of_a1, 3, "PlacementStarted", b"{}", "e-8", "2024-02-02", 7),
            StoredEvent(str(uuid.uuid4()), 1, "LibraryTopic", b'{"x":1}'),
        ]
    )
    rows, digests = stored_rows(orbit)
    assert len(rows) == 9
    assert digests == digests_by_definition(rows)

    orbit.forget("A-1", reason="test")  # erasure keeps the rows' digests

    assert stored_rows(orbit) == (rows, digests)


def test_an_import_of_many_batches_stores_the_digests_of_the_definition(
    orbit: Orbit, sample_path: Path
) -> None:
    """Streams run through the import's batches: a later batch continues streams an
    earlier one began, in the same transaction."""
    orbit.import_file(sample_path)

    rows, digests = stored_rows(orbit)

    assert len(rows) > 2 * 2000  # more than two of the import's batches
    assert digests == digests_by_definition(rows)


def test_a_replay_chains_only_the_rows_past_the_checkpoint_dated_up_to_until() -> None:
    dates = ["2024-01-02", "2024-03-01", "2024-01-31", "2024-02-01", "2024-01-05"]
    replayed: list[ReplayRow] = [
        (position, "s-1", f"e-{position}", "Waitlisted", date, bytes([position]) * 32, "{}")
        for position, date in enumerate(dates, start=1)
    ]
    for after, applied in [(0, [1, 3, 5]), (1, [3, 5]), (3, [5])]:
        expected, chained = Fingerprint(), Fingerprint()
        expected.add_rows(row for row in replayed if row[POSITION] in applied)
        chained.add_replayed(replayed, "2024-01-31", after)

        assert (chained.events, chained.chain) == (len(applied), expected.chain)
