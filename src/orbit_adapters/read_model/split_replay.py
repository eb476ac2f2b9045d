"""A large organisation's replay with its participants split into shares.

In one process, an organisation's fold holds every journey it has: a deep
organisation's replay then grows in memory with its events and uses one core. But a
participant's journeys depend on their own stream's events only, the organisation's
allocations and facts are all in the organisation stream, and the tallies of disjoint
sets of participants merge exactly (orbit_domain.projections.tally). So the fold is
split over ranges of stream ids: each share reads and folds only its streams' rows, in
store order, and gives the tallies of what it folded. Any ranges covering every stream
id give the same report; participants' stream ids are random hex, so ranges of their
first digits split them evenly. The shares are folded in worker processes, or one after
another in this process: either way memory is bounded by a share, not by the
organisation.

The fingerprint chain runs over every row in store order, so it is not split: this
process computes it while the workers fold (and folds shares itself once it is done),
and saves its checkpoint. Each share keeps its own fold-state checkpoint, named by its
range of stream ids, so that a report after new events folds only those, share by
share; no checkpoint holds the whole organisation. The ranges depend on the
organisation's size and, for a small one, the number of workers, so they stay the same
from one report to the next until the organisation doubles: then the new shares replay
from the start once, and the old shares' checkpoints are dropped.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Sequence

import attrs
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url

from orbit_adapters.read_model.checkpoints import (
    EMPTY_CHECKPOINT,
    Checkpoints,
    StorePosition,
    timelines_name,
)
from orbit_adapters.read_model.replay import (
    SAVE_FOLD_STATE_AFTER,
    ChainReplay,
    ProgressCallback,
    replay_chain,
)
from orbit_adapters.read_model.row_fold import fold_rows
from orbit_adapters.read_model.tally_codec import TalliedReplay, decode_tallied, encode_tallied
from orbit_adapters.store.engine import is_in_memory
from orbit_adapters.store.event_store import EventStore
from orbit_adapters.store.replay_rows import StreamRange, replay_pages
from orbit_adapters.store.schema import checkpoints_table, events_table
from orbit_domain.period import Period
from orbit_domain.projections import (
    TimelinesBuilder,
    merge_tallies,
    programme_tallies,
)
from orbit_domain.projections.organisation import (
    merge_organisation_tallies,
    organisation_tally,
)
from orbit_domain.weighting import Weighting

WORTH_A_WORKER = 50_000
"""Rows to fold, in all, before worker processes pay for starting (each imports orbit
anew, about 0.3 s; orbit folds about 100,000 rows a second: docs/performance.md)."""

SPLIT_AT = 100_000
"""An organisation's rows from which its replay is split. Below, one process folds it
from its fold-state checkpoint, so that a report after a few new events folds only
those (about 100,000 rows fit in 100 MiB: docs/performance.md)."""

SHARE_ROWS = 64_000
"""The most rows a share folds, about: what bounds a split replay's memory (shares
being a power of two, each folds between half of it and all of it)."""

_BOUNDARY_DIGITS = 4
_SHARE_KEY = "share"
"""Names the tallies of one share as they come back from a worker (never saved)."""


def stored_rows(connection: Connection, organisation: str) -> int:
    """The organisation's rows, of any date and recording time: what decides a split."""
    return connection.execute(
        select(func.count())
        .select_from(events_table)
        .where(events_table.c.organisation == organisation)
    ).scalar_one()


