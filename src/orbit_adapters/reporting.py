"""One organisation's report for a period, as tallies: saved ones when nothing has changed.

A report's tallies (:mod:`orbit_domain.projections.tally`) are saved beside the fold
state, keyed by the period, the weighting and the knowledge time, and marked with the
organisation's last stored event. While no event has been stored since, the same report
is read back instead of replayed; a report across organisations replays only the
organisations that changed. Like every checkpoint, saved tallies are never trusted
beyond that check and can be dropped at any time (``--rebuild``).
"""

from __future__ import annotations

import datetime as dt

from orbit_adapters.projections.checkpoints import Checkpoints, tallies_key
from orbit_adapters.projections.tally_codec import TalliedReplay
from orbit_adapters.replay import ProgressCallback, replay
from orbit_adapters.store.event_store import EventStore
from orbit_domain.period import Period
from orbit_domain.projections import programme_tallies
from orbit_domain.weighting import Weighting


def tallied_replay(
    store: EventStore,
    period: Period,
    known_at_us: int | None,
    weighting: Weighting,
    *,
    progress: ProgressCallback | None = None,
) -> TalliedReplay:
    """The organisation's tallies for ``period``, its fingerprint and events replayed."""
    key = tallies_key(_day(period.start), _day(period.end), weighting.value, known_at_us)
    with store.reading() as reader:
        checkpoints = Checkpoints(reader.connection, store.organisation)
        end = checkpoints.last_event()
        saved = None if end is None else checkpoints.tallies(key, end)
    if saved is not None:
        return saved
    replayed = replay(store, period.end, known_at_us, progress=progress)
    tallied = TalliedReplay(
        events_replayed=replayed.events_replayed,
        fingerprint=replayed.fingerprint,
        tallies=programme_tallies(replayed.timelines, period, weighting),
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
