"""events-v1 revision 2 on the wire: the organisation facts and retractions, strictly."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from orbit_adapters.events_v1 import LineError, decode_line, encode_line
from orbit_domain.events import (
    MAX_STAFF_TRAINING_DAYS,
    ComplaintReceived,
    Event,
    FactRetracted,
    ProviderClosed,
    StaffTrainingRecorded,
)

SECRET_TOPIC = "Kari Nordmann, Storgata 1"
AT = dt.datetime(2024, 7, 5, 15, tzinfo=dt.UTC)


def line(type_name: str, **data: Any) -> str:
    return json.dumps({"type": type_name, "date": "2024-07-04", "data": data})


def refusal(text: str) -> str:
    with pytest.raises(LineError) as error:
        decode_line(text)
    return str(error.value)


@pytest.mark.parametrize(
    "event",
    [
        ComplaintReceived(dt.date(2024, 7, 4)),
        ComplaintReceived(dt.date(2024, 7, 4), programme="VTA", category="privacy"),
        StaffTrainingRecorded(dt.date(2024, 7, 4), days=0.5, topic='møte 📋 "VR"'),
        StaffTrainingRecorded(dt.date(2024, 7, 4), days=MAX_STAFF_TRAINING_DAYS),
        ProviderClosed(dt.date(2024, 7, 4), until=dt.date(2024, 7, 4)),
        ProviderClosed(dt.date(2024, 12, 23), until=dt.date(2025, 1, 2), programme="AFT"),
        FactRetracted(dt.date(2024, 7, 4), retracts='id-"with"-\\-quotes'),
    ],
)
def test_every_organisation_fact_encodes_and_decodes_to_itself(event: Event) -> None:
    text = encode_line(event, None, "e-1", AT)
    wire = decode_line(text)

    assert (wire.event, wire.participant, wire.event_id, wire.recorded_at) == (
        event,
        None,
        "e-1",
        AT,
    )


def test_a_closure_writes_until_as_a_date_and_whole_days_as_integers() -> None:
    closed = encode_line(
        ProviderClosed(dt.date(2024, 7, 4), until=dt.date(2024, 7, 24)), None, "e", AT
    )
    trained = encode_line(StaffTrainingRecorded(dt.date(2024, 7, 4), days=3), None, "e", AT)

    assert json.loads(closed)["data"] == {"until": "2024-07-24"}
    assert '"data":{"days":3}' in trained


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            line("ProviderClosed", until="2024-07-03"),
            "ProviderClosed: field 'data.until' must be on or after the date 2024-07-04",
        ),
        (
            line("ProviderClosed", until="3 July"),
            "ProviderClosed: field 'data.until' must be a date YYYY-MM-DD",
        ),
        (
            line("ProviderClosed", until=20240705),
            "ProviderClosed: field 'data.until' must be a date YYYY-MM-DD",
        ),
        (
            line("ProviderClosed", until="2024-02-30"),
            "ProviderClosed: field 'data.until' is not a calendar date: 2024-02-30",
        ),
        (line("ProviderClosed"), "ProviderClosed: missing field 'data.until'"),
        (
            line("ProviderClosed", until="2024-07-05", programme="aft"),
            "ProviderClosed: field 'data.programme' 'aft' is not a programme code "
            "([A-Z][A-Z0-9_]{1,15})",
        ),
        (
            line("ComplaintReceived", programme="vta"),
            "ComplaintReceived: field 'data.programme' 'vta' is not a programme code "
            "([A-Z][A-Z0-9_]{1,15})",
        ),
        (
            line("ComplaintReceived", category=""),
            "ComplaintReceived: field 'data.category' must be a non-empty string",
        ),
        (
            line("ComplaintReceived", text="she said"),
            "ComplaintReceived: unknown field 'data.text'",
        ),
        (line("StaffTrainingRecorded"), "StaffTrainingRecorded: missing field 'data.days'"),
        (
            line("StaffTrainingRecorded", days="2"),
            "StaffTrainingRecorded: field 'data.days' must be a number",
        ),
        (
            line("StaffTrainingRecorded", days=0),
            "StaffTrainingRecorded: field 'data.days' must be greater than 0 and at most "
            "100000 (dagsverk), not 0",
        ),
        (
            line("StaffTrainingRecorded", days=-1.5),
            "StaffTrainingRecorded: field 'data.days' must be greater than 0 and at most "
            "100000 (dagsverk), not -1.5",
        ),
        (
            line("StaffTrainingRecorded", days=100_000.5),
            "StaffTrainingRecorded: field 'data.days' must be greater than 0 and at most "
            "100000 (dagsverk), not 100000.5",
        ),
        (line("FactRetracted"), "FactRetracted: missing field 'data.retracts'"),
        (
            line("FactRetracted", retracts="two words"),
            "FactRetracted: field 'data.retracts' must be an event id: 1-128 printable ASCII "
            "characters without spaces",
        ),
        (
            json.dumps({"type": "ComplaintReceived", "participant": "P-1", "date": "2024-07-04"}),
            "ComplaintReceived: field 'participant' is only for participant events",
        ),
    ],
)
def test_a_bad_organisation_fact_is_refused_naming_the_field(text: str, message: str) -> None:
    assert refusal(text) == message


@pytest.mark.parametrize(
    "data",
    [
        {"days": 0},
        {"days": 10**6},
        {"days": "2"},
        {"days": 2, "topic": 7},
        {"days": 2, "topic": "\ud800"},
        {"days": 2, "colour": "red"},
        {"days": 2, "until": "2024-07-05"},
    ],
)
def test_a_topic_never_appears_in_a_message(data: dict[str, Any]) -> None:
    with_topic = {"topic": SECRET_TOPIC, **data} if "topic" not in data else data
    text = json.dumps(
        {"type": "StaffTrainingRecorded", "date": "2024-07-04", "data": with_topic},
        ensure_ascii=False,
    )

    assert "Kari" not in refusal(text)
