"""The events-v1 codec: strict decoding with one test per class of bad input, and encoding.

Lines are built as Python objects and serialised here, so each test shows exactly the
part of the line it is about. Messages are compared whole where the wording is the
contract a user reads (``line N: <message>`` is printed around them by the import).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from orbit_adapters import NewEvent, events_v1
from orbit_adapters.events_v1 import (
    LineError,
    decode_line,
    decode_object,
    encode_line,
    encode_object,
    event_data,
    format_timestamp,
    parse_timestamp,
)
from orbit_domain.events import (
    EVENT_TYPES,
    ORGANISATION_EVENT_TYPES,
    CourseStarted,
    Event,
    Gender,
    HospiteringKind,
    HospiteringStarted,
    ParticipantReferred,
    PlacementStarted,
    SeatsAllocated,
    Waitlisted,
)
from orbit_domain.outcomes import Outcome

SAMPLE = Path(__file__).parents[1] / "conformance" / "data" / "sample-events.jsonl"
ABSENT: Any = object()
"""Pass as a field's value to leave the field out of the line."""

MINIMAL_DATA: dict[str, dict[str, Any] | None] = {
    "ParticipantReferred": {"programme": "AFT"},
    "Waitlisted": None,
    "ReferralWithdrawn": None,
    "PlacementStarted": None,
    "PercentageChanged": {"percentage": 60},
    "HospiteringStarted": None,
    "HospiteringEnded": None,
    "CourseStarted": {"course": "migranorsk"},
    "CourseCompleted": {"course": "migranorsk"},
    "SurveyAnswered": {"survey": "user", "score": 4, "scale_max": 6},
    "ParticipantExited": {"outcome": "work_subsidised"},
    "ExitCorrected": {"outcome": "vto"},
    "SeatsAllocated": {"programme": "AFT", "seats": 55},
    "ComplaintReceived": None,
    "StaffTrainingRecorded": {"days": 2},
    "ProviderClosed": {"until": "2024-03-01"},
    "FactRetracted": {"retracts": "e-1"},
}
PERSONAL_FIELDS = [
    ("ParticipantReferred", "municipality"),
    ("ParticipantReferred", "referred_by"),
    ("ReferralWithdrawn", "reason"),
    ("PlacementStarted", "department"),
    ("HospiteringStarted", "employer"),
    ("ParticipantExited", "note"),
]
SECRET = "Kari Nordmann, Storgata 1"
GENDERS = "must be one of female, male, other, unknown"
NOT_A_PROGRAMME = "is not a programme code ([A-Z][A-Z0-9_]{1,15})"
INTEGER = "must be an integer"
NON_EMPTY = "must be a non-empty string"
SCORE_RANGE = "must be between 0 and scale_max (6)"


def wire(type_name: str, data: Any = ABSENT, **fields: Any) -> dict[str, Any]:
    """A line for ``type_name``: a valid minimal one unless ``data``/``fields`` say otherwise.

    ``data`` replaces the minimal data; a dict is merged into it (``ABSENT`` values removed).
    """
    line: dict[str, Any] = {"type": type_name}
    if EVENT_TYPES[type_name] not in ORGANISATION_EVENT_TYPES:
        line["participant"] = "P-17"
    line["date"] = "2024-03-01"
    minimal = MINIMAL_DATA[type_name]
    if isinstance(data, dict):
        merged = {**(minimal or {}), **data}
        line["data"] = {name: value for name, value in merged.items() if value is not ABSENT}
    elif data is not ABSENT:
        line["data"] = data
    elif minimal is not None:
        line["data"] = minimal
    line.update(fields)
    return {name: value for name, value in line.items() if value is not ABSENT}


def decoded(line: dict[str, Any] | str | bytes) -> NewEvent:
    return decode_line(line if isinstance(line, str | bytes) else json.dumps(line))


def refusal(line: dict[str, Any] | str | bytes) -> str:
    """The message a line is refused with; the test fails if the line is accepted."""
    with pytest.raises(LineError) as error:
        decoded(line)
    return str(error.value)


def valid_national_id(nine_digits: str) -> str:
    """``nine_digits`` with the two mod-11 check digits (checking form: weighted sum % 11 == 0)."""
    number = nine_digits
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2, 1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)):
        digit = next(
            d
            for d in range(10)
            if sum(int(c) * w for c, w in zip(number + str(d), weights, strict=True)) % 11 == 0
        )
        number += str(digit)
    return number


