"""Replay: store order across streams, incremental folding, and knowledge times.

The differential property (every figure equals a naive day-by-day computation) lives in
tests/domain/test_differential.py.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import (
    EMPTY_TIMELINES,
    build_report,
    fold,
    programme_reports,
    select_replayed,
)
from orbit_domain.projections.organisation import organisation_tally
from orbit_domain.weighting import Weighting
from property_support import (
    ALL_DATES,
    half_examples,
    memory_store,
    report_json,
    store_examples,
    without_fingerprint,
)
from strategies import (
    Line,
    histories,
    history_streams,
    interleaved,
    known_ats,
    line_streams,
    periods,
    texts_of,
    weightings,
)

# ---------------------------------------------------------------- interleaving


@half_examples
@given(history_streams(), st.data(), periods(), known_ats, weightings)
def test_any_interleaving_of_the_same_streams_gives_the_same_report(
    streams: list[list[Recorded]],
    data: st.DataObject,
    period: Period,
    known_at: dt.datetime | None,
    weighting: Weighting,
) -> None:
    """Two store orders that keep each stream's own order replay to the same report: how
    participants' events interleave never changes a figure."""
    one = data.draw(interleaved(streams), label="one interleaving")
    other = data.draw(interleaved(streams), label="another interleaving")

    assert report_json(one, period, known_at, weighting) == report_json(
        other, period, known_at, weighting
    )


@store_examples
@given(line_streams(max_participants=3), st.data(), periods(), known_ats)
def test_stored_interleavings_give_equal_reports_and_one_fingerprint_per_store_order(
    streams: list[list[Line]],
    data: st.DataObject,
    period: Period,
    known_at: dt.datetime | None,
) -> None:
    """In real stores, two interleavings of the same streams give equal reports; the same
    interleaving stored twice gives the same fingerprint, and different store orders
    give different fingerprints (the fingerprint is over store order)."""
    one = texts_of(data.draw(interleaved(streams), label="one interleaving"))
    other = texts_of(data.draw(interleaved(streams), label="another interleaving"))

    with memory_store(one) as first, memory_store(one) as again, memory_store(other) as second:
        reports = [
            store.report(period, known_at=known_at).to_json_dict()
            for store in (first, again, second)
        ]
        fingerprints = [store.fingerprint(until=ALL_DATES) for store in (first, again, second)]

    assert reports[0] == reports[1]
    assert without_fingerprint(reports[2]) == without_fingerprint(reports[0])
    assert fingerprints[0] == fingerprints[1]
    assert (fingerprints[2] == fingerprints[0]) == (other == one)


# ---------------------------------------------------------------- incremental replay


@half_examples
@given(histories(), st.data(), periods(), known_ats, weightings)
def test_folding_a_prefix_then_the_rest_from_its_checkpoint_equals_one_full_fold(
    history: list[Recorded],
    data: st.DataObject,
    period: Period,
    known_at: dt.datetime | None,
    weighting: Weighting,
) -> None:
    """Folding the replayed events up to any split point, keeping that state as a
    checkpoint and stepping through the rest gives the state and the report of one
    full fold; the checkpoint itself is left as it was."""
    replayed = list(select_replayed(history, period.end, known_at))
    split = data.draw(st.integers(0, len(replayed)), label="split")

    checkpoint = fold(EMPTY_TIMELINES, replayed[:split])
    incremental = checkpoint
    for recorded in replayed[split:]:
        incremental = fold(incremental, (recorded,))

    full = fold(EMPTY_TIMELINES, replayed)
    assert incremental == full
    assert checkpoint == fold(EMPTY_TIMELINES, replayed[:split])
    report = build_report(history, period, known_at=known_at, weighting=weighting)
    assert programme_reports(incremental, period, weighting) == report.programmes
    assert organisation_tally(incremental.facts, period).figures() == report.organisation


# ---------------------------------------------------------------- knowledge times


_later = st.integers(0, 10**7).map(lambda seconds: dt.timedelta(seconds=seconds))
_earlier = st.integers(1, 10**7).map(lambda seconds: dt.timedelta(seconds=seconds))


@half_examples
@given(histories(), periods(), _later)
def test_a_knowledge_time_after_every_recording_gives_the_report_without_one(
    history: list[Recorded], period: Period, after: dt.timedelta
) -> None:
    """``--known-at`` at or after the last ``recorded_at`` changes no figure and replays
    the same events as leaving it out."""
    assume(history)
    known_at = max(recorded.recorded_at for recorded in history) + after

    with_known_at = report_json(history, period, known_at)
    without = report_json(history, period)

    assert with_known_at["known_at"] == known_at.isoformat()
    assert {**with_known_at, "known_at": None} == without


@half_examples
@given(histories(), periods(), _earlier)
def test_a_knowledge_time_before_every_recording_gives_an_empty_report(
    history: list[Recorded], period: Period, before: dt.timedelta
) -> None:
    """``--known-at`` before the first ``recorded_at`` replays no event and reports no
    programme."""
    assume(history)
    known_at = min(recorded.recorded_at for recorded in history) - before

    report = report_json(history, period, known_at)

    assert report["events_replayed"] == 0
    assert report["programmes"] == {}


@half_examples
@given(histories(), periods(), known_ats, known_ats)
def test_a_later_knowledge_time_never_knows_fewer_events(
    history: list[Recorded],
    period: Period,
    one: dt.datetime | None,
    other: dt.datetime | None,
) -> None:
    """Of two knowledge times, the later one replays at least as many events (and no
    knowledge time at all, every event dated by ``until``)."""
    times = [*sorted(t for t in (one, other) if t is not None), None]

    replayed = [report_json(history, period, t)["events_replayed"] for t in times]

    assert replayed == sorted(replayed)
