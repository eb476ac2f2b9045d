"""The columnar checkpoint gives back the fold state it was made from, to the type."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given

from orbit_adapters.read_model.state_codec import StateFormatError, decode_state, encode_state
from orbit_domain.history import Recorded
from orbit_domain.projections import EMPTY_TIMELINES, fold
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