FODSELSNUMMER = valid_national_id("150385500")  # check digits exist for this prefix
D_NUMBER = valid_national_id("550385500")


# ------------------------------------------------------------------ valid lines


@pytest.mark.parametrize("type_name", sorted(MINIMAL_DATA))
def test_a_minimal_line_of_every_event_type_decodes_to_that_event(type_name: str) -> None:
    result = decoded(wire(type_name))

    assert type(result.event) is EVENT_TYPES[type_name]
    assert result.event.date == dt.date(2024, 3, 1)


def test_the_minimal_lines_cover_every_event_type() -> None:
    assert set(MINIMAL_DATA) == set(EVENT_TYPES)


def test_a_full_referral_decodes_every_field() -> None:
    result = decoded(
        wire(
            "ParticipantReferred",
            data={
                "programme": "VTA",
                "gender": "female",
                "birth_year": 1988,
                "municipality": "Bærum",
                "referred_by": "Nav Asker",
            },
            id="2f1c3c1e-6d4e-4c4f-9a57-0c1f3c7a9e10",
            recorded_at="2024-03-01T10:15:00Z",
        )
    )

    assert result == NewEvent(
        event=ParticipantReferred(
            date=dt.date(2024, 3, 1),
            programme="VTA",
            gender=Gender.FEMALE,
            birth_year=1988,
            municipality="Bærum",
            referred_by="Nav Asker",
        ),
        participant="P-17",
        event_id="2f1c3c1e-6d4e-4c4f-9a57-0c1f3c7a9e10",
        recorded_at=dt.datetime(2024, 3, 1, 10, 15, tzinfo=dt.UTC),
    )


def test_a_line_without_id_and_recorded_at_leaves_them_to_the_import() -> None:
    result = decoded(wire("Waitlisted"))

    assert result.event_id is None
    assert result.recorded_at is None


def test_an_allocation_has_no_participant() -> None:
    result = decoded(wire("SeatsAllocated", data={"seats": 12.5}))

    assert result.participant is None
    assert result.event == SeatsAllocated(dt.date(2024, 3, 1), programme="AFT", seats=12.5)


@pytest.mark.parametrize("data", [{}, ABSENT, None], ids=["empty", "absent", "null"])
def test_a_waitlisting_accepts_blank_data(data: Any) -> None:
    line = wire("Waitlisted", data=data)

    assert ("data" in line) is (data is not ABSENT)
    assert decoded(line).event == Waitlisted(dt.date(2024, 3, 1))


def test_a_line_may_be_given_as_utf8_bytes() -> None:
    line = json.dumps(wire("ParticipantReferred", data={"municipality": "Bærum"}))

    event = decoded(line.encode("utf-8")).event

    assert isinstance(event, ParticipantReferred)
    assert event.municipality == "Bærum"


def test_decode_object_takes_an_already_parsed_line() -> None:
    assert decode_object(wire("Waitlisted")).participant == "P-17"


# ------------------------------------------------------------------ malformed JSON


def test_a_line_that_is_not_json_is_refused_with_the_column() -> None:
    assert refusal('{"type":') == "not valid JSON (Expecting value at column 9)"


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""], ids=["lf", "crlf", "none"])
def test_the_column_of_a_json_error_counts_within_the_line_not_past_its_line_break(
    ending: str,
) -> None:
    truncated = '{"type":"Waitlisted","participant":"P-17","date":"2024-03-01"'

    assert refusal(truncated + ending) == "not valid JSON (Expecting ',' delimiter at column 62)"
    assert refusal((truncated + ending).encode()) == (
        "not valid JSON (Expecting ',' delimiter at column 62)"
    )


def test_an_unterminated_string_is_reported_in_plain_words() -> None:
    message = refusal('{"type":"Waitl\n')

    assert message == "not valid JSON (Unterminated string starting at column 9)"


def test_a_line_ending_in_a_line_break_decodes() -> None:
    line = json.dumps(wire("Waitlisted"))

    assert decoded(line + "\r\n").event == decoded(line).event


@pytest.mark.parametrize(
    "text",
    ["{'type': 'Waitlisted'}", '{"type":"Waitlisted",}', "{}{}", "Waitlisted;P-17;2024-03-01"],
)
def test_malformed_json_is_refused(text: str) -> None:
    assert refusal(text).startswith("not valid JSON (")


