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
process computes it while the workers fold, and saves its checkpoint. A split replay
saves no fold-state checkpoint, which would hold every journey of the organisation:
the report's tallies are saved, so a report with nothing new is read back, and one
with new events replays the organisation split again.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url

from orbit_adapters.read_model.replay import ChainReplay, ProgressCallback, replay_chain
from orbit_adapters.read_model.row_fold import fold_rows
from orbit_adapters.read_model.tally_codec import TalliedReplay, decode_tallied, encode_tallied
from orbit_adapters.store.engine import is_in_memory
from orbit_adapters.store.event_store import EventStore
from orbit_adapters.store.replay_rows import StreamRange, replay_pages
from orbit_adapters.store.schema import events_table
from orbit_domain.period import Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    TimelinesBuilder,
    merge_tallies,
    programme_tallies,
)
from orbit_domain.projections.organisation import (
    merge_organisation_tallies,
    organisation_tally,
)
from orbit_domain.weighting import Weighting

SPLIT_AT = 100_000
"""An organisation's rows from which its replay is split. Below, one process folds it
from its fold-state checkpoint, so that a report after a few new events folds only
those (about 100,000 rows fit in 100 MiB: docs/performance.md)."""

SHARE_ROWS = 50_000
"""The most rows a share folds, about: what bounds a split replay's memory."""

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
    """Shares of at most about ``SHARE_ROWS`` rows, as many for each worker."""
    workers = max(workers, 1)
    per_worker = -(-rows // (SHARE_ROWS * workers))  # rounded up
    return workers * max(per_worker, 1)


def stream_ranges(shares: int) -> tuple[StreamRange, ...]:
    """``shares`` ranges covering every stream id, split at four-hex-digit prefixes."""
    space = 16**_BOUNDARY_DIGITS
    bounds = [
        None,
        *(format(index * space // shares, f"0{_BOUNDARY_DIGITS}x") for index in range(1, shares)),
        None,
    ]
    return tuple(StreamRange(first, end) for first, end in itertools.pairwise(bounds))


def split_replay(
    store: EventStore,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    *,
    up_to: int,
    rows: int,
    workers: int,
    progress: ProgressCallback | None = None,
) -> TalliedReplay:
    """The organisation's tallies for ``period`` from its rows up to position ``up_to``
    (about ``rows`` of them), folded in shares by up to ``workers`` processes."""
    ranges = stream_ranges(share_count(rows, workers))

    def chain() -> ChainReplay:
        return replay_chain(store, period.end, known_at_us, up_to=up_to, progress=progress)

    if workers > 1 and not is_in_memory(store.url):
        chained, shares = _in_workers(
            store, ranges, period, known_at_us, weighting, up_to, workers, chain
        )
    else:
        shares = [
            fold_share(store, streams, period, known_at_us, weighting, up_to) for streams in ranges
        ]
        chained = chain()
    return TalliedReplay(
        events_replayed=chained.events_replayed,
        fingerprint=chained.fingerprint,
        tallies=merge_tallies(share.tallies for share in shares),
        organisation=merge_organisation_tallies(share.organisation for share in shares),
    )


def fold_share(
    store: EventStore,
    streams: StreamRange,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    up_to: int,
) -> TalliedReplay:
    """The tallies of the streams in ``streams`` (no fingerprint)."""
    builder = TimelinesBuilder(EMPTY_TIMELINES)
    with store.reading() as reader:
        pages = replay_pages(
            reader.connection,
            store.organisation,
            known_at_us=known_at_us,
            up_to=up_to,
            streams=streams,
        )
        with contextlib.closing(pages):  # as the one-process replay does: see there
            for page in pages:
                fold_rows(builder, page)
    timelines = builder.build()
    return TalliedReplay(
        events_replayed=0,
        fingerprint="",
        tallies=programme_tallies(timelines, period, weighting),
        organisation=organisation_tally(timelines.facts, period),
    )


def _in_workers(
    store: EventStore,
    ranges: Sequence[StreamRange],
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    up_to: int,
    workers: int,
    chain: Callable[[], ChainReplay],
) -> tuple[ChainReplay, list[TalliedReplay]]:
    """The shares folded in fresh processes (as orbit_adapters.read_model.saved_reports
    starts them) while this one computes the chain."""
    # Imported here: a report that replays in one process need not load them.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

    url = store.url.render_as_string(hide_password=False)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(ranges)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=gc.set_threshold,
        initargs=gc.get_threshold(),
    ) as pool:
        futures = [
            pool.submit(
                _worker_share,
                url,
                store.organisation,
                streams,
                period,
                known_at_us,
                weighting,
                up_to,
            )
            for streams in ranges
        ]
        chained = chain()
        shares = [decode_tallied(future.result(), _SHARE_KEY) for future in futures]
    return chained, shares


def _worker_share(
    url: str,
    organisation: str,
    streams: StreamRange,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    up_to: int,
) -> bytes:
    """One share's fold in a worker process."""
    store = EventStore.open(make_url(url), organisation)
    try:
        folded = fold_share(store, streams, period, known_at_us, weighting, up_to)
        return encode_tallied(folded, _SHARE_KEY)
    finally:
        store.close()
