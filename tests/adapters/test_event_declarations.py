"""Each event type declares its fields once (orbit_domain.declaration); the codec, the
privacy split, the store's row fold and the checkpoint codec agree with that declaration.

The histories here are made from the declarations themselves: a field added to an
event class is given a value, imported, stored, folded both ways and exported, without
this file changing. Adding an event type means: its class with declared fields in
orbit_domain/events.py (and in the type tuples there), its rules in journey.py, its
handling in the domain fold (projections/folding.py) and the row fold
(read_model/row_fold.py), and a place for it in ``HISTORY`` below.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from typing import Any

import attrs
import pytest

from orbit_adapters.events_v1 import NUMBER_LIMITS, decode_line
from orbit_adapters.read_model.row_fold import FOLDED_TYPES, fold_rows
from orbit_adapters.read_model.state_codec import decode_state, encode_state
from orbit_adapters.row_events import row_event
from orbit_adapters.store.replay_rows import replay_pages
from orbit_adapters.store.rows import ORGANISATION_STREAM, StoredRow, from_microseconds
from orbit_domain.declaration import FieldDeclaration, ValueKind, declared_fields, wire
from orbit_domain.events import (
    DECLARED_FIELDS,
    EVENT_TYPES,
    CourseStarted,
    Event,
    HospiteringStarted,
    ParticipantReferred,
    PlacementStarted,
    SeatsAllocated,
)
from orbit_domain.history import Recorded
from orbit_domain.privacy import PERSONAL_FIELDS
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    JourneyTimeline,
    Timelines,
    TimelinesBuilder,
    fold,
)
from orbit_domain.projections.organisation import OrganisationFacts
from property_support import memory_store

FIRST_DAY = dt.date(2024, 1, 1)
FACT_ID = "fact-1"

HISTORY: list[tuple[str | None, str]] = [
    (None, "SeatsAllocated"),
    (None, "ComplaintReceived"),
    (None, "FactRetracted"),
    (None, "StaffTrainingRecorded"),
    (None, "ProviderClosed"),
    ("P-1", "ParticipantReferred"),
    ("P-1", "Waitlisted"),
    ("P-1", "PlacementStarted"),
    ("P-1", "PercentageChanged"),
    ("P-1", "HospiteringStarted"),
    ("P-1", "HospiteringEnded"),
    ("P-1", "CourseStarted"),
    ("P-1", "CourseCompleted"),
    ("P-1", "SurveyAnswered"),
    ("P-1", "ParticipantExited"),
    ("P-1", "ExitCorrected"),
    ("P-2", "ParticipantReferred"),
    ("P-2", "ReferralWithdrawn"),
]
"""One valid history with every event type, in store order: (participant, type)."""

SAME_DAY_AS_BEFORE = {"FactRetracted", "ExitCorrected"}
"""Types dated at the event they refer to (the fact, the exit): the line before."""


def _sample(field: FieldDeclaration, day: dt.date) -> Any:
    """A wire value for ``field`` that is valid and differs from its default."""
    if field.choices is not None:
        members = [member for member in field.choices if member != field.default]
        return members[-1].value
    values: dict[ValueKind, Any] = {
        ValueKind.CODE: "AFT",
        ValueKind.TEXT: "some text",
        ValueKind.INTEGER: 1980 if field.at_most_event_year else 50,
        ValueKind.NUMBER: 4.5,
        ValueKind.BOOLEAN: not field.default,
        ValueKind.DATE: (day + dt.timedelta(days=3)).isoformat(),
        ValueKind.EVENT_ID: FACT_ID,
    }
    return values[field.kind]


def history_lines(*, full: bool) -> list[str]:
    """``HISTORY`` as events-v1 lines: with every declared field, or the required ones only."""
    lines = []
    day = FIRST_DAY
    for number, (participant, type_name) in enumerate(HISTORY):
        if type_name not in SAME_DAY_AS_BEFORE:
            day += dt.timedelta(days=7)
        fields = DECLARED_FIELDS[EVENT_TYPES[type_name]]
        obj: dict[str, Any] = {
            "type": type_name,
            "date": day.isoformat(),
            "id": FACT_ID if type_name == "ComplaintReceived" else f"e-{number}",
        }
        if participant is not None:
            obj["participant"] = participant
        data = {f.name: _sample(f, day) for f in fields if full or f.required}
        if data:
            obj["data"] = data
        lines.append(json.dumps(obj))
    return lines


def test_the_history_has_every_event_type() -> None:
    assert {type_name for _, type_name in HISTORY} == set(EVENT_TYPES)


def test_every_event_type_declares_its_fields_and_the_row_fold_folds_it() -> None:
    assert set(DECLARED_FIELDS) == set(EVENT_TYPES.values())
    assert set(FOLDED_TYPES) == set(EVENT_TYPES)
    for event_type, fields in DECLARED_FIELDS.items():
        names = [field.name for field in attrs.fields(event_type) if field.name != "date"]
        assert [field.name for field in fields] == names


def test_a_field_without_a_declaration_is_refused() -> None:
    @attrs.frozen
    class Undeclared:
        date: dt.date
        declared: str = attrs.field(metadata=wire(ValueKind.CODE))
        forgotten: str | None = None

    with pytest.raises(TypeError, match=r"Undeclared\.forgotten has no wire"):
        declared_fields(Undeclared)


def test_a_required_field_cannot_have_a_default() -> None:
    @attrs.frozen
    class Contradictory:
        date: dt.date
        level: int = attrs.field(metadata=wire(ValueKind.INTEGER, default=3))

    with pytest.raises(TypeError, match="is required"):
        declared_fields(Contradictory)


def test_the_personal_fields_are_the_declared_ones() -> None:
    declared = {
        (event_type, field.name)
        for event_type, fields in DECLARED_FIELDS.items()
        for field in fields
        if field.personal
    }
    derived = {
        (event_type, name) for event_type, names in PERSONAL_FIELDS.items() for name in names
    }
    assert derived == declared
    assert declared  # the check above would pass on nothing


def test_the_number_limits_are_the_declared_bounds() -> None:
    assert NUMBER_LIMITS == {"seats": 100_000, "scale_max": 1_000, "days": 100_000}


@pytest.mark.parametrize("type_name", sorted(EVENT_TYPES))
def test_each_required_field_is_required_by_the_codec(type_name: str) -> None:
    lines = history_lines(full=False)
    line = next(line for line in lines if json.loads(line)["type"] == type_name)
    for field in DECLARED_FIELDS[EVENT_TYPES[type_name]]:
        if field.required:
            obj = json.loads(line)
            del obj["data"][field.name]
            with pytest.raises(Exception, match=rf"missing field 'data\.{field.name}'"):
                decode_line(json.dumps(obj))


def test_the_declared_defaults_are_what_the_events_make_of_an_absent_field() -> None:
    day = FIRST_DAY
    assert ParticipantReferred(day, "AFT").effective_gender == _default(
        ParticipantReferred, "gender"
    )
    assert PlacementStarted(day).effective_percentage == _default(PlacementStarted, "percentage")
    assert HospiteringStarted(day).effective_kind == _default(HospiteringStarted, "kind")
    assert CourseStarted(day, "C").uses_licence == _default(CourseStarted, "licence")


def _default(event_type: type[Event], name: str) -> object:
    return next(field.default for field in DECLARED_FIELDS[event_type] if field.name == name)


@pytest.mark.parametrize("full", [True, False], ids=["every field", "required fields only"])
def test_codec_privacy_split_row_fold_and_checkpoint_agree_on_every_event_type(
    full: bool,
) -> None:
    lines = history_lines(full=full)
    with memory_store(lines) as orbit:
        store = orbit._store
        with store.reading() as reader:
            stored = list(reader.rows())
            events = [_recorded(row) for row in stored]
            rows = [
                row for page in replay_pages(reader.connection, store.organisation) for row in page
            ]
        exported = [json.loads(line) for line in orbit.export_lines()]

    # The codec: what was imported is exported, field for field.
    assert [obj.get("data", {}) for obj in exported] == [
        json.loads(line).get("data", {}) for line in lines
    ]
    # The privacy split: personal fields are sealed, never in the stored skeleton.
    for row, line in zip(stored, lines, strict=True):
        event_type = EVENT_TYPES[row.type]
        given = set(json.loads(line).get("data", {}))
        personal = PERSONAL_FIELDS.get(event_type, frozenset())
        assert set(json.loads(row.data)) == given - personal
        assert (row.personal is not None) == bool(given & personal)
    # The row fold: the state the domain's fold gives, defaults included.
    builder = TimelinesBuilder(EMPTY_TIMELINES)
    fold_rows(builder, rows)
    state = fold(EMPTY_TIMELINES, events)
    assert builder.build() == state
    # The checkpoint codec keeps that state whole.
    assert decode_state(encode_state(state)) == state


def _recorded(row: StoredRow) -> Recorded:
    participant = None if row.stream == ORGANISATION_STREAM else row.stream
    return Recorded(participant, from_microseconds(row.recorded_us), row_event(row), row.event_id)


# ---------------------------------------------------------------- the checkpoint codec


def test_the_checkpoint_codec_keeps_every_field_the_timelines_have() -> None:
    """A state whose every record has every field set to something else than its
    default: a field added to the timelines (or to a record in them) that the codec
    does not write comes back as its default, and fails this."""
    journey = _filled(JourneyTimeline)
    state = Timelines(
        journeys={journey.participant: (journey,)},
        allocations={"": (_filled(SeatsAllocated),)},
        events_folded=7,
        facts=_filled(OrganisationFacts),
    )
    assert decode_state(encode_state(state)) == state
    assert {field.name for field in attrs.fields(Timelines)} == {
        "journeys",
        "allocations",
        "events_folded",
        "facts",
    }, "a new part of the fold state: give it a value above, and to the codec"


def _filled(record_type: Any, seed: int = 1) -> Any:
    """An instance of an attrs class or named tuple with every field set, not default."""
    hints = typing.get_type_hints(record_type)
    if attrs.has(record_type):
        names = [field.name for field in attrs.fields(record_type)]
    else:
        names = list(record_type._fields)
    values = [_value(hints[name], seed + index) for index, name in enumerate(names)]
    return record_type(*values)


def _value(hint: Any, seed: int) -> Any:
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _value(next(a for a in arguments if a is not type(None)), seed)
    if origin is tuple:
        return (_value(arguments[0], seed), _value(arguments[0], seed + 1))
    if hint is dt.date:
        return FIRST_DAY + dt.timedelta(days=seed)
    if hint is bool:
        return True
    if hint is int:
        return seed + 2
    if hint is float:
        return seed + 0.5
    if hint is str:
        return f"S{seed}"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return list(hint)[seed % len(hint)]
    return _filled(hint, seed)
