"""Decoding refuses what JSON parsers disagree on or guess at, and never echoes much input.

Duplicate keys (where parsers keep the first, the last, or fail), files in another
encoding than UTF-8, timestamps finer than microseconds; and whatever a line holds, a
message repeats at most a bounded part of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orbit_adapters.events_v1 import LineError, WrongEncodingError, decode_line
from orbit_adapters.importing import MAX_PROBLEM_LENGTH, ImportRejectedError
from orbit_adapters.national_id import contains_national_id
from orbit_domain.errors import SHOWN_LENGTH
from property_support import memory_store

WAITLISTED = '{"type":"Waitlisted","participant":"P-17","date":"2024-03-01"}'
SURVEY = (
    '{"type":"SurveyAnswered","participant":"P-17","date":"2024-03-01",'
    '"data":{"survey":"user","score":4,"scale_max":6}}'
)
REFERRAL = (
    '{"type":"ParticipantReferred","participant":"P-17","date":"2024-03-01",'
    '"data":{"programme":"AFT","municipality":"Bærum"}}'
)


def refusal(line: str | bytes) -> str:
    with pytest.raises(LineError) as error:
        decode_line(line)
    return str(error.value)


def rejection(lines: Sequence[str | bytes]) -> list[str]:
    """The problems an import into a fresh store prints; it must store nothing."""
    with memory_store() as orbit:
        with pytest.raises(ImportRejectedError) as rejected:
            orbit.import_lines(lines)
        assert orbit._store.count() == 0
    return [str(problem) for problem in rejected.value.problems]


# ------------------------------------------------------------------ duplicate keys


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (WAITLISTED.replace('"date"', '"participant":"P-18","date"'), "participant"),
        (SURVEY.replace('"score":4', '"score":4,"score":5'), "score"),
        (SURVEY.replace('"data":{', '"data":{"survey":"exit",'), "survey"),
        (REFERRAL.replace('"Bærum"', '{"a":1,"b":{"c":1,"c":1}}'), "c"),
    ],
    ids=["top-level", "data", "data-first", "nested-in-a-value"],
)
def test_a_key_given_twice_in_one_object_is_refused_by_name(line: str, key: str) -> None:
    assert refusal(line) == f"key {key!r} is given twice in one JSON object"


@given(
    key=st.text(min_size=1, max_size=12),
    first=st.none() | st.integers() | st.text(max_size=5),
    second=st.none() | st.integers() | st.text(max_size=5),
    where=st.sampled_from(("{", '"data":{')),
)
def test_any_key_given_twice_at_any_level_is_refused_whatever_the_values(
    key: str, first: Any, second: Any, where: str
) -> None:
    """The same key twice in the top-level object or in ``data`` is refused naming that
    key, whichever values it has: no parser's choice between them is trusted."""
    pairs = f"{json.dumps(key)}:{json.dumps(first)},{json.dumps(key)}:{json.dumps(second)},"
    line = SURVEY.replace(where, where + pairs, 1)

    message = refusal(line)

    assert message.startswith("key ")
    assert message.endswith(" is given twice in one JSON object")
    assert (repr(key) in message) if len(repr(key)) <= SHOWN_LENGTH else "..." in message


def test_keys_differing_only_in_case_or_escape_form_are_told_apart_correctly() -> None:
    """``"Date"`` is another key (and unknown); ``"\\u0064ate"`` is ``"date"`` again."""
    assert refusal(WAITLISTED.replace("}", ',"Date":"2024-03-02"}')) == "unknown field 'Date'"
    assert refusal(WAITLISTED.replace("}", ',"\\u0064ate":"2024-03-02"}')) == (
        "key 'date' is given twice in one JSON object"
    )


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16 LE (it starts with that byte order mark)"),
        ("utf-16-le", "UTF-16 LE (by its zero bytes)"),
        ("utf-16-be", "UTF-16 BE (by its zero bytes)"),
        ("utf-32", "UTF-32 LE (it starts with that byte order mark)"),
        ("utf-32-le", "UTF-32 LE (by its zero bytes)"),
        ("utf-32-be", "UTF-32 BE (by its zero bytes)"),
    ],
)
def test_a_utf16_or_utf32_line_is_refused_naming_its_encoding(encoding: str, named: str) -> None:
    with pytest.raises(WrongEncodingError) as error:
        decode_line(WAITLISTED.encode(encoding))

    assert str(error.value) == f"the file is {named}, not UTF-8; save it as UTF-8"


