"""Where replay left off: the fold state and fingerprint chains, saved by store position.

A checkpoint records the position it covers and the id of the event at that position
(its anchor). It is used only if the anchor is still there and, for the fold state, the
digest of its bytes matches; otherwise it is ignored and rebuilt, never trusted. They
can all be dropped at any time (``--rebuild``): the events are the source of truth.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs
from sqlalchemy import ColumnElement, Connection, delete, func, insert, select

from orbit_adapters.read_model.state_codec import StateFormatError, decode_state, encode_state
from orbit_adapters.read_model.tally_codec import (
    TalliedReplay,
    TallyFormatError,
    decode_tallied,
    encode_tallied,
)
from orbit_adapters.store.schema import (
    checkpoints_table,
    events_table,
    fingerprint_checkpoints_table,
)
from orbit_domain.projections import EMPTY_TIMELINES, Timelines

NO_KNOWN_AT = -1


@attrs.frozen
class TimelinesCheckpoint:
    position: int
    timelines: Timelines


@attrs.frozen
class ChainCheckpoint:
    position: int
    events: int
    chain: bytes | None  # None: start a new chain


EMPTY_CHECKPOINT = TimelinesCheckpoint(0, EMPTY_TIMELINES)
NO_CHAIN = ChainCheckpoint(0, 0, None)


def timelines_name(known_at_us: int | None, share: str | None = None) -> str:
    """``share`` names the participants of a split replay's share (split_replay.py)."""
    name = "timelines" if known_at_us is None else f"timelines@{known_at_us}"
    return name if share is None else f"{name}/{share}"


def tallies_key(first: str, until: str, weighting: str, known_at_us: int | None) -> str:
    """Which report tallies are for: its period, its weighting and its knowledge time."""
    key = f"{first}..{until}:{weighting}"
    return key if known_at_us is None else f"{key}@{known_at_us}"


def _tallies_name(key: str) -> str:
    """The checkpoint's name (40 characters at most): a digest of the key, which the saved
    tallies also hold and are checked against."""
    return "tallies:" + hashlib.sha256(key.encode()).hexdigest()[:32]


@attrs.frozen
class StorePosition:
    """Where an organisation's events end: the last position and the id of its event."""

    position: int
    event_id: str


def current_tallies(connection: Connection, key: str) -> dict[str, TalliedReplay]:
    """Every organisation's tallies saved for ``key`` that were made from exactly the
    events it has stored now (as :meth:`Checkpoints.tallies` checks them, but for every
    organisation in one query: a warm report across organisations is this read)."""
    saved, events = checkpoints_table, events_table
    last_position = (
        select(func.max(events.c.position))
        .where(events.c.organisation == saved.c.organisation)
        .scalar_subquery()
    )
    anchor_now = (
        select(events.c.event_id)
        .where(events.c.organisation == saved.c.organisation, events.c.position == saved.c.position)
        .scalar_subquery()
    )
    rows = connection.execute(
        select(saved.c.organisation, saved.c.digest, saved.c.state).where(
            saved.c.name == _tallies_name(key),
            saved.c.position == last_position,
            saved.c.anchor == anchor_now,
        )
    )
    current: dict[str, TalliedReplay] = {}
    for organisation, digest, state in rows:
        if hashlib.sha256(state).hexdigest() != digest:
            continue
        try:
            current[organisation] = decode_tallied(state, key)
        except TallyFormatError:
            continue
    return current