def share_count(rows: int, workers: int) -> int:
    """Enough shares for each to fold at most about ``SHARE_ROWS`` rows, and one for each
    worker: a power of two, so that the ranges change only when the size doubles.

    No more than that: each share reads the organisation's rows in store order and
    skips the others' (a participant's rows are spread over all of them), so each share
    costs the database a scan of the organisation.
    """
    needed = max(-(-rows // SHARE_ROWS), workers, 1)
    return 1 << (needed - 1).bit_length()


def stream_ranges(shares: int) -> tuple[StreamRange, ...]:
    """``shares`` ranges covering every stream id, split at four-hex-digit prefixes."""
    space = 16**_BOUNDARY_DIGITS
    bounds = [
        None,
        *(format(index * space // shares, f"0{_BOUNDARY_DIGITS}x") for index in range(1, shares)),
        None,
    ]
    return tuple(StreamRange(first, end) for first, end in itertools.pairwise(bounds))


def share_name(streams: StreamRange) -> str:
    """The share's name in its checkpoint's: its range, as ``first-end``."""
    return f"{streams.first or ''}-{streams.end or ''}"


def split_replay(
    store: EventStore,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    *,
    end: StorePosition,
    rows: int,
    workers: int,
    progress: ProgressCallback | None = None,
) -> TalliedReplay:
    """The organisation's tallies for ``period`` from its rows up to ``end`` (about
    ``rows`` of them), folded in shares by up to ``workers`` processes."""
    ranges = stream_ranges(share_count(rows, workers))
    url = store.url.render_as_string(hide_password=False)
    share = _Share(url, store.organisation, period, known_at_us, weighting, end)

    def chain() -> ChainReplay:
        return replay_chain(store, period.end, known_at_us, up_to=end.position, progress=progress)

    if (
        workers > 1
        and not is_in_memory(store.url)
        and _rows_to_fold(store, known_at_us, ranges, end) >= WORTH_A_WORKER
    ):
        chained, shares = _in_workers(store, share, ranges, workers, chain)
    else:
        shares = [share.fold(store, streams) for streams in ranges]
        chained = chain()
    with store.saving_checkpoints() as connection:
        if connection is not None:
            checkpoints = Checkpoints(connection, store.organisation)
            checkpoints.drop_shares_but(known_at_us, map(share_name, ranges))
    return TalliedReplay(
        events_replayed=chained.events_replayed,
        fingerprint=chained.fingerprint,
        tallies=merge_tallies(one.tallies for one in shares),
        organisation=merge_organisation_tallies(one.organisation for one in shares),
    )


def _rows_to_fold(
    store: EventStore, known_at_us: int | None, ranges: Sequence[StreamRange], end: StorePosition
) -> int:
    """About how many rows the shares will fold: those past the oldest of their
    checkpoints (not verified here), or every row when a share has none."""
    names = [timelines_name(known_at_us, share_name(streams)) for streams in ranges]
    with store.reading() as reader:
        positions = (
            reader.connection.execute(
                select(checkpoints_table.c.position).where(
                    checkpoints_table.c.organisation == store.organisation,
                    checkpoints_table.c.name.in_(names),
                )
            )
            .scalars()
            .all()
        )
        after = min(positions) if len(positions) == len(names) else 0
        return reader.connection.execute(
            select(func.count())
            .select_from(events_table)
            .where(
                events_table.c.organisation == store.organisation,
                events_table.c.position > after,
                events_table.c.position <= end.position,
            )
        ).scalar_one()


@attrs.frozen
class _Share:
    """What folding a share takes but its range, as a worker process is given it."""

    url: str
    organisation: str
    period: Period
    known_at_us: int | None
    weighting: Weighting
    end: StorePosition

    def fold(self, store: EventStore, streams: StreamRange) -> TalliedReplay:
        """The tallies of the streams in ``streams`` (no fingerprint), from the share's
        checkpoint; which it saves again when worth it."""
        name = share_name(streams)
        with store.reading() as reader:
            saved = Checkpoints(reader.connection, self.organisation).timelines(
                self.known_at_us, name
            )
            if saved.position > self.end.position:  # a later report's: past this one's rows
                saved = EMPTY_CHECKPOINT
            builder = TimelinesBuilder(saved.timelines)
            pages = replay_pages(
                reader.connection,
                self.organisation,
                after=saved.position,
                known_at_us=self.known_at_us,
                up_to=self.end.position,
                streams=streams,
            )
            folded = 0
            with contextlib.closing(pages):  # as the one-process replay does: see there
                for page in pages:
                    fold_rows(builder, page)
                    folded += len(page)
        timelines = builder.build()
        if folded >= SAVE_FOLD_STATE_AFTER or (folded and saved is EMPTY_CHECKPOINT):
            with store.saving_checkpoints() as connection:
                if connection is not None:
                    Checkpoints(connection, self.organisation).save_timelines(
                        self.known_at_us, self.end.position, self.end.event_id, timelines, name
                    )
        return TalliedReplay(
            events_replayed=0,
            fingerprint="",
            tallies=programme_tallies(timelines, self.period, self.weighting),
            organisation=organisation_tally(timelines.facts, self.period),
        )

    def fold_in_worker(self, streams: StreamRange) -> bytes:
        """:meth:`fold` in a worker process, which opens the store anew."""
        store = EventStore.open(make_url(self.url), self.organisation)
        try:
            return encode_tallied(self.fold(store, streams), _SHARE_KEY)
        finally:
            store.close()


def _in_workers(
    store: EventStore,
    share: _Share,
    ranges: Sequence[StreamRange],
    workers: int,
    chain: Callable[[], ChainReplay],
) -> tuple[ChainReplay, list[TalliedReplay]]:
    """The shares folded by ``workers`` - 1 fresh processes (started as
    orbit_adapters.read_model.saved_reports starts them) while this one computes the
    chain; then this one folds the shares no worker has started."""
    # Imported here: a report that replays in one process need not load them.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    with ProcessPoolExecutor(
        max_workers=min(workers - 1, len(ranges)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=gc.set_threshold,
        initargs=gc.get_threshold(),
    ) as pool:
        futures = [pool.submit(share.fold_in_worker, streams) for streams in ranges]
        chained = chain()
        folded_here = {
            index: share.fold(store, ranges[index])
            for index in reversed(range(len(ranges)))
            if futures[index].cancel()
        }
        shares = [
            folded_here[index]
            if index in folded_here
            else decode_tallied(future.result(), _SHARE_KEY)
            for index, future in enumerate(futures)
        ]
    return chained, shares