def test_a_utf16_be_byte_order_mark_is_named() -> None:
    assert refusal(b"\xfe\xff" + WAITLISTED.encode("utf-16-be")) == (
        "the file is UTF-16 BE (it starts with that byte order mark), not UTF-8; save it as UTF-8"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_file_in_utf16_or_utf32_is_refused_once_and_stores_nothing(encoding: str) -> None:
    """Its lines split at the wrong bytes: only the first is reported, with the encoding."""
    text = "\n".join([WAITLISTED, SURVEY, WAITLISTED]) + "\n"
    raw = text.encode(encoding)

    problems = rejection(raw.splitlines(keepends=True))

    assert len(problems) == 1
    assert problems[0].startswith("line 1: the file is UTF-")
    assert problems[0].endswith(", not UTF-8; save it as UTF-8")


def test_a_utf8_byte_order_mark_is_tolerated_at_the_start_of_the_file_only() -> None:
    referral = REFERRAL.encode("utf-8-sig")
    with memory_store([referral]) as orbit:
        assert orbit._store.count() == 1

    problems = rejection([REFERRAL.encode(), b"\xef\xbb\xbf" + SURVEY.encode()])

    assert problems == [
        "line 2: not valid JSON (a UTF-8 byte order mark is allowed only at the start of the file)"
    ]


def test_bytes_that_are_not_utf8_say_so() -> None:
    assert refusal(WAITLISTED.replace("P-17", "P-1\xe6").encode("latin-1")) == (
        "not valid JSON (not UTF-8)"
    )


# ------------------------------------------------------------------ recorded_at precision


@pytest.mark.parametrize(
    ("recorded_at", "decimals"),
    [("2024-03-01T12:00:00.123456789Z", 9), ("2024-03-01T12:00:00.1234567+01:00", 7)],
)
def test_a_recorded_at_finer_than_microseconds_is_refused_saying_the_limit(
    recorded_at: str, decimals: int
) -> None:
    line = WAITLISTED.replace("}", f',"recorded_at":"{recorded_at}"}}')

    assert refusal(line) == (
        f"Waitlisted for P-17: field 'recorded_at' has {decimals} decimals of a second; "
        "at most 6 (microseconds) are allowed"
    )


# ------------------------------------------------------------------ bounded echo

_HUGE = 100_000
_LONG_VALUES: dict[str, str] = {
    "unknown field": WAITLISTED.replace("}", ',"%s":1}'),
    "unknown data field": WAITLISTED.replace("}", ',"data":{"%s":1}}'),
    "type": '{"type":"%s","participant":"P-17","date":"2024-03-01"}',
    "programme": REFERRAL.replace('"AFT"', '"%s"'),
    "allocated programme": (
        '{"type":"SeatsAllocated","date":"2024-01-01","data":{"programme":"%s","seats":5}}'
    ),
    "participant": WAITLISTED.replace("P-17", "%s"),
    "id": WAITLISTED.replace("}", ',"id":"%s"}'),
    "date": WAITLISTED.replace("2024-03-01", "%s"),
    "recorded_at": WAITLISTED.replace("}", ',"recorded_at":"%s"}'),
    "recorded_at fraction": WAITLISTED.replace("}", ',"recorded_at":"2024-03-01T12:00:00.%sZ"}'),
    "gender": REFERRAL.replace('"municipality"', '"gender":"%s","municipality"'),
    "survey": SURVEY.replace('"user"', '"%s"'),
}


@given(
    where=st.sampled_from(sorted(_LONG_VALUES)),
    text=st.text(st.characters(codec="utf-8", exclude_characters='"\\'), min_size=1),
    size=st.integers(1_000, _HUGE),
)
def test_a_message_repeats_a_bounded_part_of_any_long_value(
    where: str, text: str, size: int
) -> None:
    """A value of up to 100 000 characters anywhere in a line (a field name, a code, a
    key, an id, a date) gives a message of a bounded length."""
    value = (text * (size // len(text) + 1))[:size]
    if where == "recorded_at fraction":
        value = "1" * size

    with memory_store() as orbit:
        try:
            orbit.import_lines([REFERRAL, _LONG_VALUES[where] % value])
        except ImportRejectedError as rejected:
            problems = [str(problem) for problem in rejected.problems]
        else:  # a long survey name is valid
            problems = []

    assert all(len(problem) <= 300 for problem in problems), problems


def test_a_course_code_repeated_by_a_rule_is_cut() -> None:
    course = "k" * 10_000
    completed = (
        '{"type":"CourseCompleted","participant":"P-17","date":"2024-03-02",'
        f'"data":{{"course":"{course}"}}}}'
    )

    problems = rejection([REFERRAL, completed])

    assert problems == [
        f"line 2: CourseCompleted for P-17: course '{'k' * 35}...' was not started in this "
        "journey, or is completed"
    ]


def test_no_problem_is_longer_than_the_cut_whatever_its_message() -> None:
    assert MAX_PROBLEM_LENGTH <= 1000
    huge_name = "x" * 50_000_000
    line = WAITLISTED.replace("}", f',"{huge_name}":1}}')

    (problem,) = rejection([line])

    assert problem == f"line 1: unknown field '{'x' * 35}...'"


# ------------------------------------------------------------------ national ids in keys

_FODSELSNUMMER = "15038550060"


def test_the_national_id_used_here_is_valid() -> None:
    assert contains_national_id(_FODSELSNUMMER)


@pytest.mark.parametrize(
    "key",
    [
        "150385-50060",
        "150385.500.60",
        "fnr:15038550060",
        "FNR-150385-50060",
        "fnr.15038550060",
        "P15038550060",
        "d_nr:15038550060",
    ],
)
def test_a_key_that_is_a_national_id_written_with_separators_or_a_prefix_is_refused(
    key: str,
) -> None:
    line = WAITLISTED.replace("P-17", key)

    message = refusal(line)

    assert message == (
        "Waitlisted: field 'participant' is a national identity number "
        "(fødselsnummer or D-number); orbit stores pseudonymous keys only"
    )
    assert "50060" not in message


@given(
    prefix=st.from_regex(r"[A-Za-z_:]{0,6}", fullmatch=True),
    cuts=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(".-")), max_size=4),
)
def test_a_valid_national_id_behind_any_prefix_and_separators_is_found(
    prefix: str, cuts: list[tuple[int, str]]
) -> None:
    digits = list(_FODSELSNUMMER)
    for place, separator in sorted(cuts, reverse=True):
        digits.insert(place, separator)

    assert contains_national_id(prefix + "".join(digits))


@pytest.mark.parametrize(
    "key", ["150385-50061", "fnr:15038550061", "P-1503855009", "150385500601", "15038550060x"]
)
def test_keys_without_a_valid_national_id_in_that_form_are_accepted(key: str) -> None:
    assert decode_line(WAITLISTED.replace("P-17", key)).participant == key
