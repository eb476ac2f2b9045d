"""An erasure holds: importing the same lines again cannot bring a forgotten person back.

Lines without ids used to be stored again after ``forget``: the personal data was back
and the statistics counted the person twice. Now every line of a forgotten key is
refused unless the import says, with a logged reason, to accept them as a new person;
and the store's own export, forgotten streams included, is re-imported as a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_adapters.store.schema import events_table, readmissions_table
from orbit_domain.period import Period
from privacy_journeys import journey

NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)


def without_ids(lines: list[str]) -> list[str]:
    return [json.dumps({k: v for k, v in json.loads(t).items() if k != "id"}) for t in lines]


def event_rows(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(select(events_table))]
    finally:
        engine.dispose()


def readmissions(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = select(readmissions_table.c.date, readmissions_table.c.reason)
            return [(row.date, row.reason) for row in connection.execute(query)]
    finally:
        engine.dispose()


def test_lines_without_ids_of_a_forgotten_person_are_refused_by_line(store_url: str) -> None:
    lines = [*without_ids(journey("A-1", "a")), *without_ids(journey("B-1", "b"))]
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines(lines)
        orbit.forget("A-1", reason="erasure request")
        report_before = orbit.report(Period.year(2024)).to_json_dict()
        rows_before = event_rows(store_url)

        with pytest.raises(ImportRejectedError) as rejected:
            orbit.import_lines(lines)

        assert event_rows(store_url) == rows_before
        assert orbit.report(Period.year(2024)).to_json_dict() == report_before
        exported = "\n".join(orbit.export_lines())

    problems = [str(problem) for problem in rejected.value.problems]
    forgotten = [problem for problem in problems if "was forgotten" in problem]
    assert [problem.split(":")[0] for problem in forgotten] == [f"line {n}" for n in range(1, 6)]
    assert problems[0] == (
        "line 1: ParticipantReferred for A-1: this participant was forgotten on 2025-06-01 "
        "(orbit forget); their events are imported again only with --allow-forgotten and a "
        "--reason, as a new person"
    )
    assert rejected.value.total == 5 + 5  # B-1's lines break the journey rules: not new
    assert '"participant":"A-1"' not in exported


def test_allow_forgotten_imports_them_as_a_new_unlinked_person_and_logs_why(
    store_url: str,
) -> None:
    lines = without_ids(journey("A-1", "a"))
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines(lines)
        orbit.forget("A-1")

        result = orbit.import_lines(lines, allow_forgotten="came back; consent renewed")
        streams = {json.loads(line)["participant"] for line in orbit.export_lines()}

    assert result.stored == 5
    assert len(streams) == 2  # the forgotten stream, and A-1's new one
    assert "A-1" in streams
    assert readmissions(store_url) == [("2025-06-01", "came back; consent renewed")]


def test_a_readmitted_person_is_an_ordinary_participant_afterwards(store_url: str) -> None:
    """Once accepted again, their next imports need no flag, and forgetting them again
    works as the first time."""
    first, second = journey("A-1", "a"), journey("A-1", "c")
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines(first)
        orbit.forget("A-1")
        orbit.import_lines(second[:2], allow_forgotten="came back")

        assert orbit.import_lines(second[2:]).stored == 3
        assert orbit.forget("A-1").events == 5
        with pytest.raises(ImportRejectedError):
            orbit.import_lines(without_ids(second[:1]))


def test_the_stores_own_export_is_reimported_into_it_as_a_no_op_after_forget(
    store_url: str,
) -> None:
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines([*journey("A-1", "a"), *journey("B-1", "b")])
        orbit.forget("A-1")
        exported = list(orbit.export_lines())
        rows_before = event_rows(store_url)

        result = orbit.import_lines(exported)

        assert (result.stored, result.already_stored) == (0, 10)
        assert event_rows(store_url) == rows_before
        assert list(orbit.export_lines()) == exported


def test_a_new_event_for_a_forgotten_stream_is_refused(store_url: str) -> None:
    """The export names the forgotten stream ``forgotten-<stream>``: that name may repeat
    its stored events, never add one."""
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines(journey("A-1", "a"))
        orbit.forget("A-1")
        first = json.loads(next(orbit.export_lines()))
        added = {**first, "type": "Waitlisted", "id": "new-1"}
        added.pop("data")
        changed = {**first, "data": {"programme": "VTA"}}
        rows_before = event_rows(store_url)

        with pytest.raises(ImportRejectedError) as rejected:
            orbit.import_lines([json.dumps(added), json.dumps(changed)])

        assert event_rows(store_url) == rows_before

    key = first["participant"]
    assert [str(problem) for problem in rejected.value.problems] == [
        f"line 1: Waitlisted for {key}: this stream's participant has been forgotten; "
        "no event is added to it",
        f"line 2: ParticipantReferred for {key}: this stream's participant has been "
        "forgotten; no event is added to it",
    ]


def test_forget_keeps_event_ids_as_they_were_as_docs_privacy_md_says(store_url: str) -> None:
    """Ids are outside the erasure's promise: they stay, so exports and fingerprints do."""
    with Orbit.open(store_url, clock=lambda: NOW) as orbit:
        orbit.import_lines(journey("A-1", "a-1-ids-made-from-the-key"))
        ids_before = [json.loads(line)["id"] for line in orbit.export_lines()]
        fingerprint_before = orbit.report(Period.year(2024)).fingerprint
        orbit.forget("A-1")

        assert [json.loads(line)["id"] for line in orbit.export_lines()] == ids_before
        assert orbit.report(Period.year(2024)).fingerprint == fingerprint_before


def test_the_docs_example_ids_carry_nothing_of_the_participant_key() -> None:
    """docs/privacy.md advises random ids, since ids survive forget: the format's own
    first example follows that advice."""
    events_md = (Path(__file__).parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
    first_file = events_md.split("## A first file", 1)[1].split("```", 2)[1]
    lines = [json.loads(text) for text in first_file.splitlines() if text.startswith("{")]

    participant_lines = [obj for obj in lines if "participant" in obj]
    assert len(participant_lines) == 9
    for obj in participant_lines:
        key = obj["participant"].lower().replace("-", "")
        assert key not in obj["id"].lower().replace("-", "")
