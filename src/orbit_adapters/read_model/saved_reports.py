"""Organisations' reports for a period, as tallies: saved ones when nothing has changed.

A report's tallies (:mod:`orbit_domain.projections.tally`) are saved beside the fold
state, keyed by the period, the weighting and the knowledge time, and marked with the
organisation's last stored event. While no event has been stored since, the same report
is read back instead of replayed; a report across organisations replays only the
organisations that changed. Like every checkpoint, saved tallies are never trusted
beyond that check and can be dropped at any time (``--rebuild``).

Organisations replay independently, so :func:`tallied_replays` can replay several at
once in worker processes: a cold report across many organisations then uses every core
(Python runs one thread of Python code at a time, so threads would not).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy.engine import make_url

from orbit_adapters.read_model.checkpoints import (
    Checkpoints,
    StorePosition,
    current_tallies,
    tallies_key,
)
from orbit_adapters.read_model.replay import ProgressCallback, replay
from orbit_adapters.read_model.split_replay import (
    SPLIT_AT,
    WORTH_A_WORKER,
    split_replay,
    stored_rows,
)
from orbit_adapters.read_model.tally_codec import TalliedReplay, decode_tallied, encode_tallied
from orbit_adapters.store.engine import is_in_memory
from orbit_adapters.store.event_store import EventStore
from orbit_domain.period import Period
from orbit_domain.projections import programme_tallies
from orbit_domain.projections.organisation import organisation_tally
from orbit_domain.weighting import Weighting


def tallied_replay(
    store: EventStore,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    *,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> TalliedReplay:
    """The organisation's tallies for ``period``, its fingerprint and events replayed.

    An organisation of ``SPLIT_AT`` rows or more is replayed split over its
    participants (orbit_adapters.read_model.split_replay), by up to ``workers``
    processes.
    """
    key = _key(period, known_at_us, weighting)
    found = _saved(store, key, known_at_us, count_rows=False)
    if found.tallied is not None:
        return found.tallied
    return _replay_and_save(store, key, found, period, known_at_us, weighting, progress, workers)


def tallied_replays(
    store: EventStore,
    organisations: Iterable[str],
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    *,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> dict[str, TalliedReplay]:
    """:func:`tallied_replay` of each organisation, replaying up to ``workers`` at once.

    Saved tallies are read here, every organisation's in one query; only the
    organisations with new events are replayed, in worker processes when there are
    several of them, ``workers`` > 1 and they have enough rows to fold to pay for
    starting the workers (never for an in-memory store, which no other process can
    open). With workers, ``progress`` hears of each
    organisation's events once that organisation is done. An organisation of
    ``SPLIT_AT`` rows or more is replayed on its own, split over its participants.
    """
    key = _key(period, known_at_us, weighting)
    with store.reading() as reader:
        current = current_tallies(reader.connection, key)
    results: dict[str, TalliedReplay] = {}
    stale: dict[str, StorePosition | None] = {}
    deep: dict[str, _Saved] = {}
    rows_to_fold = 0
    for organisation in organisations:
        if organisation in current:
            results[organisation] = current[organisation]
            continue
        found = _saved(
            store.for_organisation(organisation), key, known_at_us, count_rows=workers > 1
        )
        if found.tallied is not None:  # saved between the two reads
            results[organisation] = found.tallied
        elif found.rows >= SPLIT_AT:
            deep[organisation] = found
        else:
            stale[organisation] = found.end
            rows_to_fold += found.rows_to_fold
    if (
        workers > 1
        and len(stale) > 1
        and rows_to_fold >= WORTH_A_WORKER
        and not is_in_memory(store.url)
    ):
        results |= _replay_in_workers(
            store, stale, period, known_at_us, weighting, progress, workers
        )
    else:
        for organisation, end in stale.items():
            results[organisation] = _replay_and_save(
                store.for_organisation(organisation),
                key,
                _Saved(end, None, 0, 0),
                period,
                known_at_us,
                weighting,
                progress,
            )
    for organisation, found in deep.items():
        results[organisation] = _replay_and_save(
            store.for_organisation(organisation),
            key,
            found,
            period,
            known_at_us,
            weighting,
            progress,
            workers,
        )
    return {organisation: results[organisation] for organisation in sorted(results)}


def _key(period: Period, known_at_us: int | None, weighting: Weighting) -> str:
    return tallies_key(_day(period.start), _day(period.end), weighting.value, known_at_us)


class _Saved(NamedTuple):
    end: StorePosition | None
    """The organisation's last stored event (None: it has none)."""
    tallied: TalliedReplay | None
    """Its saved tallies for the report, if still current."""
    rows_to_fold: int
    """Else, when counted, about how many rows a replay would fold (0 when not)."""
    rows: int
    """Else the organisation's rows, which decide whether its replay is split."""