def test_bytes_that_are_not_utf8_are_refused() -> None:
    text = b'{"type":"Waitlisted","participant":"P-17","date":"2024-03-01","x":"\xe6"}'

    assert refusal(text) == "not valid JSON (not UTF-8)"


_LINE = '{"type":"Waitlisted","participant":"P-17","date":"2024-03-01"}'
_REFERRAL = '{"type":"ParticipantReferred","participant":"P-17","date":"2024-03-01","data":%s}'


@pytest.mark.parametrize(
    "text",
    [
        _LINE,
        _LINE.encode(),
        f" \t{_LINE} ",
        f" {_LINE} ".encode(),
        f"{_LINE} x",
        f"{_LINE}{_LINE}".encode(),
        _REFERRAL % '{"programme":"AFT","municipality":"B\\u00e6rum"}',
        (_REFERRAL % '{"programme":"AFT","municipality":"Bærum"}').encode(),
        (_REFERRAL % '{"programme":"AFT","municipality":"\\ud800"}').encode(),
        (_REFERRAL % '{"programme":"AFT","municipality":"x"}').encode()[:-4] + b'\xed\xa0\x80"}}',
        b"{",
        "",
    ],
)
def test_a_line_is_read_exactly_as_json_loads_reads_it(
    text: str | bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual line is parsed by a shorter way; every line gives json.loads' outcome."""

    def outcome() -> NewEvent | str:
        try:
            return decode_line(text)
        except LineError as error:
            return str(error)

    fast = outcome()
    monkeypatch.setattr(events_v1, "_parse_json", json.loads)

    assert fast == outcome()


def test_a_number_with_thousands_of_digits_is_refused_as_bad_json() -> None:
    line = '{"type":"SeatsAllocated","date":"2024-03-01","data":{"programme":"AFT","seats":%s}}'

    assert refusal(line % ("9" * 5000)) == "not valid JSON (a number has too many digits)"


def test_json_nested_too_deeply_is_refused() -> None:
    assert refusal("[" * 100_000) == "not valid JSON (nested too deeply)"


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_number_is_refused(literal: str) -> None:
    line = '{"type":"SeatsAllocated","date":"2024-03-01","data":{"programme":"AFT","seats":%s}}'

    assert refusal(line % literal) == "SeatsAllocated: field 'data.seats' must be a number"


# ------------------------------------------------------------------ not an object, type


@pytest.mark.parametrize("text", ["[]", '"Waitlisted"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_refused(text: str) -> None:
    assert refusal(text) == "must be a JSON object"


def test_a_line_without_a_type_is_refused() -> None:
    assert refusal(wire("Waitlisted", type=ABSENT)) == "missing field 'type'"


@pytest.mark.parametrize(
    ("type_value", "message"),
    [
        ("Plassering", 'unknown type "Plassering"'),
        ("waitlisted", 'unknown type "waitlisted"'),
        ("", 'unknown type ""'),
        (7, "unknown type 7"),
        (None, "unknown type null"),
    ],
)
def test_an_unknown_type_is_refused(type_value: object, message: str) -> None:
    assert refusal(wire("Waitlisted", type=type_value)) == message


def test_a_long_unknown_type_is_shortened_in_the_message() -> None:
    message = refusal(wire("Waitlisted", type="X" * 500))

    assert message == 'unknown type "' + "X" * 36 + "..."


# ------------------------------------------------------------------ unknown fields


@pytest.mark.parametrize("field", ["partcipant", "Date", "recordedAt", "comment"])
def test_an_unknown_top_level_field_is_refused(field: str) -> None:
    assert refusal({**wire("Waitlisted"), field: "x"}) == f"unknown field {field!r}"


def test_an_unknown_data_field_is_refused() -> None:
    message = refusal(wire("PlacementStarted", data={"procent": 50}))

    assert message == "PlacementStarted for P-17: unknown field 'data.procent'"


def test_a_data_field_of_another_event_type_is_refused() -> None:
    message = refusal(wire("Waitlisted", data={"reason": "moved"}))

    assert message == "Waitlisted for P-17: unknown field 'data.reason'"


def test_an_unknown_data_field_of_an_allocation_is_refused() -> None:
    message = refusal(wire("SeatsAllocated", data={"seat": 5}))

    assert message == "SeatsAllocated: unknown field 'data.seat'"


# ------------------------------------------------------------------ missing fields


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (wire("Waitlisted", participant=ABSENT), "Waitlisted: missing field 'participant'"),
        (wire("Waitlisted", date=ABSENT), "Waitlisted for P-17: missing field 'date'"),
        (wire("SeatsAllocated", date=ABSENT), "SeatsAllocated: missing field 'date'"),
        (
            wire("ParticipantReferred", data={"programme": ABSENT}),
            "ParticipantReferred for P-17: missing field 'data.programme'",
        ),
        (
            wire("ParticipantReferred", data=None),
            "ParticipantReferred for P-17: missing field 'data.programme'",
        ),
        (
            wire("PercentageChanged", data={"percentage": ABSENT}),
            "PercentageChanged for P-17: missing field 'data.percentage'",
        ),
        (
            wire("CourseStarted", data={"course": ABSENT}),
            "CourseStarted for P-17: missing field 'data.course'",
        ),
        (
            wire("CourseCompleted", data={"course": ABSENT}),
            "CourseCompleted for P-17: missing field 'data.course'",
        ),
        (
            wire("SurveyAnswered", data={"survey": ABSENT}),
            "SurveyAnswered for P-17: missing field 'data.survey'",
        ),
        (
            wire("SurveyAnswered", data={"score": ABSENT}),
            "SurveyAnswered for P-17: missing field 'data.score'",
        ),
        (
            wire("SurveyAnswered", data={"scale_max": ABSENT}),
            "SurveyAnswered for P-17: missing field 'data.scale_max'",
        ),
        (
            wire("ParticipantExited", data={"outcome": ABSENT, "note": "ok"}),
            "ParticipantExited for P-17: missing field 'data.outcome'",
        ),
        (
            wire("ExitCorrected", data={"outcome": ABSENT}),
            "ExitCorrected for P-17: missing field 'data.outcome'",
        ),
        (
            wire("SeatsAllocated", data={"programme": ABSENT}),
            "SeatsAllocated: missing field 'data.programme'",
        ),
        (
            wire("SeatsAllocated", data={"seats": ABSENT}),
            "SeatsAllocated: missing field 'data.seats'",
        ),
    ],
)
def test_a_missing_required_field_is_refused_by_name(line: dict[str, Any], message: str) -> None:
    assert refusal(line) == message


# ------------------------------------------------------------------ wrong JSON types


@pytest.mark.parametrize(
    ("type_name", "data", "message"),
    [
        ("PlacementStarted", {"percentage": "50"}, f"field 'data.percentage' {INTEGER}"),
        ("PlacementStarted", {"percentage": True}, f"field 'data.percentage' {INTEGER}"),
        ("PlacementStarted", {"percentage": 50.0}, f"field 'data.percentage' {INTEGER}"),
        ("PercentageChanged", {"percentage": 60.5}, f"field 'data.percentage' {INTEGER}"),
        ("ParticipantReferred", {"birth_year": "1988"}, f"field 'data.birth_year' {INTEGER}"),
        ("ParticipantReferred", {"birth_year": False}, f"field 'data.birth_year' {INTEGER}"),
        ("CourseStarted", {"licence": "yes"}, "field 'data.licence' must be true or false"),
        ("CourseStarted", {"licence": 1}, "field 'data.licence' must be true or false"),
        ("SurveyAnswered", {"score": "4"}, "field 'data.score' must be a number"),
        ("SurveyAnswered", {"score": True}, "field 'data.score' must be a number"),
        ("SurveyAnswered", {"scale_max": [6]}, "field 'data.scale_max' must be a number"),
        ("SurveyAnswered", {"survey": 3}, f"field 'data.survey' {NON_EMPTY}"),
        ("CourseStarted", {"course": 101}, f"field 'data.course' {NON_EMPTY}"),
        ("CourseStarted", {"category": 2}, "field 'data.category' must be a string"),
        ("ParticipantReferred", {"programme": 1}, f"field 'data.programme' {NON_EMPTY}"),
        ("ParticipantReferred", {"gender": 1}, f"field 'data.gender' {GENDERS}"),
        ("Waitlisted", [], "field 'data' must be a JSON object"),
        ("Waitlisted", "none", "field 'data' must be a JSON object"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(type_name: str, data: Any, message: str) -> None:
    assert refusal(wire(type_name, data=data)) == f"{type_name} for P-17: {message}"


def test_a_number_of_seats_given_as_a_string_is_refused() -> None:
    message = refusal(wire("SeatsAllocated", data={"seats": "55"}))

    assert message == "SeatsAllocated: field 'data.seats' must be a number"


@pytest.mark.parametrize(
    ("type_name", "field"),
    [
        ("PlacementStarted", "department"),
        ("HospiteringStarted", "kind"),
        ("CourseStarted", "licence"),
    ],
)
def test_null_is_refused_for_an_optional_field_which_must_be_left_out_instead(
    type_name: str, field: str
) -> None:
    message = refusal(wire(type_name, data={field: None}))

    assert message.startswith(f"{type_name} for P-17: field 'data.{field}' must be")


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize("date", ["2024-13-01", "2024-02-30", "2023-02-29", "2024-00-10"])
def test_a_date_that_is_not_on_the_calendar_is_refused(date: str) -> None:
    message = refusal(wire("Waitlisted", date=date))

    assert message == f"Waitlisted for P-17: field 'date' is not a calendar date: {date}"


@pytest.mark.parametrize(
    "date",
    [
        "20240101",
        "2024-1-1",
        "2024/01/01",
        "01.01.2024",
        "2024-01-01T00:00:00",
        " 2024-01-01",
        20240101,
    ],
)
def test_a_date_not_written_yyyy_mm_dd_is_refused(date: object) -> None:
    message = refusal(wire("Waitlisted", date=date))

    assert message == "Waitlisted for P-17: field 'date' must be a date YYYY-MM-DD"


def test_a_leap_day_is_a_date() -> None:
    assert decoded(wire("Waitlisted", date="2024-02-29")).event.date == dt.date(2024, 2, 29)


# ------------------------------------------------------------------ recorded_at

RECORDED_AT_FORM = (
    "field 'recorded_at' must be an ISO 8601 timestamp with an offset or Z, "
    "e.g. 2024-06-30T12:00:00Z"
)


@pytest.mark.parametrize(
    "recorded_at",
    [
        "2024-06-30T12:00:00",
        "2024-06-30",
        "2024-06-30 12:00:00Z",
        "yesterday",
        "2024-06-30T12:00:00+0200",
        1719748800,
        None,
    ],
)
def test_a_recorded_at_without_an_offset_or_not_iso_8601_is_refused(recorded_at: object) -> None:
    message = refusal(wire("Waitlisted", recorded_at=recorded_at))

    assert message == f"Waitlisted for P-17: {RECORDED_AT_FORM}"


@pytest.mark.parametrize(
    "recorded_at",
    ["2024-06-30T25:00:00Z", "2024-02-30T12:00:00Z", "2024-06-30T12:00:00+24:00"],
)
def test_a_recorded_at_that_is_no_real_moment_is_refused(recorded_at: str) -> None:
    message = refusal(wire("Waitlisted", recorded_at=recorded_at))

    assert (
        message == f"Waitlisted for P-17: field 'recorded_at' is not a real moment: {recorded_at}"
    )


def test_a_recorded_at_whose_offset_takes_it_outside_the_calendar_is_refused() -> None:
    message = refusal(wire("SeatsAllocated", recorded_at="0001-01-01T00:30:00+01:00"))

    assert message == (
        "SeatsAllocated: field 'recorded_at' is not a real moment: 0001-01-01T00:30:00+01:00"
    )


@pytest.mark.parametrize(
    ("recorded_at", "in_utc"),
    [
        ("2024-06-30T14:00:00+02:00", dt.datetime(2024, 6, 30, 12, tzinfo=dt.UTC)),
        ("2024-06-30T12:00Z", dt.datetime(2024, 6, 30, 12, tzinfo=dt.UTC)),
        ("2024-06-30T23:45:00.25-05:30", dt.datetime(2024, 7, 1, 5, 15, 0, 250000, tzinfo=dt.UTC)),
    ],
)
def test_a_recorded_at_with_an_offset_is_normalised_to_utc(
    recorded_at: str, in_utc: dt.datetime
) -> None:
    result = decoded(wire("Waitlisted", recorded_at=recorded_at)).recorded_at

    assert result == in_utc
    assert result is not None
    assert result.tzinfo is dt.UTC


def test_parse_timestamp_alone_refuses_a_moment_without_offset() -> None:
    with pytest.raises(LineError, match="with an offset or Z"):
        parse_timestamp("2024-06-30T12:00:00")


MINUS_0530 = dt.timezone(-dt.timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("moment", "canonical"),
    [
        (dt.datetime(2024, 6, 30, 12, tzinfo=dt.UTC), "2024-06-30T12:00:00Z"),
        (dt.datetime(2024, 6, 30, 12, 0, 0, 5, tzinfo=dt.UTC), "2024-06-30T12:00:00.000005Z"),
        (
            dt.datetime(2024, 6, 30, 14, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2024-06-30T12:00:00Z",
        ),
        (dt.datetime(2024, 6, 30, 23, 45, tzinfo=MINUS_0530), "2024-07-01T05:15:00Z"),
        (dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "0999-01-02T03:04:05Z"),
    ],
)
def test_format_timestamp_writes_utc_with_z_and_a_fraction_only_when_there_is_one(
    moment: dt.datetime, canonical: str
) -> None:
    assert format_timestamp(moment) == canonical
    assert parse_timestamp(canonical) == moment


# ------------------------------------------------------------------ participant keys

KEY_PATTERN_MESSAGE = "field 'participant' must be 1-64 characters of A-Z a-z 0-9 . _ : -"


@pytest.mark.parametrize(
    "key",
    ["", "P" * 65, "P 17", "P-17ø", "P/17", "P-17\n", "P\N{HYPHEN}17", 17, None],
    ids=[
        "empty",
        "65-chars",
        "space",
        "non-ascii",
        "slash",
        "newline",
        "unicode-hyphen",
        "int",
        "null",
    ],
)
def test_a_participant_key_outside_the_pattern_is_refused(key: object) -> None:
    assert refusal(wire("Waitlisted", participant=key)) == f"Waitlisted: {KEY_PATTERN_MESSAGE}"


@pytest.mark.parametrize("key", ["P" * 64, "a.B_c:d-9", "1", "P-100119"])
def test_a_participant_key_inside_the_pattern_is_accepted(key: str) -> None:
    assert decoded(wire("Waitlisted", participant=key)).participant == key


def test_a_participant_on_an_allocation_is_refused() -> None:
    message = refusal({**wire("SeatsAllocated"), "participant": "P-17"})

    assert message == "SeatsAllocated: field 'participant' is only for participant events"


@pytest.mark.parametrize("number", [FODSELSNUMMER, D_NUMBER], ids=["fodselsnummer", "d-number"])
def test_a_national_identity_number_as_participant_key_is_refused_without_echoing_it(
    number: str,
) -> None:
    message = refusal(wire("ParticipantReferred", participant=number))

    assert message == (
        "ParticipantReferred: field 'participant' is a national identity number "
        "(fødselsnummer or D-number); orbit stores pseudonymous keys only"
    )
    assert number not in message


@pytest.mark.parametrize("number", [FODSELSNUMMER, D_NUMBER], ids=["fodselsnummer", "d-number"])
def test_the_same_digits_with_a_wrong_check_digit_are_accepted_as_a_key(number: str) -> None:
    wrong = number[:10] + str((int(number[10]) + 1) % 10)

    assert decoded(wire("Waitlisted", participant=wrong)).participant == wrong


# ------------------------------------------------------------------ event ids

ID_MESSAGE = "field 'id' must be 1-128 printable ASCII characters without spaces"


@pytest.mark.parametrize("event_id", ["", "an id", "x" * 129, "id-ø", 5, None])
def test_an_event_id_that_is_not_1_to_128_printable_ascii_characters_is_refused(
    event_id: object,
) -> None:
    assert refusal(wire("Waitlisted", id=event_id)) == f"Waitlisted for P-17: {ID_MESSAGE}"


@pytest.mark.parametrize("event_id", ["0c89a728-9eda-4ccb-82da-3e32619247e1", "x" * 128, "e:1/a"])
def test_an_event_id_of_printable_ascii_is_kept(event_id: str) -> None:
    assert decoded(wire("Waitlisted", id=event_id)).event_id == event_id


# ------------------------------------------------------------------ enumerations

KINDS = "must be one of hospitering, practice"
OUTCOMES = (
    "must be one of work_unsubsidised, work_subsidised, vto, education_self_funded, "
    "education_nav_funded, other_active, treatment, pension, no_active, unknown"
)


@pytest.mark.parametrize(
    ("type_name", "data", "message"),
    [
        ("ParticipantReferred", {"gender": "f"}, f"field 'data.gender' {GENDERS}"),
        ("ParticipantReferred", {"gender": "Female"}, f"field 'data.gender' {GENDERS}"),
        ("HospiteringStarted", {"kind": "intern"}, f"field 'data.kind' {KINDS}"),
        ("ParticipantExited", {"outcome": "job"}, f"field 'data.outcome' {OUTCOMES}"),
        ("ExitCorrected", {"outcome": "WORK_SUBSIDISED"}, f"field 'data.outcome' {OUTCOMES}"),
    ],
)
def test_a_value_outside_an_enumeration_is_refused_with_the_allowed_values(
    type_name: str, data: dict[str, Any], message: str
) -> None:
    assert refusal(wire(type_name, data=data)) == f"{type_name} for P-17: {message}"


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_code_of_the_spec_is_accepted(outcome: Outcome) -> None:
    result = decoded(wire("ParticipantExited", data={"outcome": outcome.value}))

    assert event_data(result.event) == {"outcome": outcome.value}


# ------------------------------------------------------------------ out-of-range values


@pytest.mark.parametrize(
    ("type_name", "data", "message"),
    [
        ("PlacementStarted", {"percentage": 0}, "field 'data.percentage' must be 1-100, not 0"),
        ("PlacementStarted", {"percentage": 101}, "field 'data.percentage' must be 1-100, not 101"),
        ("PercentageChanged", {"percentage": -5}, "field 'data.percentage' must be 1-100, not -5"),
        (
            "SurveyAnswered",
            {"scale_max": 0},
            "field 'data.scale_max' must be greater than 0, not 0",
        ),
        ("SurveyAnswered", {"score": 7}, f"field 'data.score' {SCORE_RANGE}"),
        ("SurveyAnswered", {"score": -1}, f"field 'data.score' {SCORE_RANGE}"),
        ("SurveyAnswered", {"survey": ""}, f"field 'data.survey' {NON_EMPTY}"),
        ("CourseStarted", {"course": ""}, f"field 'data.course' {NON_EMPTY}"),
        (
            "ParticipantReferred",
            {"programme": "aft"},
            f"field 'data.programme' 'aft' {NOT_A_PROGRAMME}",
        ),
    ],
)
def test_a_value_out_of_range_is_refused(
    type_name: str, data: dict[str, Any], message: str
) -> None:
    assert refusal(wire(type_name, data=data)) == f"{type_name} for P-17: {message}"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"seats": 0}, "field 'data.seats' must be greater than 0, not 0"),
        ({"seats": -3.5}, "field 'data.seats' must be greater than 0, not -3.5"),
        ({"programme": "A"}, f"field 'data.programme' 'A' {NOT_A_PROGRAMME}"),
    ],
)
def test_an_allocation_out_of_range_is_refused(data: dict[str, Any], message: str) -> None:
    assert refusal(wire("SeatsAllocated", data=data)) == f"SeatsAllocated: {message}"


# ------------------------------------------------------------------ personal values


@pytest.mark.parametrize(("type_name", "field"), PERSONAL_FIELDS)
def test_a_personal_field_of_the_wrong_type_is_named_but_its_value_not_echoed(
    type_name: str, field: str
) -> None:
    message = refusal(wire(type_name, data={field: [SECRET]}))

    assert message == f"{type_name} for P-17: field 'data.{field}' must be a string"
    assert "Kari" not in message


@pytest.mark.parametrize(("type_name", "field"), PERSONAL_FIELDS)
def test_a_personal_value_is_not_echoed_when_another_field_of_the_line_is_wrong(
    type_name: str, field: str
) -> None:
    bad_date = refusal(wire(type_name, data={field: SECRET}, date="2024-02-30"))
    bad_field = refusal(wire(type_name, data={field: SECRET, "comment": "x"}))

    assert "field 'date'" in bad_date
    assert "'data.comment'" in bad_field
    assert SECRET not in bad_date
    assert SECRET not in bad_field


@pytest.mark.parametrize(("type_name", "field"), PERSONAL_FIELDS)
def test_a_personal_value_with_a_lone_surrogate_is_refused_by_field_name(
    type_name: str, field: str
) -> None:
    line = json.dumps(wire(type_name, data={field: "Kari"})).replace("Kari", "Kari\\ud800")

    message = refusal(line)

    assert message == (
        f"{type_name} for P-17: field 'data.{field}' must be valid Unicode text "
        "(it holds a lone surrogate)"
    )
    assert "Kari" not in message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"type":"Waitlisted","participant":"P-17","date":"2024-03-01","\\ud800":1}',
         "unknown field '\\ud800'"),
        ('{"type":"Waitlisted","participant":"P-17","date":"2024-03-01","data":{"\\ud800":1}}',
         "Waitlisted for P-17: unknown field 'data.\\ud800'"),
        ('{"type":"\\ud800","participant":"P-17","date":"2024-03-01"}',
         'unknown type "\\ud800"'),
    ],
    ids=["field", "data-field", "type"],
)  # fmt: skip
def test_a_message_about_a_name_with_a_lone_surrogate_can_be_printed_as_utf8(
    line: str, message: str
) -> None:
    refused = refusal(line)

    assert refused.encode("utf-8", errors="strict")
    assert refused == message


