"""The events-v1 interchange format: one JSON object per line ↔ a domain event in its envelope.

Decoding is strict, as the spec asks: unknown fields, wrong JSON types and loose date
forms are errors, so typos never pass silently. Messages name the field and never echo
a personal value or a whole input line.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from orbit_adapters.envelopes import NewEvent
from orbit_adapters.national_id import contains_national_id
from orbit_domain.declaration import FieldDeclaration, ValueKind
from orbit_domain.errors import InvalidValueError, shown
from orbit_domain.events import (
    DECLARED_FIELDS,
    EVENT_TYPES,
    ORGANISATION_EVENT_TYPES,
    Event,
    Gender,
    HospiteringKind,
)
from orbit_domain.outcomes import Outcome

PARTICIPANT_KEY = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})")
_LONG_FRACTION = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7,}(Z|[+-]\d{2}:\d{2})")
_EVENT_ID = re.compile(r"[\x21-\x7e]{1,128}")
_TOP_LEVEL_FIELDS = frozenset({"type", "date", "participant", "id", "recorded_at", "data"})
_ABSENT = object()
"""A field not given at all, where JSON ``null`` (None) is a wrong value."""


class LineError(Exception):
    """One line of an events-v1 file is not valid; the message says which field and why."""


class WrongEncodingError(LineError):
    """The line is in another encoding than UTF-8, and so, most likely, is the whole file."""


class _DuplicateKeyError(Exception):
    """A JSON object gives one key twice (raised from inside the JSON decoder)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# ---------------------------------------------------------------- field parsers


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if not value.isascii() and not _is_utf8(value):
        raise ValueError(_LONE_SURROGATE)
    return value


