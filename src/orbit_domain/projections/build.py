"""The report for a period: filter the stored events, fold them, compute every programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from orbit_domain.events import SeatsAllocated
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections.figures import programme_tally
from orbit_domain.projections.folding import fold
from orbit_domain.projections.organisation import organisation_tally
from orbit_domain.projections.selection import select_replayed
from orbit_domain.projections.tally import ProgrammeTally
from orbit_domain.projections.timeline import EMPTY_TIMELINES, JourneyTimeline, Timelines
from orbit_domain.report import ProgrammeReport, Report
from orbit_domain.weighting import Weighting


def programme_reports(
    timelines: Timelines, period: Period, weighting: Weighting = Weighting.PROPORTIONAL
) -> dict[str, ProgrammeReport]:
    """Every programme's figures for ``period``.

    The programmes are those with a referral or an allocation on or before ``until``,
    AFT and VTA or any other. ``timelines`` may hold events dated after ``until``: each
    journey is seen as of ``until``.
    """
    return {
        programme: tally.report()
        for programme, tally in programme_tallies(timelines, period, weighting).items()
    }


def programme_tallies(
    timelines: Timelines, period: Period, weighting: Weighting = Weighting.PROPORTIONAL
) -> dict[str, ProgrammeTally]:
    """What :func:`programme_reports` is computed from, per programme; the tallies of
    several organisations merge (:func:`~orbit_domain.projections.tally.merge_tallies`)."""
    journeys: dict[str, list[JourneyTimeline]] = {}
    for journey in timelines.all_journeys():
        in_view = journey.as_of(period.end)
        if in_view is not None:
            journeys.setdefault(in_view.programme, []).append(in_view)
    allocations: dict[str, dict[str, list[SeatsAllocated]]] = {}
    for stream, stream_allocations in timelines.allocations.items():
        for allocation in stream_allocations:
            if allocation.date <= period.end:
                by_stream = allocations.setdefault(allocation.programme, {})
                by_stream.setdefault(stream, []).append(allocation)
    return {
        programme: programme_tally(
            journeys.get(programme, []),
            list(allocations.get(programme, {}).values()),
            period,
            weighting,
        )
        for programme in sorted(journeys.keys() | allocations.keys())
    }


def build_report(
    events: Iterable[Recorded],
    period: Period,
    *,
    known_at: dt.datetime | None = None,
    weighting: Weighting = Weighting.PROPORTIONAL,
    fingerprint: str = "",
) -> Report:
    """The report-v1 report of the stored ``events`` (in store order) for ``period``.

    ``known_at`` gives the audit view: only events recorded by then count. The
    ``fingerprint`` of the replayed events is the adapters' to compute; it is passed
    through as given.
    """
    timelines = fold(EMPTY_TIMELINES, select_replayed(events, period.end, known_at))
    return Report(
        period=period,
        known_at=known_at,
        events_replayed=timelines.events_folded,
        fingerprint=fingerprint,
        programmes=programme_reports(timelines, period, weighting),
        organisation=organisation_tally(timelines.facts, period).figures(),
    )
