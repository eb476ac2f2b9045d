"""Replay one organisation's events to a date, from checkpoints where they hold.

One pass over the rows after the older checkpoint does two things: it folds the rows
past the fold state's checkpoint into the timelines (every date: the report cuts them
at ``until`` itself), and it extends the fingerprint chain with the rows past the
chain's checkpoint that the replay applies (dated up to ``until``). With ``known_at``,
only rows recorded by then take part in either, and the checkpoints are kept apart.

:func:`replay_chain` is the pass without the fold, for a replay whose fold is split
over the organisation's participants (orbit_adapters.read_model.split_replay): the
chain runs over every row in store order, so it is never split.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import attrs

from orbit_adapters.read_model.checkpoints import EMPTY_CHECKPOINT, Checkpoints
from orbit_adapters.read_model.fingerprint import FINGERPRINT_START, Fingerprint
from orbit_adapters.read_model.row_fold import fold_rows
from orbit_adapters.store.event_store import EventStore, StoreReader
from orbit_adapters.store.replay_rows import replay_pages
from orbit_adapters.store.rows import EVENT_ID, POSITION, ReplayRow
from orbit_domain.projections import Timelines, TimelinesBuilder

SAVE_FOLD_STATE_AFTER = 5_000
"""Rows folded past a checkpoint before a new one is worth writing (a few ms of reading)."""

ProgressCallback = Callable[[int], None]


@attrs.frozen
class Replay:
    timelines: Timelines
    events_replayed: int
    fingerprint: str


@attrs.frozen
class ChainReplay:
    events_replayed: int
    fingerprint: str


def replay(
    store: EventStore,
    until: dt.date,
    known_at_us: int | None,
    *,
    progress: ProgressCallback | None = None,
) -> Replay:
    until_text = until.isoformat()
    with store.reading() as reader:
        checkpoints = Checkpoints(reader.connection, store.organisation)
        saved = checkpoints.timelines(known_at_us)
        chain = checkpoints.chain(until_text, known_at_us)
        fingerprint = Fingerprint(chain.chain or FINGERPRINT_START, chain.events)
        builder = TimelinesBuilder(saved.timelines)
        passed = _Pass(
            reader,
            store.organisation,
            fingerprint,
            progress,
            fold_from=saved.position,
            chain_from=chain.position,
            until=until_text,
        )
        passed.run(builder, known_at_us)
        timelines = builder.build()
    last = passed.last_row
    if last is not None:
        with store.saving_checkpoints() as connection:
            if connection is not None:
                saving = Checkpoints(connection, store.organisation)
                _save_chain(saving, until_text, known_at_us, last, fingerprint)
                if passed.folded >= SAVE_FOLD_STATE_AFTER or saved is EMPTY_CHECKPOINT:
                    saving.save_timelines(known_at_us, last[POSITION], last[EVENT_ID], timelines)
    return Replay(timelines, fingerprint.events, fingerprint.hexdigest())


def replay_chain(
    store: EventStore,
    until: dt.date,
    known_at_us: int | None,
    *,
    up_to: int,
    progress: ProgressCallback | None = None,
) -> ChainReplay:
    """The fingerprint of the rows a replay to ``until`` applies, up to position ``up_to``,
    from the chain's checkpoint, which it carries forward; no fold."""
    until_text = until.isoformat()
    with store.reading() as reader:
        chain = Checkpoints(reader.connection, store.organisation).chain(until_text, known_at_us)
        fingerprint = Fingerprint(chain.chain or FINGERPRINT_START, chain.events)
        passed = _Pass(
            reader,
            store.organisation,
            fingerprint,
            progress,
            fold_from=chain.position,
            chain_from=chain.position,
            until=until_text,
            up_to=up_to,
        )
        passed.run(None, known_at_us)
    last = passed.last_row
    if last is not None:
        with store.saving_checkpoints() as connection:
            if connection is not None:
                saving = Checkpoints(connection, store.organisation)
                _save_chain(saving, until_text, known_at_us, last, fingerprint)
    return ChainReplay(fingerprint.events, fingerprint.hexdigest())


def _save_chain(
    saving: Checkpoints,
    until: str,
    known_at_us: int | None,
    last: ReplayRow,
    fingerprint: Fingerprint,
) -> None:
    saving.save_chain(
        until, known_at_us, last[POSITION], last[EVENT_ID], fingerprint.events, fingerprint.chain
    )


class _Pass:
    """The rows after the older checkpoint, feeding the chain and the fold as they pass."""

    def __init__(
        self,
        reader: StoreReader,
        organisation: str,
        fingerprint: Fingerprint,
        progress: ProgressCallback | None,
        *,
        fold_from: int,
        chain_from: int,
        until: str,
        up_to: int | None = None,
    ) -> None:
        self._reader = reader
        self._organisation = organisation
        self._fingerprint = fingerprint
        self._progress = progress
        self._fold_from = fold_from
        self._chain_from = chain_from
        self._until = until
        self._up_to = up_to
        self.folded = 0
        self.last_row: ReplayRow | None = None

    def run(self, builder: TimelinesBuilder | None, known_at_us: int | None) -> None:
        """Fold the rows past ``fold_from`` (unless ``builder`` is None); chain those past
        ``chain_from`` up to ``until``."""
        pages = replay_pages(
            self._reader.connection,
            self._organisation,
            after=min(self._fold_from, self._chain_from),
            known_at_us=known_at_us,
            up_to=self._up_to,
        )
        # Closed here, should a row fail, while the cursor's connection is still open:
        # left to the garbage collector, closing it would fail once more.
        with contextlib.closing(pages):
            for page in pages:
                self._fingerprint.add_replayed(page, self._until, self._chain_from)
                if builder is not None:
                    to_fold = self._folded(page)
                    fold_rows(builder, to_fold)
                    self.folded += len(to_fold)
                self.last_row = page[-1]
                if self._progress is not None:
                    self._progress(len(page))

    def _folded(self, page: list[ReplayRow]) -> list[ReplayRow]:
        """The page's rows past the fold state's checkpoint (every date: see the module)."""
        after = self._fold_from
        if after and page[0][POSITION] <= after:
            return [row for row in page if row[POSITION] > after]
        return page
