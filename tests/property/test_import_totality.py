"""Validation is total: whatever the input, import stores it or names the bad lines.

Never another exception: a customer's broken export must give a message with line
numbers, not a traceback, and must store nothing.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from property_support import half_examples, memory_store
from strategies import Line, invalid_inputs, line_histories, texts_of


def import_or_problem_lines(orbit: Orbit, lines: list[str | bytes]) -> list[int] | None:
    """None when the import is accepted; else the line numbers of its problems.

    Any exception other than ``ImportRejectedError`` propagates and fails the test.
    """
    rejection: ImportRejectedError | None = None
    try:
        orbit.import_lines(lines)
    except ImportRejectedError as rejected:
        rejection = rejected
    if rejection is None:
        return None
    assert rejection.problems, "a rejection names at least one line"
    assert rejection.total >= len(rejection.problems)
    assert orbit._store.count() == 0, "a rejected import stores nothing"
    return [problem.line for problem in rejection.problems]


@half_examples
@given(line_histories(max_participants=3), st.data())
def test_any_line_among_valid_ones_is_either_imported_or_rejected_with_its_line_number(
    lines: list[Line], data: st.DataObject
) -> None:
    """A valid history with one more line put anywhere (any JSON value, an event-like
    object, a mutated valid line, any text, raw bytes) is imported, or rejected with
    ``ImportRejectedError`` naming only lines from that one on; never another error."""
    texts = texts_of(lines)
    position = data.draw(st.integers(0, len(texts)), label="position")
    extra = data.draw(invalid_inputs(texts), label="extra line")
    given_lines: list[str | bytes] = [*texts[:position], extra, *texts[position:]]

    with memory_store() as orbit:
        problem_lines = import_or_problem_lines(orbit, given_lines)

    if problem_lines is not None:
        assert all(position + 1 <= line <= len(given_lines) for line in problem_lines)


@half_examples
@given(
    st.binary(max_size=400)
    | st.lists(st.sampled_from((b"\n", b"{}", b"\xff", b"\r"))).map(b"".join)
)
def test_any_file_of_bytes_is_either_imported_or_rejected_with_line_numbers(raw: bytes) -> None:
    """Any bytes read as a file (split into lines at newlines, as ``orbit import`` reads
    one) are imported or rejected with line numbers inside the file; never another
    error."""
    line_count = len(list(io.BytesIO(raw)))

    with memory_store() as orbit:
        problem_lines = import_or_problem_lines(orbit, list(io.BytesIO(raw)))

    if problem_lines is not None:
        assert all(1 <= line <= line_count for line in problem_lines)


HUGE = "1" + "0" * 400
"""A JSON integer Python reads exactly, but too large for a float."""
LINES_WITH_A_HUGE_NUMBER = {
    "seats": '{"type":"SeatsAllocated","date":"2024-01-01","data":{"programme":"AFT","seats":%s}}',
    "score": '{"type":"SurveyAnswered","participant":"P-1","date":"2024-01-01",'
    '"data":{"survey":"user","score":%s,"scale_max":6}}',
    "scale_max": '{"type":"SurveyAnswered","participant":"P-1","date":"2024-01-01",'
    '"data":{"survey":"user","score":1,"scale_max":%s}}',
}


@pytest.mark.parametrize("field", ["seats", "score", "scale_max"])
def test_a_number_too_large_for_a_float_is_a_bad_line_not_a_crash(field: str) -> None:
    """An integer of 400 digits where a number is expected is a bad line (a customer's
    export may hold any number), not an ``OverflowError`` from the import."""
    with memory_store() as orbit:
        line = LINES_WITH_A_HUGE_NUMBER[field] % HUGE
        assert import_or_problem_lines(orbit, [line]) == [1]
