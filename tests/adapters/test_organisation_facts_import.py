"""Importing organisation facts and retractions: every rule, by line number, in any store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_cli.main import cli

SECRET_TOPIC = "Kari Nordmann's case, Storgata 1"
"""Free text a user might type into ``topic``: no message may echo it."""


def fact(type_name: str, date: str, event_id: str, at: str, **data: Any) -> str:
    return json.dumps(
        {
            "type": type_name,
            "date": date,
            **({"data": data} if data else {}),
            "recorded_at": f"{at}T12:00:00Z",
            "id": event_id,
        },
        ensure_ascii=False,
    )


def complaint(event_id: str = "c-1", date: str = "2024-02-05", at: str = "2024-02-06") -> str:
    return fact("ComplaintReceived", date, event_id, at, programme="VTA")


def training(
    event_id: str = "t-1", date: str = "2024-03-01", at: str = "2024-03-02", **data: Any
) -> str:
    return fact("StaffTrainingRecorded", date, event_id, at, **({"days": 2} | data))


def closure(event_id: str = "s-1", date: str = "2024-07-01", at: str = "2024-07-02") -> str:
    return fact("ProviderClosed", date, event_id, at, until="2024-07-21")


def retraction(retracts: str, date: str, event_id: str = "r-1", at: str = "2024-09-01") -> str:
    return fact("FactRetracted", date, event_id, at, retracts=retracts)


def problems(orbit: Orbit, lines: list[str]) -> list[str]:
    with pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines(lines)
    return [str(problem) for problem in rejected.value.problems]


RETRACTS = "FactRetracted for the organisation: retracts"


def test_each_kind_of_fact_can_be_retracted_by_id_at_its_own_date(orbit: Orbit) -> None:
    lines = [
        complaint(),
        training(),
        closure(),
        retraction("c-1", "2024-02-05", "r-1"),
        retraction("t-1", "2024-03-01", "r-2"),
        retraction("s-1", "2024-07-01", "r-3"),
    ]

    assert orbit.import_lines(lines).stored == 6


def test_retracting_an_unknown_id_is_refused_with_the_line_number(orbit: Orbit) -> None:
    assert problems(orbit, [complaint(), retraction("c-2", "2024-02-05")]) == [
        f"line 2: {RETRACTS} c-2, but no earlier organisation event has that id"
    ]
    assert orbit._store.count() == 0


def test_a_fact_later_in_the_file_cannot_be_retracted_before_it(orbit: Orbit) -> None:
    assert problems(orbit, [retraction("c-1", "2024-02-05", at="2024-02-01"), complaint()]) == [
        f"line 1: {RETRACTS} c-1, but no earlier organisation event has that id"
    ]


def test_retracting_the_id_of_a_participant_event_is_refused(orbit: Orbit) -> None:
    referral = json.dumps(
        {
            "type": "ParticipantReferred",
            "participant": "P-1",
            "date": "2024-01-02",
            "data": {"programme": "AFT"},
            "recorded_at": "2024-01-02T12:00:00Z",
            "id": "p-1",
        }
    )

    assert problems(orbit, [referral, retraction("p-1", "2024-01-02")]) == [
        f"line 2: {RETRACTS} p-1, but no earlier organisation event has that id"
    ]


def test_retracting_an_allocation_or_a_retraction_is_refused(orbit: Orbit) -> None:
    allocation = fact("SeatsAllocated", "2024-01-01", "a-1", "2024-01-01", programme="VTA", seats=5)
    lines = [
        allocation,
        complaint(),
        retraction("a-1", "2024-01-01", "r-1"),
        retraction("c-1", "2024-02-05", "r-2"),
        retraction("r-2", "2024-02-05", "r-3", at="2024-09-02"),
    ]

    assert problems(orbit, lines) == [
        f"line 3: {RETRACTS} a-1, a SeatsAllocated; only ComplaintReceived, "
        "StaffTrainingRecorded or ProviderClosed can be retracted",
        f"line 5: {RETRACTS} r-2, a FactRetracted; only ComplaintReceived, "
        "StaffTrainingRecorded or ProviderClosed can be retracted",
    ]


def test_a_fact_can_be_retracted_only_once(orbit: Orbit) -> None:
    lines = [
        complaint(),
        retraction("c-1", "2024-02-05", "r-1"),
        retraction("c-1", "2024-02-05", "r-2", at="2024-09-02"),
    ]

    assert problems(orbit, lines) == [f"line 3: {RETRACTS} c-1, which is already retracted"]


def test_a_fact_retracted_in_an_earlier_import_cannot_be_retracted_again(orbit: Orbit) -> None:
    orbit.import_lines([complaint(), retraction("c-1", "2024-02-05", "r-1")])

    assert problems(orbit, [retraction("c-1", "2024-02-05", "r-2", at="2024-09-02")]) == [
        f"line 1: {RETRACTS} c-1, which is already retracted"
    ]


def test_a_fact_stored_by_an_earlier_import_can_be_retracted_later(orbit: Orbit) -> None:
    orbit.import_lines([training()])

    assert orbit.import_lines([retraction("t-1", "2024-03-01")]).stored == 1


def test_a_retraction_must_carry_the_date_of_its_fact(orbit: Orbit) -> None:
    assert problems(orbit, [closure(), retraction("s-1", "2024-07-02")]) == [
        "line 2: FactRetracted for the organisation: date 2024-07-02 is not the date of the "
        "fact it retracts (2024-07-01); a retraction is dated at its fact"
    ]


def test_organisation_facts_keep_recorded_at_in_order_like_every_organisation_event(
    orbit: Orbit,
) -> None:
    lines = [complaint(at="2024-03-01"), training(at="2024-02-01", topic=SECRET_TOPIC)]

    (message,) = problems(orbit, lines)

    assert message.startswith(
        "line 2: StaffTrainingRecorded for the organisation: recorded_at 2024-02-01T12:00:00+00:00"
    )
    assert "Kari" not in message


def test_the_same_file_imported_again_stores_nothing(orbit: Orbit) -> None:
    lines = [complaint(), training(topic=SECRET_TOPIC), retraction("c-1", "2024-02-05")]
    orbit.import_lines(lines)

    again = orbit.import_lines(lines)

    assert (again.stored, again.already_stored) == (0, 3)


def test_an_id_of_a_fact_reused_for_other_content_is_refused(orbit: Orbit) -> None:
    orbit.import_lines([training()])

    assert problems(orbit, [training(days=3)]) == [
        "line 1: StaffTrainingRecorded: id t-1 is already stored with other content"
    ]


def test_organisation_facts_are_stored_without_a_sealed_personal_part(orbit: Orbit) -> None:
    orbit.import_lines([complaint(), training(topic=SECRET_TOPIC), closure()])

    with orbit._store.reading() as reader:
        rows = list(reader.rows())

    assert [row.personal for row in rows] == [None, None, None]
    with orbit.events() as records:
        types = [record.event.TYPE for record in records]
    assert types == [
        "ComplaintReceived",
        "StaffTrainingRecorded",
        "ProviderClosed",
    ]


def test_the_command_line_names_a_bad_retraction_and_exits_non_zero_without_a_traceback(
    sqlite_url: str, tmp_path: Path
) -> None:
    source = tmp_path / "facts.jsonl"
    lines = [training(topic=SECRET_TOPIC), retraction("t-1", "2024-03-02")]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = CliRunner().invoke(cli, ["--store", sqlite_url, "import", str(source)])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [
        "line 2: FactRetracted for the organisation: date 2024-03-02 is not the date of the "
        "fact it retracts (2024-03-01); a retraction is dated at its fact",
        f"Error: {source}: 1 bad line; nothing was stored",
    ]