def _code(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string")
    if not value.isascii() and not _is_utf8(value):
        raise ValueError(_LONE_SURROGATE)
    return value


_LONE_SURROGATE = "must be valid Unicode text (it holds a lone surrogate)"


def _is_utf8(text: str) -> bool:
    """False for text with a lone surrogate (``"\\ud800"`` in JSON): it cannot be exported."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be an integer")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer with more digits than any float holds
        finite = False
    if not finite:
        raise ValueError("must be a number")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _one_of(enum_type: type[enum.Enum]) -> Callable[[object], Any]:
    allowed = ", ".join(member.value for member in enum_type)
    # A dict lookup: calling the enum class finds the same member, several times slower.
    members: dict[object, enum.Enum] = {member.value: member for member in enum_type}

    def parse(value: object) -> Any:
        member = members.get(value) if isinstance(value, str) else None
        if member is None:
            raise ValueError(f"must be one of {allowed}")
        return member

    return parse


def _calendar_date(value: object) -> dt.date:
    """A ``data`` field holding a date, in the form the top-level ``date`` has."""
    if not isinstance(value, str) or _DATE.fullmatch(value) is None:
        raise ValueError("must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not a calendar date: {value}") from None


def _reference(value: object) -> str:
    """Another event's id, in the form ``id`` has."""
    if not isinstance(value, str) or _EVENT_ID.fullmatch(value) is None:
        raise ValueError("must be an event id: 1-128 printable ASCII characters without spaces")
    return value


_Parser = Callable[[object], Any]
_ENUMS = (Gender, HospiteringKind, Outcome)

_PARSERS: Mapping[ValueKind, Callable[[object], Any]] = {
    ValueKind.CODE: _code,
    ValueKind.TEXT: _string,
    ValueKind.INTEGER: _integer,
    ValueKind.NUMBER: _number,
    ValueKind.BOOLEAN: _boolean,
    ValueKind.DATE: _calendar_date,
    ValueKind.EVENT_ID: _reference,
}


def _parser(field: FieldDeclaration) -> Callable[[object], Any]:
    if field.choices is not None:
        return _one_of(field.choices)
    return _PARSERS[field.kind]


@attrs.frozen
class _DataSchema:
    """How one event type's ``data`` is decoded, derived from its declarations
    (``orbit_domain.events.DECLARED_FIELDS``): the fields in the order they are checked,
    which is also the order of the event's constructor after ``date``."""

    names: frozenset[str]
    fields: tuple[tuple[str, _Parser, bool], ...]  # name, parser, required


def _data_schema(event_type: type[Event], fields: tuple[FieldDeclaration, ...]) -> _DataSchema:
    # The event is made positionally, None for an absent field: that needs ``date`` first,
    # then the declared fields in order, each optional one defaulting to None.
    constructor = attrs.fields(event_type)
    if [field.name for field in constructor] != ["date", *(field.name for field in fields)] or any(
        field.default is not None for field in constructor[1:] if field.default is not attrs.NOTHING
    ):
        raise TypeError(f"{event_type.__name__}: date first, optional fields default to None")
    return _DataSchema(
        frozenset(field.name for field in fields),
        tuple((field.name, _parser(field), field.required) for field in fields),
    )


_DATA_SCHEMAS: dict[type[Event], _DataSchema] = {
    event_type: _data_schema(event_type, fields) for event_type, fields in DECLARED_FIELDS.items()
}


# ---------------------------------------------------------------- decoding


def decode_line(text: str | bytes) -> NewEvent:
    """Decode one non-blank line, or raise :class:`LineError`."""
    # Without its line break, so that a JSON error's column counts within the line.
    text = text.rstrip(b"\r\n") if isinstance(text, bytes) else text.rstrip("\r\n")
    try:
        obj = _parse_json(text)
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, an over-long integer
        raise LineError(f"not valid JSON ({_json_reason(error)})") from None
    except RecursionError:
        raise LineError("not valid JSON (nested too deeply)") from None
    except _DuplicateKeyError as error:
        raise LineError(f"key {shown(error.key)} is given twice in one JSON object") from None
    return decode_object(obj)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's pairs as a dict, refusing a key given twice (the last would win)."""
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


_SCAN: Callable[[str, int], tuple[object, int]] = json.JSONDecoder(
    object_pairs_hook=_unique_keys
).scan_once  # type: ignore[attr-defined]  # set in __init__, missing from the stubs


def _parse_json(text: str | bytes) -> object:
    """``json.loads(text)`` (refusing duplicate keys), by a shorter way for the usual line:
    UTF-8, no space around.

    Whatever the short way does not take whole goes to ``json.loads``, so every
    result and error is the one ``json.loads`` gives. Bytes must be UTF-8:
    ``json.loads`` would also read UTF-16 and UTF-32, which the format does not allow.
    """
    if isinstance(text, bytes):
        try:
            decoded = text.decode("utf-8", "surrogatepass")  # as json.loads decodes UTF-8
        except UnicodeDecodeError:
            _refuse_other_encoding(text)
            raise
    else:
        decoded = text
    try:
        # The decoder's scanner from the first character: what ``raw_decode`` does after
        # skipping whitespace, which a line rarely starts with (if it does, this fails).
        obj, end = _SCAN(decoded, 0)
    except (StopIteration, ValueError):
        return _loads(text, decoded)
    return obj if end == len(decoded) else _loads(text, decoded)


def _loads(text: str | bytes, decoded: str) -> object:
    if isinstance(text, bytes):
        _refuse_other_encoding(text)
    return json.loads(decoded, object_pairs_hook=_unique_keys)


_BYTE_ORDER_MARKS = (  # the four-byte ones first: UTF-32 LE's begins with UTF-16 LE's
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe", "UTF-16 LE"),
    (b"\xfe\xff", "UTF-16 BE"),
)


def _refuse_other_encoding(text: bytes) -> None:
    """Raise :class:`WrongEncodingError` if ``text`` is plainly UTF-16 or UTF-32."""
    encoding = _other_encoding(text)
    if encoding is not None:
        raise WrongEncodingError(f"the file is {encoding}, not UTF-8; save it as UTF-8")


def _other_encoding(text: bytes) -> str | None:
    """A byte order mark names the encoding; without one, the zero bytes that ASCII
    characters get in UTF-16 and UTF-32 do (where in the first four bytes tells which,
    as ``json.loads`` guesses)."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if text.startswith(mark):
            return f"{encoding} (it starts with that byte order mark)"
    head = text[:4]
    if head[:3] == b"\x00\x00\x00":
        return "UTF-32 BE (by its zero bytes)"
    if head[:1] == b"\x00":
        return "UTF-16 BE (by its zero bytes)"
    if head[1:4] == b"\x00\x00\x00":
        return "UTF-32 LE (by its zero bytes)"
    if head[1:2] == b"\x00":
        return "UTF-16 LE (by its zero bytes)"
    return None


def _json_reason(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        if error.msg.startswith("Unexpected UTF-8 BOM"):
            return "a UTF-8 byte order mark is allowed only at the start of the file"
        # "Unterminated string starting at" already ends in "at".
        at = "" if error.msg.endswith(" at") else " at"
        return f"{error.msg}{at} column {error.colno}"
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8"
    return "a number has too many digits"


def decode_object(obj: object) -> NewEvent:
    """Decode a parsed JSON value as an events-v1 event, or raise :class:`LineError`."""
    if not isinstance(obj, dict):
        raise LineError("must be a JSON object")
    if not _TOP_LEVEL_FIELDS.issuperset(obj):
        raise LineError(f"unknown field {shown(min(set(obj) - _TOP_LEVEL_FIELDS))}")
    type_name = obj.get("type", _ABSENT)
    if type_name is _ABSENT:
        raise LineError("missing field 'type'")
    event_type = EVENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if event_type is None:
        raise LineError(f"unknown type {_short(type_name)}")
    participant = None
    if event_type in _ORGANISATION_TYPES:
        if "participant" in obj:
            raise LineError(f"{type_name}: field 'participant' is only for participant events")
    else:
        participant = _participant_key(obj.get("participant", _ABSENT), type_name)
    try:
        date = _date(obj.get("date"))
        event_id = obj.get("id")
        if event_id is not None or "id" in obj:
            event_id = _event_id(event_id)
        recorded_at = obj.get("recorded_at")
        if recorded_at is not None or "recorded_at" in obj:
            recorded_at = parse_timestamp(recorded_at)
        event = _event(event_type, date, obj.get("data"))
    except LineError as error:
        prefix = type_name if participant is None else f"{type_name} for {participant}"
        raise LineError(f"{prefix}: {error}") from None
    return NewEvent(event, participant, event_id, recorded_at)


_ORGANISATION_TYPES: frozenset[type[Event]] = frozenset(ORGANISATION_EVENT_TYPES)


def check_envelope(new_event: NewEvent) -> None:
    """Check an event handed to ``Orbit.append`` by the rules a line of a file meets: a
    participant key (valid) exactly on participant events, a valid id, and a
    timezone-aware ``recorded_at``. Raise :class:`LineError` with the line's message."""
    type_name = new_event.event.TYPE
    participant = new_event.participant
    if type(new_event.event) in _ORGANISATION_TYPES:
        if participant is not None:
            raise LineError(f"{type_name}: field 'participant' is only for participant events")
        prefix = type_name
    else:
        _participant_key(_ABSENT if participant is None else participant, type_name)
        prefix = f"{type_name} for {participant}"
    try:
        if new_event.event_id is not None:
            _event_id(new_event.event_id)
        recorded_at = new_event.recorded_at
        if recorded_at is not None and recorded_at.utcoffset() is None:
            raise LineError("field 'recorded_at' must be timezone-aware")
    except LineError as error:
        raise LineError(f"{prefix}: {error}") from None


def _participant_key(key: object, type_name: str) -> str:
    """``key`` if it is a participant key (``_ABSENT``: none was given), else LineError."""
    if key is _ABSENT:
        raise LineError(f"{type_name}: missing field 'participant'")
    if not isinstance(key, str):
        raise LineError(f"{type_name}: field 'participant' {_NOT_A_KEY}")
    problem = _key_problem(key)
    if problem is not None:
        raise LineError(f"{type_name}: field 'participant' {problem}")
    return key


_NOT_A_KEY = "must be 1-64 characters of A-Z a-z 0-9 . _ : -"


@functools.lru_cache(maxsize=65_536)
def _key_problem(key: str) -> str | None:
    """Why ``key`` is not a participant key, or None: a file names each participant on
    many lines, and each key is checked once."""
    if PARTICIPANT_KEY.fullmatch(key) is None:
        return _NOT_A_KEY
    if contains_national_id(key):
        return (
            "is a national identity number (fødselsnummer or D-number); "
            "orbit stores pseudonymous keys only"
        )
    return None


def _date(value: object) -> dt.date:
    if value is None:
        raise LineError("missing field 'date'")
    if not isinstance(value, str):
        raise LineError("field 'date' must be a date YYYY-MM-DD")
    return _date_of(value)


@functools.lru_cache(maxsize=16_384)
def _date_of(text: str) -> dt.date:
    """A file's dates repeat (a day has many events): each is checked and parsed once."""
    if _DATE.fullmatch(text) is None:
        raise LineError("field 'date' must be a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LineError(f"field 'date' is not a calendar date: {text}") from None


def parse_timestamp(value: object) -> dt.datetime:
    """An ISO 8601 timestamp with an offset or ``Z``, as an aware datetime in UTC."""
    if not isinstance(value, str) or _TIMESTAMP.fullmatch(value) is None:
        if isinstance(value, str) and _LONG_FRACTION.fullmatch(value) is not None:
            fraction = value.partition(".")[2]
            decimals = len(fraction) - len(fraction.lstrip("0123456789"))
            raise LineError(
                f"field 'recorded_at' has {decimals} decimals of a second; "
                "at most 6 (microseconds) are allowed"
            )
        raise LineError(
            "field 'recorded_at' must be an ISO 8601 timestamp with an offset or Z, "
            "e.g. 2024-06-30T12:00:00Z"
        )
    try:
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    except (ValueError, OverflowError):  # OverflowError: the offset moves it out of years 1-9999
        raise LineError(f"field 'recorded_at' is not a real moment: {value}") from None


def _event_id(value: object) -> str:
    if not isinstance(value, str) or _EVENT_ID.fullmatch(value) is None:
        raise LineError("field 'id' must be 1-128 printable ASCII characters without spaces")
    return value


def _event(event_type: type[Event], date: dt.date, data: object) -> Event:
    schema = _DATA_SCHEMAS[event_type]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LineError("field 'data' must be a JSON object")
    if not schema.names.issuperset(data):
        raise LineError(f"unknown field {shown('data.' + min(set(data) - schema.names))}")
    values: list[Any] = [date]
    for name, parse, required in schema.fields:
        value = data.get(name, _ABSENT)
        if value is _ABSENT:
            if required:
                raise LineError(f"missing field 'data.{name}'")
            values.append(None)
            continue
        try:
            values.append(parse(value))
        except ValueError as error:
            raise LineError(f"field 'data.{name}' {error}") from None
    try:
        return event_type(*values)
    except InvalidValueError as error:
        raise LineError(f"field 'data.{error.field}' {error.reason}") from None


NUMBER_LIMITS: dict[str, float] = {
    field.name: field.at_most
    for fields in DECLARED_FIELDS.values()
    for field in fields
    if field.at_most is not None
}
"""The largest value of each bounded number field, in whichever event type has it, as
the events declare it (``at_most``)."""


def out_of_bounds(event: Event) -> str | None:
    """Why a number of ``event`` is outside its domain bound, or None.

    The importer asks it of each new event, after the id check: a store may hold
    values from before the bounds, and must still export them, report them and take
    its own export back as a no-op.
    """
    for field in _BOUNDED_FIELDS[type(event)]:
        name = field.name
        value = getattr(event, name)
        if value is None:
            continue
        if field.at_most_event_year:
            earliest = field.at_least
            if (earliest is not None and value < earliest) or value > event.date.year:
                # Not repeated: a birth year is personal.
                return (
                    f"field 'data.{name}' must be a year from {earliest} "
                    f"to {event.date.year}, the year of the referral"
                )
        elif value > NUMBER_LIMITS[name]:
            return f"field 'data.{name}' must be at most {NUMBER_LIMITS[name]}, not {shown(value)}"
        elif field.at_least is not None and value < field.at_least:
            return f"field 'data.{name}' must be at least {field.at_least}, not {shown(value)}"
    return None


def event_from_data(type_name: str, date: dt.date, data: object) -> Event:
    """Rebuild an event from its type name, date and ``data`` object (as stored)."""
    event_type = EVENT_TYPES.get(type_name)
    if event_type is None:
        raise LineError(f"unknown type {_short(type_name)}")
    return _event(event_type, date, data)


def _short(value: object) -> str:
    if isinstance(value, str):
        value = value[:41]  # enough to tell that it is cut below
    text = json.dumps(value, ensure_ascii=False)
    text = text if len(text) <= 40 else text[:37] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")  # no lone surrogates


# ---------------------------------------------------------------- encoding


def event_data(event: Event, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The ``data`` object of an event: its fields but ``date``, leaving out those not given.

    With ``fields``, only those of them, in that order.
    """
    data: dict[str, Any] = {}
    for name in _DATA_FIELDS[type(event)] if fields is None else fields:
        value = getattr(event, name)
        if value is not None:
            if isinstance(value, _ENUMS):
                value = value.value
            elif isinstance(value, dt.date):  # ProviderClosed's until
                value = value.isoformat()
            data[name] = value
    return data


_DATA_FIELDS: dict[type[Event], tuple[str, ...]] = {
    event_type: tuple(field.name for field in fields)
    for event_type, fields in DECLARED_FIELDS.items()
}


_BOUNDED_FIELDS: dict[type[Event], tuple[FieldDeclaration, ...]] = {
    event_type: tuple(
        field
        for field in fields
        if field.at_least is not None or field.at_most is not None or field.at_most_event_year
    )
    for event_type, fields in DECLARED_FIELDS.items()
}
BOUNDED_TYPES = frozenset(event_type for event_type, fields in _BOUNDED_FIELDS.items() if fields)
"""The event types with a bounded field: ``out_of_bounds`` of any other is None."""


def format_timestamp(moment: dt.datetime) -> str:
    """The canonical form of a moment: UTC, ``Z``, microseconds only when there are any."""
    utc = moment.astimezone(dt.UTC)
    text = utc.replace(microsecond=0, tzinfo=None).isoformat()  # strftime's %Y drops zeros
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def encode_object(
    event: Event, participant: str | None, event_id: str, recorded_at: dt.datetime
) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": event.TYPE}
    if participant is not None:
        obj["participant"] = participant
    obj["date"] = event.date.isoformat()
    data = event_data(event)
    if data:
        obj["data"] = data
    obj["recorded_at"] = format_timestamp(recorded_at)
    obj["id"] = event_id
    return obj


def encode_line(
    event: Event, participant: str | None, event_id: str, recorded_at: dt.datetime
) -> str:
    """One events-v1 line (without the newline), in the canonical form export writes."""
    return json.dumps(
        encode_object(event, participant, event_id, recorded_at),
        ensure_ascii=False,
        separators=(",", ":"),
    )
