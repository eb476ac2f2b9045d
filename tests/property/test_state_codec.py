"""The columnar checkpoint gives back the fold state it was made from, to the type."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from array import array

import pytest
from hypothesis import given

from orbit_adapters.read_model.state_codec import (
    _COLUMNS,
    _MAGIC,
    StateFormatError,
    decode_state,
    encode_state,
)
from orbit_domain.events import Gender
from orbit_domain.history import Recorded
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    JourneyTimeline,
    PercentageFrom,
    Timelines,
    fold,
)
from property_support import half_examples
from strategies import histories


@half_examples
@given(histories(max_participants=4))
def test_a_fold_state_comes_back_as_it_was_made(history: list[Recorded]) -> None:
    timelines = fold(EMPTY_TIMELINES, history)

    decoded = decode_state(encode_state(timelines))

    assert decoded == timelines
    # repr tells 4 from 4.0 and True from 1, which == does not
    assert repr(decoded) == repr(timelines)


def test_the_empty_state_comes_back_empty() -> None:
    assert decode_state(encode_state(EMPTY_TIMELINES)) == EMPTY_TIMELINES


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"not zlib",
        zlib.compress(b'{"format":"orbit-timelines/3","journeys":{}}'),
        zlib.compress(b"orbit-timelines/4\n\x05\x00\x00\x00{}"),
        zlib.compress(b"orbit-timelines/4\n\xff\xff\x00\x00{"),
    ],
    ids=["empty", "not-compressed", "format-3", "no-format", "cut-short"],
)
def test_bytes_that_are_not_a_checkpoint_of_this_format_are_refused(blob: bytes) -> None:
    with pytest.raises(StateFormatError):
        decode_state(blob)


def test_columns_that_do_not_add_up_are_refused() -> None:
    blob = zlib.decompress(encode_state(EMPTY_TIMELINES))

    with pytest.raises(StateFormatError):
        decode_state(zlib.compress(blob + b"\x01\x00\x00\x00"))


def _with_column(blob: bytes, name: str, values: list[int]) -> bytes:
    """The checkpoint with one column's values replaced (its length in the header too)."""
    raw = zlib.decompress(blob)
    start = len(_MAGIC) + 4
    size = int.from_bytes(raw[len(_MAGIC) : start], "little")
    header = json.loads(raw[start : start + size])
    columns, offset = [], start + size
    for length in header["lengths"]:
        columns.append(list(array("i", raw[offset : offset + 4 * length])))
        offset += 4 * length
    columns[_COLUMNS.index(name)] = values
    header["lengths"] = [len(column) for column in columns]
    head = json.dumps(header).encode()
    body = b"".join(array("i", column).tobytes() for column in columns)
    return zlib.compress(_MAGIC + len(head).to_bytes(4, "little") + head + body)


_ONE_JOURNEY = Timelines(
    journeys={
        "P-1": (
            JourneyTimeline(
                "P-1",
                "AFT",
                Gender.FEMALE,
                dt.date(2024, 1, 2),
                placed_on=dt.date(2024, 1, 3),
                percentages=(
                    PercentageFrom(dt.date(2024, 1, 3), 50),
                    PercentageFrom(dt.date(2024, 2, 1), 80),
                ),
            ),
        )
    }
)


def test_the_helper_rewrites_a_checkpoint_that_still_decodes() -> None:
    blob = _with_column(encode_state(_ONE_JOURNEY), "percentages", [2])

    assert decode_state(blob) == _ONE_JOURNEY


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("percentages", [3]),  # more records than the column holds
        ("percentages", [1]),  # a record left over
        ("journeys", [2]),  # more journeys than there are
        ("journeys", [0]),  # a journey left over
        ("placed_on", []),  # a journey column shorter than the others
        ("percentage_start", [738_888]),  # a record column shorter than its values
    ],
)
def test_counts_and_columns_that_do_not_match_are_refused(name: str, values: list[int]) -> None:
    with pytest.raises(StateFormatError):
        decode_state(_with_column(encode_state(_ONE_JOURNEY), name, values))


def test_a_negative_count_is_refused_even_where_the_counts_add_up() -> None:
    two = Timelines(journeys={"P-1": _ONE_JOURNEY.journeys["P-1"] * 2})
    blob = _with_column(encode_state(two), "percentages", [5, -1])

    with pytest.raises(StateFormatError):
        decode_state(blob)