class Checkpoints:
    """One organisation's checkpoints, read and written on a given connection."""

    def __init__(self, connection: Connection, organisation: str) -> None:
        self._connection = connection
        self._organisation = organisation

    def timelines(self, known_at_us: int | None, share: str | None = None) -> TimelinesCheckpoint:
        row = self._connection.execute(
            select(checkpoints_table).where(
                checkpoints_table.c.organisation == self._organisation,
                checkpoints_table.c.name == timelines_name(known_at_us, share),
            )
        ).first()
        if row is None or not self._anchored(row.position, row.anchor):
            return EMPTY_CHECKPOINT
        if hashlib.sha256(row.state).hexdigest() != row.digest:
            return EMPTY_CHECKPOINT
        try:
            return TimelinesCheckpoint(row.position, decode_state(row.state))
        except StateFormatError:
            return EMPTY_CHECKPOINT

    def last_event(self) -> StorePosition | None:
        """The organisation's last stored event (None while it has none)."""
        row = self._connection.execute(
            select(events_table.c.position, events_table.c.event_id)
            .where(events_table.c.organisation == self._organisation)
            .order_by(events_table.c.position.desc())
            .limit(1)
        ).first()
        return None if row is None else StorePosition(row.position, row.event_id)

    def rows_to_fold(self, known_at_us: int | None) -> int:
        """About how many rows a replay would read: those after the fold state's
        checkpoint (not verified here), or every row of the organisation."""
        saved = self._connection.execute(
            select(checkpoints_table.c.position).where(
                checkpoints_table.c.organisation == self._organisation,
                checkpoints_table.c.name == timelines_name(known_at_us),
            )
        ).scalar()
        return self._connection.execute(
            select(func.count())
            .select_from(events_table)
            .where(
                events_table.c.organisation == self._organisation,
                events_table.c.position > (saved or 0),
            )
        ).scalar_one()

    def tallies(self, key: str, end: StorePosition) -> TalliedReplay | None:
        """The tallies saved for ``key``, if they were made from the events up to ``end``.

        Any event stored since, of any date and any recording time, may change a
        figure, so only tallies of exactly the events stored now are used.
        """
        row = self._connection.execute(
            select(checkpoints_table).where(
                checkpoints_table.c.organisation == self._organisation,
                checkpoints_table.c.name == _tallies_name(key),
            )
        ).first()
        if row is None or (row.position, row.anchor) != (end.position, end.event_id):
            return None
        if hashlib.sha256(row.state).hexdigest() != row.digest:
            return None
        try:
            return decode_tallied(row.state, key)
        except TallyFormatError:
            return None

    def save_tallies(self, key: str, end: StorePosition, tallied: TalliedReplay) -> None:
        state = encode_tallied(tallied, key)
        self._save_state(_tallies_name(key), end.position, end.event_id, state)

    def chain(self, until: str, known_at_us: int | None) -> ChainCheckpoint:
        row = self._connection.execute(
            select(fingerprint_checkpoints_table).where(*self._chain_key(until, known_at_us))
        ).first()
        if row is None or not self._anchored(row.position, row.anchor):
            return NO_CHAIN
        return ChainCheckpoint(row.position, row.events, bytes(row.chain))

    def save_timelines(
        self,
        known_at_us: int | None,
        position: int,
        anchor: str,
        timelines: Timelines,
        share: str | None = None,
    ) -> None:
        name = timelines_name(known_at_us, share)
        self._save_state(name, position, anchor, encode_state(timelines))

    def drop_shares_but(self, known_at_us: int | None, shares: Iterable[str]) -> None:
        """Drop the fold states of the shares of another split (``known_at_us``'s only)."""
        kept = [timelines_name(known_at_us, share) for share in shares]
        self._connection.execute(
            delete(checkpoints_table).where(
                checkpoints_table.c.organisation == self._organisation,
                checkpoints_table.c.name.startswith(
                    timelines_name(known_at_us, ""), autoescape=True
                ),
                checkpoints_table.c.name.not_in(kept),
            )
        )

    def _save_state(self, name: str, position: int, anchor: str, state: bytes) -> None:
        self._connection.execute(
            delete(checkpoints_table).where(
                checkpoints_table.c.organisation == self._organisation,
                checkpoints_table.c.name == name,
            )
        )
        self._connection.execute(
            insert(checkpoints_table).values(
                organisation=self._organisation,
                name=name,
                position=position,
                anchor=anchor,
                digest=hashlib.sha256(state).hexdigest(),
                state=state,
            )
        )

    def save_chain(
        self,
        until: str,
        known_at_us: int | None,
        position: int,
        anchor: str,
        events: int,
        chain: bytes,
    ) -> None:
        self._connection.execute(
            delete(fingerprint_checkpoints_table).where(*self._chain_key(until, known_at_us))
        )
        self._connection.execute(
            insert(fingerprint_checkpoints_table).values(
                organisation=self._organisation,
                until=until,
                known_at_us=NO_KNOWN_AT if known_at_us is None else known_at_us,
                position=position,
                anchor=anchor,
                events=events,
                chain=chain,
            )
        )

    def drop_all(self) -> None:
        for table in (checkpoints_table, fingerprint_checkpoints_table):
            self._connection.execute(
                delete(table).where(table.c.organisation == self._organisation)
            )

    def _anchored(self, position: int, anchor: str) -> bool:
        """The event the checkpoint ends at is still that event (the store was not replaced)."""
        event_id = self._connection.execute(
            select(events_table.c.event_id).where(
                events_table.c.position == position,
                events_table.c.organisation == self._organisation,
            )
        ).scalar()
        return event_id == anchor

    def _chain_key(self, until: str, known_at_us: int | None) -> tuple[ColumnElement[bool], ...]:
        table = fingerprint_checkpoints_table
        return (
            table.c.organisation == self._organisation,
            table.c.until == until,
            table.c.known_at_us == (NO_KNOWN_AT if known_at_us is None else known_at_us),
        )
