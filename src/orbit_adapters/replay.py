"""Replay one organisation's events to a date, from checkpoints where they hold.

One pass over the rows after the older checkpoint does two things: it folds the rows
past the fold state's checkpoint into the timelines (every date: the report cuts them
at ``until`` itself), and it extends the fingerprint chain with the rows past the
chain's checkpoint that the replay applies (dated up to ``until``). With ``known_at``,
only rows recorded by then take part in either, and the checkpoints are kept apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import islice

import attrs

from orbit_adapters.fingerprint import FINGERPRINT_START, Fingerprint
from orbit_adapters.projections.checkpoints import (
    EMPTY_CHECKPOINT,
    NO_CHAIN,
    Checkpoints,
)
from orbit_adapters.store.event_store import EventStore, StoreReader
from orbit_adapters.store.rows import ORGANISATION_STREAM, StoredRow, row_recorded
from orbit_domain.history import Recorded
from orbit_domain.projections import Timelines, fold

SAVE_FOLD_STATE_AFTER = 5_000
"""Rows folded past a checkpoint before a new one is worth writing (a few ms of reading)."""

_PAGE = 5_000
ProgressCallback = Callable[[int], None]


@attrs.frozen
class Replay:
    timelines: Timelines
    events_replayed: int
    fingerprint: str


def replay(
    store: EventStore,
    until: dt.date,
    known_at_us: int | None,
    *,
    use_checkpoints: bool = True,
    progress: ProgressCallback | None = None,
) -> Replay:
    until_text = until.isoformat()
    with store.reading() as reader:
        checkpoints = Checkpoints(reader.connection, store.organisation)
        saved = checkpoints.timelines(known_at_us) if use_checkpoints else EMPTY_CHECKPOINT
        chain = checkpoints.chain(until_text, known_at_us) if use_checkpoints else NO_CHAIN
        fingerprint = Fingerprint(chain.chain or FINGERPRINT_START, chain.events)
        passed = _Pass(reader, fingerprint, saved.position, chain.position, until_text, progress)
        timelines = fold(saved.timelines, passed.recorded(known_at_us))
    last = passed.last_row
    if use_checkpoints and last is not None:
        with store.saving_checkpoints() as connection:
            if connection is not None:
                saving = Checkpoints(connection, store.organisation)
                saving.save_chain(
                    until_text,
                    known_at_us,
                    last.position,
                    last.event_id,
                    fingerprint.events,
                    fingerprint.chain,
                )
                if passed.folded >= SAVE_FOLD_STATE_AFTER or saved is EMPTY_CHECKPOINT:
                    saving.save_timelines(known_at_us, last.position, last.event_id, timelines)
    return Replay(timelines, fingerprint.events, fingerprint.hexdigest())


class _Pass:
    """The rows after the older checkpoint, feeding the chain and the fold as they pass."""

    def __init__(
        self,
        reader: StoreReader,
        fingerprint: Fingerprint,
        fold_from: int,
        chain_from: int,
        until: str,
        progress: ProgressCallback | None,
    ) -> None:
        self._reader = reader
        self._fingerprint = fingerprint
        self._fold_from = fold_from
        self._chain_from = chain_from
        self._until = until
        self._progress = progress
        self.folded = 0
        self.last_row: StoredRow | None = None

    def recorded(self, known_at_us: int | None) -> Iterator[Recorded]:
        rows = self._reader.rows(
            known_at_us=known_at_us, after=min(self._fold_from, self._chain_from)
        )
        while page := list(islice(rows, _PAGE)):
            self._learn_stream_references(page)
            for row in page:
                if row.position > self._chain_from and row.date <= self._until:
                    self._fingerprint.add(row)
                if row.position > self._fold_from:
                    self.folded += 1
                    yield row_recorded(row)
            self.last_row = page[-1]
            if self._progress is not None:
                self._progress(len(page))

    def _learn_stream_references(self, page: list[StoredRow]) -> None:
        """A chain carried forward meets streams whose first event it passed long ago."""
        if not self._chain_from:
            return
        unknown = {
            row.stream
            for row in page
            if row.position > self._chain_from
            and row.version > 1
            and row.stream != ORGANISATION_STREAM
            and not self._fingerprint.knows(row.stream)
        }
        if unknown:
            self._fingerprint.know_streams(self._reader.first_event_ids(unknown))