# ------------------------------------------------------------------ encoding


def test_encode_line_writes_compact_utf8_json_in_the_canonical_key_order() -> None:
    event = ParticipantReferred(dt.date(2024, 3, 1), programme="VTA", municipality="Bærum")
    recorded_at = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    line = encode_line(event, "P-17", "e-1", recorded_at)

    assert line == (
        '{"type":"ParticipantReferred","participant":"P-17","date":"2024-03-01",'
        '"data":{"programme":"VTA","municipality":"Bærum"},'
        '"recorded_at":"2024-03-01T11:00:00Z","id":"e-1"}'
    )


def test_an_allocation_is_encoded_without_a_participant() -> None:
    event = SeatsAllocated(dt.date(2024, 1, 1), programme="AFT", seats=55)
    recorded_at = dt.datetime(2023, 12, 12, tzinfo=dt.UTC)

    assert list(encode_object(event, None, "a-1", recorded_at)) == [
        "type",
        "date",
        "data",
        "recorded_at",
        "id",
    ]


def test_an_event_without_data_is_encoded_without_a_data_field() -> None:
    recorded_at = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)

    encoded = encode_object(Waitlisted(dt.date(2024, 3, 1)), "P-17", "w-1", recorded_at)

    assert "data" not in encoded


def test_optional_fields_left_out_stay_out_and_given_defaults_stay_in() -> None:
    left_out: list[Event] = [
        PlacementStarted(dt.date(2024, 3, 1)),
        HospiteringStarted(dt.date(2024, 3, 1)),
        CourseStarted(dt.date(2024, 3, 1), course="excel"),
        ParticipantReferred(dt.date(2024, 3, 1), programme="AFT"),
    ]
    given: list[Event] = [
        PlacementStarted(dt.date(2024, 3, 1), percentage=100),
        HospiteringStarted(dt.date(2024, 3, 1), kind=HospiteringKind.HOSPITERING),
        CourseStarted(dt.date(2024, 3, 1), course="excel", licence=False),
        ParticipantReferred(dt.date(2024, 3, 1), programme="AFT", gender=Gender.UNKNOWN),
    ]

    assert [event_data(event) for event in left_out] == [
        {},
        {},
        {"course": "excel"},
        {"programme": "AFT"},
    ]
    assert [event_data(event) for event in given] == [
        {"percentage": 100},
        {"kind": "hospitering"},
        {"course": "excel", "licence": False},
        {"programme": "AFT", "gender": "unknown"},
    ]


def _sample_lines() -> list[tuple[int, str]]:
    with SAMPLE.open(encoding="utf-8") as sample:
        return [(number, line) for number, line in enumerate(sample, 1) if line.strip()]


def test_every_line_of_the_sample_encodes_back_to_the_same_json_object() -> None:
    lines = _sample_lines()
    differing = []
    for number, line in lines:
        result = decode_line(line)
        assert result.event_id is not None
        assert result.recorded_at is not None
        encoded = encode_object(
            result.event, result.participant, result.event_id, result.recorded_at
        )
        original = json.loads(line)
        # json.dumps tells 4 from 4.0, which == on dicts would not.
        if json.dumps(encoded, sort_keys=True) != json.dumps(original, sort_keys=True):
            differing.append(number)

    assert len(lines) > 4000
    assert differing == []


def test_an_encoded_line_decodes_to_the_same_event_and_envelope() -> None:
    event = CourseStarted(dt.date(2024, 3, 1), course="vr", category="vr", licence=True)
    recorded_at = dt.datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)

    result = decode_line(encode_line(event, "P-17", "c-1", recorded_at))

    assert result == NewEvent(event, "P-17", "c-1", recorded_at)
