"""The participant directory: who a stream belongs to, and the keys to their personal data.

All of it lives in one transaction's connection, so that a participant created by a
rejected import disappears with it, and forgetting someone is atomic.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import attrs
from sqlalchemy import Connection, delete, func, insert, select

from orbit_adapters.privacy.crypto import (
    SealBrokenError,
    Sealer,
    keyed_hash,
    new_key,
    new_stream_id,
)
from orbit_adapters.privacy.master_key import KeyFileError, MasterKey
from orbit_adapters.store.engine import (
    in_list_chunks,
    insert_rows,
    positional_markers,
    quoted,
)
from orbit_adapters.store.rows import ORGANISATION_STREAM, StoredRow
from orbit_adapters.store.schema import (
    erasures_table,
    events_table,
    keyring_table,
    participants_table,
    readmissions_table,
)

_PARTICIPANT_COLUMNS = ("organisation", "lookup", "stream", "data_key", "participant")

SEALERS_KEPT = 8192
"""Participants' ciphers kept at once, the least recently used dropped first: each holds
about 2.4 KiB outside Python's heap, so an import that meets every participant of a deep
organisation grew by that much per participant (81 MiB for 33,000); 8,192 are 20 MiB."""
FORGOTTEN_PREFIX = "forgotten-"
"""How an export names the participant of a forgotten stream: ``forgotten-<stream>``."""


@attrs.frozen
class Participant:
    """A participant as the directory knows them: their stream and their data key."""

    key: str
    stream: str
    data_key: bytes


@attrs.frozen
class Erasure:
    date: str
    events: int


class ParticipantDirectory:
    """One organisation's participants, inside one transaction."""

    def __init__(self, connection: Connection, organisation: str, master: MasterKey) -> None:
        self._connection = connection
        self._organisation = organisation
        self._master = Sealer(master.key)
        self._lookup_key: bytes | None = None
        self._by_key: dict[str, Participant] = {}
        self._by_stream: dict[str, Participant | None] = {}
        self._created: set[str] = set()
        self._sealers: dict[bytes, Sealer] = {}  # by data key
        self._erased: dict[str, str] | None = None  # lookup -> date of its latest erasure

    # ------------------------------------------------------------ participant key -> stream

    def participants(self, keys: Collection[str], *, create: bool) -> dict[str, Participant]:
        """The directory entries of ``keys``; with ``create``, new ones for unknown keys."""
        missing = [key for key in keys if key not in self._by_key]
        if missing:
            lookups = {self.lookup_of(key): key for key in missing}
            for chunk in in_list_chunks(sorted(lookups)):
                query = _select_by_lookup(self._connection, len(chunk))
                for stream, data_key, sealed_key in self._connection.exec_driver_sql(
                    query, (*chunk, self._organisation)
                ):
                    self._remember(self._open_entry(stream, data_key, sealed_key))
            if create:
                self._create(
                    {lookup: key for lookup, key in lookups.items() if key not in self._by_key}
                )
        return {key: self._by_key[key] for key in keys if key in self._by_key}

    def create(self, keys: Collection[str]) -> dict[str, Participant]:
        """New entries for ``keys``, which :meth:`participants` has just not found."""
        self._create({self.lookup_of(key): key for key in keys})
        return {key: self._by_key[key] for key in keys}

    def lookup_of(self, key: str) -> str:
        return keyed_hash(self._lookup_key_bytes(), key.encode("utf-8"))

    def _create(self, lookups: dict[str, str]) -> None:
        """New participants, by lookup, in one statement (a batch may bring thousands)."""
        rows = []
        for lookup, key in lookups.items():
            data_key = new_key()
            stream = new_stream_id()
            wrapped_key = self._master_wrap(data_key, stream)
            sealed_key = self._sealer(data_key).seal(key.encode("utf-8"), self._context(stream))
            rows.append((self._organisation, lookup, stream, wrapped_key, sealed_key))
            self._remember(Participant(key, stream, data_key))
            self._created.add(stream)
        if rows:
            insert_rows(self._connection, participants_table.name, _PARTICIPANT_COLUMNS, rows)

    def created(self, stream: str) -> bool:
        """True for a participant's stream made in this transaction: it has no events yet."""
        return stream in self._created

    # ------------------------------------------------------------ stream -> participant

    def of_stream(self, stream: str) -> Participant | None:
        """The participant a stream belongs to; None once they are forgotten."""
        if stream not in self._by_stream:
            query = select(participants_table).where(
                participants_table.c.stream == stream,
                participants_table.c.organisation == self._organisation,
            )
            row = self._connection.execute(query).first()
            if row is None:
                self._by_stream[stream] = None
            else:
                self._remember(self._open_entry(row.stream, row.data_key, row.participant))
        return self._by_stream[stream]

    # ------------------------------------------------------------ personal data

    def seal_personal(self, participant: Participant, event_id: str, plaintext: bytes) -> bytes:
        sealer = self._sealer(participant.data_key)
        return sealer.seal(plaintext, self._context(participant.stream, event_id))

    def export_key(self, stream: str) -> str:
        """The key an export names ``stream``'s participant by: ``forgotten-<stream>`` once
        they are forgotten."""
        participant = self.of_stream(stream)
        return f"{FORGOTTEN_PREFIX}{stream}" if participant is None else participant.key

    def open_row(self, row: StoredRow) -> tuple[str | None, dict[str, Any]]:
        """Whom a stored event is about, by their export key (None for an organisation
        event), and its whole events-v1 ``data``: the statistical skeleton with the
        personal fields opened (none once the participant is forgotten).

        The one place a stored row is decrypted: export, ``Orbit.events()`` and the
        import's check of an id seen again all read rows through it.
        """
        data = json.loads(row.data)
        if row.stream == ORGANISATION_STREAM:
            return None, data
        participant = self.of_stream(row.stream)
        if participant is None:
            return f"{FORGOTTEN_PREFIX}{row.stream}", data
        if row.personal is not None:
            opened = self._open_personal(participant, row.event_id, row.personal)
            data.update(json.loads(opened))
        return participant.key, data

    def _open_personal(self, participant: Participant, event_id: str, sealed: bytes) -> bytes:
        try:
            sealer = self._sealer(participant.data_key)
            return sealer.unseal(sealed, self._context(participant.stream, event_id))
        except SealBrokenError:
            raise KeyFileError(
                f"the personal data of event {event_id} does not open: the store was altered"
            ) from None

    # ------------------------------------------------------------ erasure

    def forgotten_on(self, keys: Collection[str]) -> dict[str, str]:
        """Of ``keys`` (none of them in the directory now), those forgotten before, with
        the date of their latest erasure."""
        if not keys:
            return {}
        if self._erased is None:
            query = (
                select(erasures_table.c.lookup, erasures_table.c.date)
                .where(erasures_table.c.organisation == self._organisation)
                .order_by(erasures_table.c.position)
            )
            self._erased = dict(self._connection.execute(query).tuples().all())
        erased = self._erased
        if not erased:
            return {}
        return {key: erased[lookup] for key in keys if (lookup := self.lookup_of(key)) in erased}

    def readmit(self, key: str, *, date: str, recorded_us: int, reason: str) -> None:
        """Log that a forgotten key's events are accepted again, and why."""
        self._connection.execute(
            insert(readmissions_table).values(
                organisation=self._organisation,
                lookup=self.lookup_of(key),
                date=date,
                recorded_us=recorded_us,
                reason=reason,
            )
        )

    def forgotten_stream(self, key: str) -> str | None:
        """The stream ``key`` names if it is ``forgotten-<stream>`` of a stream here whose
        participant was forgotten (as the store's own export writes it), else None."""
        stream = key.removeprefix(FORGOTTEN_PREFIX)
        if stream == key or self.of_stream(stream) is not None:
            return None
        query = (
            select(events_table.c.position)
            .where(
                events_table.c.stream == stream,
                events_table.c.organisation == self._organisation,
            )
            .limit(1)
        )
        return stream if self._connection.execute(query).first() is not None else None

    def erasure_of(self, key: str) -> Erasure | None:
        query = (
            select(erasures_table.c.date, erasures_table.c.events)
            .where(
                erasures_table.c.lookup == self.lookup_of(key),
                erasures_table.c.organisation == self._organisation,
            )
            .order_by(erasures_table.c.position.desc())
            .limit(1)
        )
        row = self._connection.execute(query).first()
        return None if row is None else Erasure(row.date, row.events)

    def forget(
        self, participant: Participant, *, date: str, recorded_us: int, reason: str | None
    ) -> int:
        """Destroy the participant's data key and lookup entry; log the erasure; events kept."""
        events = self._connection.execute(
            select(func.count()).where(
                events_table.c.stream == participant.stream,
                events_table.c.organisation == self._organisation,
            )
        ).scalar_one()
        self._connection.execute(
            delete(participants_table).where(
                participants_table.c.stream == participant.stream,
                participants_table.c.organisation == self._organisation,
            )
        )
        self._connection.execute(
            insert(erasures_table).values(
                organisation=self._organisation,
                lookup=self.lookup_of(participant.key),
                date=date,
                recorded_us=recorded_us,
                reason=reason,
                events=events,
            )
        )
        self._by_key.pop(participant.key, None)
        self._by_stream[participant.stream] = None
        self._sealers.pop(participant.data_key, None)
        return int(events)

    # ------------------------------------------------------------ keys

    def _lookup_key_bytes(self) -> bytes:
        if self._lookup_key is None:
            name = f"lookup:{self._organisation}"
            query = select(keyring_table.c.value).where(keyring_table.c.name == name)
            wrapped = self._connection.execute(query).scalar()
            if wrapped is None:
                self._lookup_key = new_key()
                wrapped = self._master_wrap(self._lookup_key, name)
                self._connection.execute(insert(keyring_table).values(name=name, value=wrapped))
            else:
                self._lookup_key = self._master_unwrap(wrapped, name)
        return self._lookup_key

    def _open_entry(self, stream: str, wrapped_key: bytes, sealed_key: bytes) -> Participant:
        data_key = self._master_unwrap(wrapped_key, stream)
        try:
            key = self._sealer(data_key).unseal(sealed_key, self._context(stream))
        except SealBrokenError:
            raise KeyFileError(
                f"participant entry {stream} does not open: the store was altered"
            ) from None
        return Participant(key.decode("utf-8"), stream, data_key)

    def _remember(self, participant: Participant) -> None:
        self._by_key[participant.key] = participant
        self._by_stream[participant.stream] = participant

    def _sealer(self, data_key: bytes) -> Sealer:
        """The sealer of a participant's data key, kept while it is among the
        ``SEALERS_KEPT`` most recently used of the transaction."""
        sealer = self._sealers.pop(data_key, None)  # put back last: most recently used
        if sealer is None:
            sealer = Sealer(data_key)
            if len(self._sealers) >= SEALERS_KEPT:
                del self._sealers[next(iter(self._sealers))]
        self._sealers[data_key] = sealer
        return sealer

    def _context(self, stream: str, event_id: str = "") -> bytes:
        return f"{self._organisation}\x1f{stream}\x1f{event_id}".encode()

    def _master_wrap(self, secret: bytes, name: str) -> bytes:
        return self._master.seal(secret, wrap_context(self._organisation, name))

    def _master_unwrap(self, wrapped: bytes, name: str) -> bytes:
        try:
            return self._master.unseal(wrapped, wrap_context(self._organisation, name))
        except SealBrokenError:
            raise KeyFileError(
                f"the wrapped key {name!r} does not open with the store's master key: "
                "the store was altered"
            ) from None


def wrap_context(organisation: str, name: str) -> bytes:
    """What a key wrapped by the master key is bound to: its organisation and its name."""
    return f"orbit-key\x1f{organisation}\x1f{name}".encode()


def _select_by_lookup(connection: Connection, count: int) -> str:
    """The entries of ``count`` lookups (given first) in one organisation (given last)."""
    columns = quoted(connection, ["stream", "data_key", "participant"])
    lookup, organisation = quoted(connection, ["lookup"]), quoted(connection, ["organisation"])
    return (
        f"SELECT {columns} FROM {participants_table.name} "
        f"WHERE {lookup} IN ({positional_markers(connection, count)}) "
        f"AND {organisation} = {positional_markers(connection, 1)}"
    )
