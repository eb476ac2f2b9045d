"""How an event type declares its fields, once, for every layer that reads them.

Each field of an event class (but ``date``, which every event has) carries its
declaration in its attrs metadata: ``attrs.field(metadata=wire(ValueKind.CODE))``.
The declaration says what events-v1 holds there and what orbit does with it:

- its **wire name** is the attribute's name: one spelling, in the class, the file and
  the stored ``data``;
- it is **required** when the attribute has no default;
- its **default**: the value events-v1 gives an absent field (``None``: absent means
  "not given" and nothing else); the event keeps ``None`` so that an export writes back
  what was imported, and its ``effective_*`` property applies the default;
- its **bounds**, checked on import of each new event only (a store may hold values
  from before a bound existed); the domain's validators hold always;
- whether it is **personal**: stored sealed, destroyed on erasure, never in a message.

From these the adapters derive the codec's schemas and number limits, the personal
fields, and the row fold's defaults (``orbit_adapters``); ``DECLARED_FIELDS`` in
:mod:`orbit_domain.events` collects them per event type.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs


class ValueKind(enum.Enum):
    """What a field holds on the wire, as events-v1 checks it."""

    CODE = "a non-empty string"
    TEXT = "a string"
    INTEGER = "an integer"
    NUMBER = "a finite number"
    BOOLEAN = "true or false"
    DATE = "a date YYYY-MM-DD"
    EVENT_ID = "another event's id"
    CHOICE = "one of the values of an enum"


@attrs.frozen
class FieldDeclaration:
    """One field of an event type, as declared on its class."""

    name: str
    """The attribute's name, which is also the field's name in events-v1's ``data``."""
    kind: ValueKind
    required: bool
    choices: type[enum.Enum] | None = None
    """For ``ValueKind.CHOICE``: the enum whose values are allowed."""
    default: object = None
    """What an absent field means, in the domain's terms (``None``: no default)."""
    at_least: float | None = None
    at_most: float | None = None
    at_most_event_year: bool = False
    """The bound is the year of the event's own ``date`` (a birth year)."""
    personal: bool = False


_KEY = "orbit.wire"


@attrs.frozen
class _Wire:
    kind: ValueKind
    choices: type[enum.Enum] | None
    default: object
    at_least: float | None
    at_most: float | None
    at_most_event_year: bool
    personal: bool


def wire(
    kind: ValueKind | type[enum.Enum],
    *,
    default: object = None,
    at_least: float | None = None,
    at_most: float | None = None,
    at_most_event_year: bool = False,
    personal: bool = False,
) -> Mapping[str, Any]:
    """The attrs ``metadata`` of an event field; an enum class as ``kind`` is a choice."""
    choices = None
    if isinstance(kind, type):
        choices, kind = kind, ValueKind.CHOICE
    return {_KEY: _Wire(kind, choices, default, at_least, at_most, at_most_event_year, personal)}


def declared_fields(event_type: type) -> tuple[FieldDeclaration, ...]:
    """The declarations of an event class's fields but ``date``, in the class's order.

    Raises ``TypeError`` for a field declared without :func:`wire`: every field of an
    event must say what it is, or the codec and the privacy split could not know.
    """
    declarations = []
    for field in attrs.fields(event_type):
        if field.name == "date":
            continue
        declared = field.metadata.get(_KEY)
        if not isinstance(declared, _Wire):
            raise TypeError(f"{event_type.__name__}.{field.name} has no wire(...) declaration")
        required = field.default is attrs.NOTHING
        if required and declared.default is not None:
            raise TypeError(f"{event_type.__name__}.{field.name} is required: it has no default")
        declarations.append(
            FieldDeclaration(
                name=field.name,
                kind=declared.kind,
                required=required,
                choices=declared.choices,
                default=declared.default,
                at_least=declared.at_least,
                at_most=declared.at_most,
                at_most_event_year=declared.at_most_event_year,
                personal=declared.personal,
            )
        )
    return tuple(declarations)