def _saved(store: EventStore, key: str, known_at_us: int | None, *, count_rows: bool) -> _Saved:
    """``count_rows``: whether to count the rows to fold, which only the choice of
    workers needs (a count is a scan of the organisation's index)."""
    with store.reading() as reader:
        checkpoints = Checkpoints(reader.connection, store.organisation)
        end = checkpoints.last_event()
        tallied = None if end is None else checkpoints.tallies(key, end)
        if tallied is not None or end is None:
            return _Saved(end, tallied, 0, 0)
        rows = stored_rows(reader.connection, store.organisation)
        to_fold = checkpoints.rows_to_fold(known_at_us) if count_rows else 0
        return _Saved(end, None, to_fold, rows)


def _replay_and_save(
    store: EventStore,
    key: str,
    found: _Saved,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    progress: ProgressCallback | None,
    workers: int = 1,
) -> TalliedReplay:
    end = found.end
    if end is not None and found.rows >= SPLIT_AT:
        tallied = split_replay(
            store,
            period,
            known_at_us,
            weighting,
            end=end,
            rows=found.rows,
            workers=workers,
            progress=progress,
        )
    else:
        replayed = replay(store, period.end, known_at_us, progress=progress)
        tallied = TalliedReplay(
            events_replayed=replayed.events_replayed,
            fingerprint=replayed.fingerprint,
            tallies=programme_tallies(replayed.timelines, period, weighting),
            organisation=organisation_tally(replayed.timelines.facts, period),
        )
    if end is not None:
        # Marked with the last event seen before the replay: if an import committed
        # meanwhile, the replay saw more, and the next report finds them stale.
        with store.saving_checkpoints() as connection:
            if connection is not None:
                Checkpoints(connection, store.organisation).save_tallies(key, end, tallied)
    return tallied


def _day(day: dt.date) -> str:
    return day.isoformat()


def _replay_in_workers(
    store: EventStore,
    stale: dict[str, StorePosition | None],
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    progress: ProgressCallback | None,
    workers: int,
) -> dict[str, TalliedReplay]:
    """Replay the stale organisations in fresh processes ("spawn": a forked child would
    share the parent's database connections), which inherit this process's collector
    thresholds. Results come back as the bytes the tallies are saved as."""
    # Imported here: a report that replays in one process need not load them.
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415

    key = _key(period, known_at_us, weighting)
    url = store.url.render_as_string(hide_password=False)
    results: dict[str, TalliedReplay] = {}
    with ProcessPoolExecutor(
        max_workers=min(workers, len(stale)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=gc.set_threshold,
        initargs=gc.get_threshold(),
    ) as pool:
        futures = {
            pool.submit(
                _worker_replay, url, organisation, end, period, known_at_us, weighting
            ): organisation
            for organisation, end in stale.items()
        }
        for future in as_completed(futures):
            tallied = decode_tallied(future.result(), key)
            results[futures[future]] = tallied
            if progress is not None:
                progress(tallied.events_replayed)
    return results


def _worker_replay(
    url: str,
    organisation: str,
    end: StorePosition | None,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
) -> bytes:
    """One organisation's replay in a worker process."""
    store = EventStore.open(make_url(url), organisation)
    try:
        key = _key(period, known_at_us, weighting)
        found = _Saved(end, None, 0, 0)  # never a split one: see tallied_replays
        tallied = _replay_and_save(store, key, found, period, known_at_us, weighting, None)
        return encode_tallied(tallied, key)
    finally:
        store.close()
