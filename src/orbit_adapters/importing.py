"""Import: validate events against the store and the file's earlier lines, then append atomically.

The import streams: it reads, validates and appends in batches inside one write
transaction, keeping only each touched stream's small state in memory. Valid lines are
appended even after a bad one, so that later lines are checked against them exactly as
a clean import would (an id used twice in one file, say); any bad line rolls the whole
transaction back, so a rejected import stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, cast

import attrs

from orbit_adapters.envelopes import NewEvent
from orbit_adapters.events_v1 import (
    BOUNDED_TYPES,
    LineError,
    WrongEncodingError,
    check_envelope,
    decode_line,
    event_data,
    out_of_bounds,
)
from orbit_adapters.privacy.directory import FORGOTTEN_PREFIX, Participant, ParticipantDirectory
from orbit_adapters.privacy.keyring import verify_master_key
from orbit_adapters.privacy.master_key import MasterKey
from orbit_adapters.row_events import row_event
from orbit_adapters.store.event_store import EventStore, StoreWriter
from orbit_adapters.store.rows import (
    ORGANISATION_STREAM,
    NewRow,
    StoredRow,
    from_microseconds,
    to_microseconds,
)
from orbit_domain.declaration import ValueKind
from orbit_domain.errors import RuleViolationError
from orbit_domain.events import (
    DECLARED_FIELDS,
    ORGANISATION_EVENT_TYPES,
    Event,
    OrganisationEvent,
    ParticipantEvent,
)
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from orbit_domain.privacy import personal_fields

MAX_REPORTED_PROBLEMS = 50
MAX_PROBLEM_LENGTH = 1000
"""A problem's message is cut to this many characters, whatever a rule puts in it."""
REFRESH_STATISTICS_AFTER = 10_000
"""Events stored by one import after which the database's statistics are refreshed."""
_BATCH_SIZE = 2000
CLOCK_SKEW = dt.timedelta(minutes=5)
"""How far past the time of the import a line's recorded_at may be: another system's
clock may run a little ahead. Anything later is a typo that would block its stream."""


