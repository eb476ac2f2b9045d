"""The import's own helpers, against the definitions they stand in for."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from orbit_adapters import importing
from orbit_adapters.envelopes import NewEvent
from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_domain.events import ParticipantReferred, SeatsAllocated


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"programme": "VTA", "gender": "female", "birth_year": 1964},
        {"municipality": "Bærum", "referred_by": 'NAV "Vest"\\\n\t\u2028'},
        {"score": 4, "scale_max": 6.0},
        {"score": 0.1 + 0.2, "seats": 1e300, "small": 5e-324, "big": 10**30},
        {"licence": True, "other": False},
        {"note": "\ud83d\ude00 and a lone \udc00"},
    ],
)
def test_the_import_encodes_data_exactly_as_compact_json_dumps(value: dict[str, Any]) -> None:
    assert importing._compact_json(value) == json.dumps(
        value, ensure_ascii=False, separators=(",", ":")
    )


def test_the_id_filter_never_forgets_an_id_it_was_given() -> None:
    ids = [f"id-{number}" for number in range(20_000)]
    stored_here = importing._IdFilter()
    stored_here.update(ids)

    assert stored_here.maybe_among(ids) == set(ids)
    # About 12 of 20,000 other ids are expected to answer "maybe" (one bit per id in 2**25),
    # whatever the hash seed; 40 or more would happen about once in 10**10 runs.
    assert len(stored_here.maybe_among(f"other-{number}" for number in range(20_000))) < 40


def _waitlisting(participant: str, day: int, event_id: str) -> str:
    return json.dumps(
        {
            "type": "Waitlisted" if day > 1 else "ParticipantReferred",
            "participant": participant,
            "date": f"2024-01-{day:02d}",
            **({} if day > 1 else {"data": {"programme": "AFT"}}),
            "recorded_at": f"2024-01-{day:02d}T10:00:00Z",
            "id": event_id,
        }
    )


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_BATCH_SIZE", 2)


@pytest.mark.usefixtures("small_batches")
def test_an_id_from_an_earlier_batch_of_a_new_organisation_is_the_same_event_again(
    orbit: Orbit,
) -> None:
    first_batch = [_waitlisting("A-1", 1, "e-1"), _waitlisting("A-1", 2, "e-2")]
    lines = [*first_batch, _waitlisting("B-1", 1, "e-3"), *reversed(first_batch)]

    result = orbit.import_lines(lines)

    assert (result.stored, result.already_stored) == (3, 2)


@pytest.mark.usefixtures("small_batches")
def test_an_id_from_an_earlier_batch_of_a_new_organisation_with_other_content_is_refused(
    orbit: Orbit,
) -> None:
    lines = [_waitlisting("A-1", 1, "e-1"), _waitlisting("B-1", 1, "e-2")]
    lines += [_waitlisting("C-1", 1, "e-3"), _waitlisting("C-1", 2, "e-1")]

    with pytest.raises(ImportRejectedError) as rejected:
        orbit.import_lines(lines)

    assert [str(problem) for problem in rejected.value.problems] == [
        "line 4: Waitlisted for C-1: id e-1 is already stored with other content"
    ]
    assert orbit._store.count() == 0


_REFERRAL = ParticipantReferred(dt.date(2024, 1, 1), programme="AFT")
_SEATS = SeatsAllocated(dt.date(2024, 1, 1), programme="AFT", seats=5)
_RECORDED = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("new_event", "problem"),
    [
        (
            NewEvent(_REFERRAL, participant=None, recorded_at=_RECORDED),
            "ParticipantReferred: missing field 'participant'",
        ),
        (
            NewEvent(_REFERRAL, participant="", recorded_at=_RECORDED),
            "ParticipantReferred: field 'participant' must be 1-64 characters of "
            "A-Z a-z 0-9 . _ : -",
        ),
        (
            NewEvent(_REFERRAL, participant="15038550060", recorded_at=_RECORDED),
            "ParticipantReferred: field 'participant' is a national identity number "
            "(fødselsnummer or D-number); orbit stores pseudonymous keys only",
        ),
        (
            NewEvent(_SEATS, participant="A-1", recorded_at=_RECORDED),
            "SeatsAllocated: field 'participant' is only for participant events",
        ),
        (
            NewEvent(_REFERRAL, participant="A-1", event_id="an id", recorded_at=_RECORDED),
            "ParticipantReferred for A-1: field 'id' must be 1-128 printable ASCII "
            "characters without spaces",
        ),
        (
            NewEvent(_REFERRAL, participant="A-1", recorded_at=dt.datetime(2024, 1, 2)),
            "ParticipantReferred for A-1: field 'recorded_at' must be timezone-aware",
        ),
    ],
)
def test_appended_events_meet_the_envelope_rules_of_a_line(
    orbit: Orbit, new_event: NewEvent, problem: str
) -> None:
    """``Orbit.append`` refuses what the codec would refuse in a file, by the same message,
    and stores nothing of the call."""
    good = NewEvent(_REFERRAL, participant="B-1", recorded_at=_RECORDED)

    with pytest.raises(ImportRejectedError) as rejected:
        orbit.append([good, new_event])

    assert [str(problem) for problem in rejected.value.problems] == [f"line 2: {problem}"]
    assert orbit._store.count() == 0