def _compact_encoder() -> Callable[[object], str]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, made once for
    the whole import.

    ``JSONEncoder.encode`` sets up its C encoder again on every call, which costs more
    than encoding an event's small data. This makes that C encoder once, with the
    arguments ``JSONEncoder.iterencode`` gives it (but no check for cycles: parsed JSON
    has none), and falls back to ``encode`` where the C accelerator is missing.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if make_encoder is None:
        return encoder.encode
    encode = make_encoder(
        None, encoder.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda value: "".join(encode(value, 0))


_compact_json = _compact_encoder()

NumberedLine = tuple[int, str | bytes]
NumberedEvent = tuple[int, NewEvent | LineError]


@attrs.frozen
class ImportResult:
    stored: int
    already_stored: int


@attrs.frozen
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportRejectedError(Exception):
    """The input had bad lines; nothing was stored."""

    def __init__(self, problems: list[LineProblem], total: int) -> None:
        super().__init__(f"{total} bad line(s); nothing was stored")
        self.problems = problems
        self.total = total


def numbered_lines(lines: Iterable[str | bytes]) -> Iterator[NumberedLine]:
    """The non-blank lines with their 1-based line numbers (a UTF-8 BOM is tolerated)."""
    numbered = enumerate(lines, start=1)
    for number, line in numbered:  # the first line, which alone may start with a BOM
        text = (
            line.removeprefix(b"\xef\xbb\xbf")
            if isinstance(line, bytes)
            else line.removeprefix("\ufeff")
        )
        if text and not text.isspace():
            yield number, text
        break
    for number, text in numbered:
        if text and not text.isspace():  # as ``text.strip()``, without copying the line
            yield number, text


def checked_envelopes(events: Iterable[NewEvent]) -> Iterator[NumberedEvent]:
    """Events given to ``Orbit.append``, numbered from 1, each checked by the rules its
    line in a file would meet (a bad one becomes that line's problem)."""
    for number, new_event in enumerate(events, start=1):
        try:
            check_envelope(new_event)
        except LineError as error:
            yield number, error
        else:
            yield number, new_event


def decoded(lines: Iterable[NumberedLine]) -> Iterator[NumberedEvent]:
    """Each line decoded, or its error; a file in another encoding than UTF-8 is named
    once, and not read further (its later lines would only repeat it, less clearly)."""
    for number, text in lines:
        try:
            yield number, decode_line(text)
        except WrongEncodingError as error:
            yield number, error
            return
        except LineError as error:
            yield number, error


@attrs.define
class _Stream:
    """What the import knows of one stream: its rule state and its last version."""

    state: ParticipantState | OrganisationState
    version: int


class _IdFilter:
    """The event ids an import has stored, as a Bloom filter: "maybe" or "certainly not".

    One bit per id in 4 MiB, whatever the import's size: for a million ids it answers
    "maybe" wrongly for about 3 % of new ones, which are then looked up in the store.
    """

    _BYTES = 1 << 22

    def __init__(self) -> None:
        self._bits = bytearray(self._BYTES)

    def update(self, event_ids: Iterable[str]) -> None:
        # hash(): computed once per string, and the same throughout a process.
        bits, mask = self._bits, self._BYTES - 1
        for event_id in event_ids:
            code = hash(event_id)
            bits[(code >> 3) & mask] |= 1 << (code & 7)

    def maybe_among(self, event_ids: Iterable[str]) -> set[str]:
        """Those of ``event_ids`` that may have been added."""
        bits, mask = self._bits, self._BYTES - 1
        return {
            event_id
            for event_id in event_ids
            if bits[((code := hash(event_id)) >> 3) & mask] & (1 << (code & 7))
        }


class Importer:
    """One import into one store; ``run`` it once."""

    def __init__(
        self,
        store: EventStore,
        master_key: MasterKey,
        *,
        now: dt.datetime,
        new_event_id: Callable[[], str],
        allow_forgotten: str | None = None,
        allow_future: bool = False,
    ) -> None:
        self._store = store
        self._allow_forgotten = allow_forgotten
        self._master_key = master_key
        self._now = now
        # With ``allow_future`` (test data written ahead of time), no recorded_at is too late.
        self._latest_recorded_at = (
            dt.datetime.max.replace(tzinfo=dt.UTC) if allow_future else (now + CLOCK_SKEW)
        )
        self._new_event_id = new_event_id
        self._streams: dict[str, _Stream] = {}
        # When the organisation had no events before this import, the ids it stored
        # itself are the only ones a line's id can clash with: those certainly not among
        # them need no lookup in the store (slow in a big store: random index pages).
        self._stored_here: _IdFilter | None = None
        # Keys whose lines are refused (forgotten), and ``forgotten-<stream>`` keys of this
        # store's own export, whose lines may only repeat what is stored.
        self._refused_keys: dict[str, str] = {}
        self._forgotten_streams: dict[str, str] = {}
        self._problems: list[LineProblem] = []
        self._problem_count = 0
        self._stored = 0
        self._already_stored = 0

    def run(self, events: Iterable[NumberedEvent]) -> ImportResult:
        with self._store.writing() as writer:
            verify_master_key(writer.connection, self._master_key)
            if not writer.has_events():
                self._stored_here = _IdFilter()
            directory = ParticipantDirectory(
                writer.connection, self._store.organisation, self._master_key
            )
            iterator = iter(events)
            while batch := list(islice(iterator, _BATCH_SIZE)):
                writer.append(self._validate_batch(writer, directory, batch))
            if self._problem_count:
                raise ImportRejectedError(self._problems, self._problem_count)
        if self._stored >= REFRESH_STATISTICS_AFTER:
            self._store.refresh_statistics()
        return ImportResult(self._stored, self._already_stored)

    def _validate_batch(
        self, writer: StoreWriter, directory: ParticipantDirectory, batch: list[NumberedEvent]
    ) -> list[NewRow]:
        wire_events = [item for _, item in batch if isinstance(item, NewEvent)]
        keys = {wire.participant for wire in wire_events}  # None: an organisation event
        participants = self._participants(directory, {key for key in keys if key is not None})
        streams = {participant.stream for participant in participants.values()}
        if None in keys:
            streams.add(ORGANISATION_STREAM)
        self._load_streams(writer, directory, streams)
        event_ids = {wire.event_id for wire in wire_events}
        event_ids.discard(None)
        stored_ids = writer.by_event_id(self._maybe_stored(cast(set[str], event_ids)))
        stored_contents = {
            event_id: _stored_content(row, directory) for event_id, row in stored_ids.items()
        }
        seen_in_batch: dict[str, tuple[int, NewEvent]] = {}
        rows: list[NewRow] = []
        for number, item in batch:
            if isinstance(item, LineError):
                self._problem(number, str(item))
                continue
            participant = None
            if item.participant is not None:
                participant = participants.get(item.participant)
                if participant is None:
                    self._not_for_a_participant(number, item, stored_contents)
                    continue
            row = self._validate(
                number, item, participant, directory, stored_contents, seen_in_batch
            )
            if row is not None:
                rows.append(row)
        if self._stored_here is not None:
            self._stored_here.update(row.event_id for row in rows)
        return rows

    def _participants(
        self, directory: ParticipantDirectory, keys: set[str]
    ) -> dict[str, Participant]:
        """The directory entries of ``keys``, new ones made for new keys; a key forgotten
        before gets one only with ``allow_forgotten`` (logged), else its lines are refused.
        """
        keys -= self._refused_keys.keys() | self._forgotten_streams.keys()
        participants = directory.participants(keys, create=False)
        new = keys - participants.keys()
        for key in [key for key in new if key.startswith(FORGOTTEN_PREFIX)]:
            stream = directory.forgotten_stream(key)
            if stream is not None:
                self._forgotten_streams[key] = stream
                new.discard(key)
        for key, date in directory.forgotten_on(new).items():
            if self._allow_forgotten is None:
                self._refused_keys[key] = (
                    f"this participant was forgotten on {date} (orbit forget); their "
                    "events are imported again only with --allow-forgotten and a --reason, "
                    "as a new person"
                )
                new.discard(key)
            else:
                directory.readmit(
                    key,
                    date=self._now.date().isoformat(),
                    recorded_us=to_microseconds(self._now),
                    reason=self._allow_forgotten,
                )
        participants.update(directory.create(new))
        return participants

    def _not_for_a_participant(
        self,
        number: int,
        wire: NewEvent,
        stored_contents: dict[str, tuple[object, ...]],
    ) -> None:
        """A line of a forgotten key, or of the export's ``forgotten-<stream>``: the latter
        may repeat a stored event of that stream (a no-op), never add one."""
        assert wire.participant is not None
        refused = self._refused_keys.get(wire.participant)
        if refused is not None:
            self._problem(number, f"{_subject(wire)}: {refused}")
            return
        if wire.event_id is not None and wire.event_id in stored_contents:
            duplicate = self._duplicate(wire.event_id, wire, stored_contents, {})
            if duplicate == "":
                self._already_stored += 1
                return
        self._problem(
            number,
            f"{_subject(wire)}: this stream's participant has been forgotten; "
            "no event is added to it",
        )

    def _validate(
        self,
        number: int,
        wire: NewEvent,
        participant: Participant | None,
        directory: ParticipantDirectory,
        stored_contents: dict[str, tuple[object, ...]],
        seen_in_batch: dict[str, tuple[int, NewEvent]],
    ) -> NewRow | None:
        event_id = wire.event_id
        if event_id is not None:
            if event_id in seen_in_batch or event_id in stored_contents:
                duplicate = self._duplicate(event_id, wire, stored_contents, seen_in_batch)
                if duplicate:
                    self._problem(number, f"{_subject(wire)}: {duplicate}")
                else:
                    self._already_stored += 1
                return None
            seen_in_batch[event_id] = (number, wire)
        event = wire.event
        if type(event) in BOUNDED_TYPES:
            out_of_bound = out_of_bounds(event)
            if out_of_bound is not None:
                self._problem(number, f"{_subject(wire)}: {out_of_bound}")
                return None
        recorded_at = wire.recorded_at or self._now
        if recorded_at > self._latest_recorded_at:
            self._problem(number, f"{_subject(wire)}: {self._future(recorded_at)}")
            return None
        if event_id is None:
            event_id = self._new_event_id()
        stream_id = ORGANISATION_STREAM if participant is None else participant.stream
        stream = self._streams[stream_id]
        try:
            stream.state = _decide_and_evolve(stream.state, wire, recorded_at, event_id)
        except RuleViolationError as error:
            self._problem(number, str(error))
            return None
        stream.version += 1
        self._stored += 1
        skeleton, personal = _split_personal(event)
        sealed = None
        if personal and participant is not None:
            sealed = directory.seal_personal(
                participant, event_id, _compact_json(personal).encode()
            )
        return NewRow(
            stream_id,
            stream.version,
            event_id,
            event.TYPE,
            event.date.isoformat(),
            to_microseconds(recorded_at),
            _compact_json(skeleton) if skeleton else "{}",
            sealed,
        )

    def _duplicate(
        self,
        event_id: str,
        wire: NewEvent,
        stored_contents: dict[str, tuple[object, ...]],
        seen_in_batch: dict[str, tuple[int, NewEvent]],
    ) -> str | None:
        """None for a new id; "" for the same content again; else why it clashes."""
        if event_id in seen_in_batch:
            earlier_line, earlier = seen_in_batch[event_id]
            if _same(_content(wire), _content(earlier)):
                return ""
            return f"id {event_id} is used on line {earlier_line} for other content"
        if event_id in stored_contents:
            stored = stored_contents[event_id]
            if _same(_content(wire), stored):
                return ""
            if isinstance(stored[0], str) and stored[0].startswith(FORGOTTEN_PREFIX):
                return (
                    f"id {event_id} is stored for a participant who has been forgotten; "
                    "their events cannot be imported again"
                )
            return f"id {event_id} is already stored with other content"
        return None

    def _future(self, recorded_at: dt.datetime) -> str:
        minutes = int(CLOCK_SKEW.total_seconds() // 60)
        return (
            f"recorded_at {recorded_at.isoformat()} is in the future: later than the time "
            f"of this import, {self._now.astimezone(dt.UTC).isoformat()}, "
            f"plus {minutes} minutes for clock skew"
        )

    def _maybe_stored(self, event_ids: set[str]) -> set[str]:
        """The ids that may be in the store already."""
        if self._stored_here is None:
            return event_ids
        return self._stored_here.maybe_among(event_ids)

    def _load_streams(
        self, writer: StoreWriter, directory: ParticipantDirectory, streams: set[str]
    ) -> None:
        missing = streams - self._streams.keys()
        histories = writer.streams({stream for stream in missing if not directory.created(stream)})
        for stream in missing:
            self._streams[stream] = _fold(stream, histories.get(stream, []))

    def _problem(self, number: int, message: str) -> None:
        self._problem_count += 1
        if len(self._problems) < MAX_REPORTED_PROBLEMS:
            if len(message) > MAX_PROBLEM_LENGTH:
                message = message[: MAX_PROBLEM_LENGTH - 3] + "..."
            self._problems.append(LineProblem(number, message))


def _decide_and_evolve(
    state: ParticipantState | OrganisationState,
    wire: NewEvent,
    recorded_at: dt.datetime,
    event_id: str,
) -> ParticipantState | OrganisationState:
    if isinstance(state, ParticipantState):
        assert wire.participant is not None
        # The codec gives participant events, and only them, a participant (an append's
        # caller must too): a set lookup, cheaper than isinstance against five types.
        assert type(wire.event) not in _ORGANISATION_TYPES
        event = cast(ParticipantEvent, wire.event)
        decide(state, event, recorded_at, wire.participant)
        return evolve(state, event, recorded_at)
    organisation_event = _organisation_event(wire.event)
    decide_organisation(state, organisation_event, recorded_at)
    return evolve_organisation(state, organisation_event, recorded_at, event_id)


_ORGANISATION_TYPES: frozenset[type[Event]] = frozenset(ORGANISATION_EVENT_TYPES)


def _organisation_event(event: Event) -> OrganisationEvent:
    # The codec puts only organisation events in the organisation stream.
    assert isinstance(event, ORGANISATION_EVENT_TYPES)
    return event


def _participant_event(event: Event) -> ParticipantEvent:
    assert not isinstance(event, ORGANISATION_EVENT_TYPES)
    return event


def _fold(stream: str, history: list[StoredRow]) -> _Stream:
    state: ParticipantState | OrganisationState = (
        OrganisationState() if stream == ORGANISATION_STREAM else ParticipantState()
    )
    for row in history:
        event = row_event(row)
        recorded_at = from_microseconds(row.recorded_us)
        if isinstance(state, OrganisationState):
            state = evolve_organisation(
                state, _organisation_event(event), recorded_at, row.event_id
            )
        else:
            state = evolve(state, _participant_event(event), recorded_at)
    return _Stream(state, history[-1].version if history else 0)


def _content(wire: NewEvent) -> tuple[object, ...]:
    """What must match for an id seen again to be the same event.

    recorded_at counts only when the line gives one: a line without it was stamped with
    the time of its first import, and importing it again must still be a no-op.
    """
    event = wire.event
    return (wire.participant, event.TYPE, event.date, event_data(event), wire.recorded_at)


def _split_personal(event: Event) -> tuple[dict[str, Any], dict[str, Any]]:
    """The event's data as its statistical skeleton and its personal fields: what
    ``event_data`` gives, split, in one pass over the fields."""
    skeleton: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    for name, is_personal, wire_form in _FIELDS[type(event)]:
        value = getattr(event, name)
        if value is not None:
            (personal if is_personal else skeleton)[name] = (
                value if wire_form is None else wire_form(value)
            )
    return skeleton, personal


_WireForm = Callable[[Any], Any] | None


def _fields(event_type: type[Event]) -> tuple[tuple[str, bool, _WireForm], ...]:
    """Each field of an event type, in order: its name, whether it is personal, and how
    its value is written in ``data`` (None: as it is), from the declaration."""
    personal = personal_fields(event_type)
    return tuple(
        (field.name, field.name in personal, _wire_form(field.kind))
        for field in DECLARED_FIELDS[event_type]
    )


def _wire_form(kind: ValueKind) -> _WireForm:
    if kind is ValueKind.CHOICE:
        return operator.attrgetter("value")
    if kind is ValueKind.DATE:
        return operator.methodcaller("isoformat")
    return None


_FIELDS = {event_type: _fields(event_type) for event_type in DECLARED_FIELDS}


def _stored_content(row: StoredRow, directory: ParticipantDirectory) -> tuple[object, ...]:
    """What a stored event's id stands for, as the store's export writes it: a forgotten
    participant's event under ``forgotten-<stream>``, without personal fields."""
    participant_key, data = directory.open_row(row)
    return (
        participant_key,
        row.type,
        dt.date.fromisoformat(row.date),
        data,
        from_microseconds(row.recorded_us),
    )


def _same(new: tuple[object, ...], earlier: tuple[object, ...]) -> bool:
    """Equal content; ``recorded_at`` counts only when both sides give one (see _content)."""
    if new[-1] is None or earlier[-1] is None:
        return new[:-1] == earlier[:-1]
    return new == earlier


def _subject(wire: NewEvent) -> str:
    if wire.participant is None:
        return wire.event.TYPE
    return f"{wire.event.TYPE} for {wire.participant}"
