"""The per-programme figures of report-v1 revision 2: exits by outcome group, days with a
waiting list, and the allocation before and over the period.

The waiting days and allocations are checked here against the events read day by day,
independently of ``orbit_domain.projections``; the differential property
(tests/domain/test_differential.py) also compares them with the day-by-day reference.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from orbit_domain.events import (
    ParticipantReferred,
    PlacementStarted,
    ReferralWithdrawn,
    SeatsAllocated,
    Waitlisted,
)
from orbit_domain.history import Recorded
from orbit_domain.outcomes import OutcomeGroup
from orbit_domain.period import ONE_DAY, Period
from orbit_domain.weighting import Weighting
from property_support import half_examples, report_json
from strategies import histories, known_ats, periods, periods_near, reallocated, weightings


def _days(period: Period) -> Iterator[dt.date]:
    day = period.start
    while day <= period.end:
        yield day
        day += ONE_DAY


def _replayed(
    history: list[Recorded], until: dt.date, known_at: dt.datetime | None
) -> list[Recorded]:
    return [
        recorded
        for recorded in history
        if recorded.event.date <= until and (known_at is None or recorded.recorded_at <= known_at)
    ]


def _waiting_journeys(history: list[Recorded], programme: str) -> list[dict[type, dt.date]]:
    """Each waitlisted journey of the programme as the dates of its waitlisting,
    placement and withdrawal: a participant's journey is their latest referral's."""
    journeys: list[dict[type, dt.date]] = []
    current: dict[str | None, tuple[str, dict[type, dt.date]]] = {}
    for recorded in history:
        event = recorded.event
        if isinstance(event, ParticipantReferred):
            dates: dict[type, dt.date] = {}
            current[recorded.participant] = (event.programme, dates)
            if event.programme == programme:
                journeys.append(dates)
        elif isinstance(event, Waitlisted | PlacementStarted | ReferralWithdrawn):
            current[recorded.participant][1][type(event)] = event.date
    return [journey for journey in journeys if Waitlisted in journey]


def _waiting_at_end_of(journey: dict[type, dt.date], day: dt.date) -> bool:
    return all(
        (journey.get(kind, dt.date.max) <= day) is waitlisted
        for kind, waitlisted in (
            (Waitlisted, True),
            (PlacementStarted, False),
            (ReferralWithdrawn, False),
        )
    )


def _wait_ended(journey: dict[type, dt.date]) -> dt.date:
    """The day of the placement or withdrawal (``date.max`` when neither has come)."""
    return min(
        journey.get(PlacementStarted, dt.date.max), journey.get(ReferralWithdrawn, dt.date.max)
    )


def _seats_on(allocations: list[SeatsAllocated], day: dt.date) -> float:
    """The latest allocation dated on or before ``day``, later in store order on a tie."""
    seats = 0.0
    for allocation in sorted(allocations, key=lambda allocation: allocation.date):
        if allocation.date <= day:
            seats = allocation.seats
    return seats


@half_examples
@given(histories(), st.data(), known_ats)
def test_exits_by_group_sum_to_exits_and_work_and_education_give_the_placement_rate(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    period = data.draw(periods_near(history), label="period")
    report = report_json(history, period, known_at)

    for figures in report["programmes"].values():
        by_group = figures["exits_by_group"]
        assert list(by_group) == [group.value for group in OutcomeGroup]
        assert sum(by_group.values()) == figures["exits"]
        placed = by_group["work"] + by_group["education"]
        expected_rate = placed / figures["exits"] if figures["exits"] else None
        assert figures["placement_rate"] == expected_rate


@half_examples
@given(histories(), st.data(), known_ats)
def test_days_with_a_waiting_list_are_the_days_that_end_with_someone_waiting(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    """At most the period's days, and all of them exactly when the list is non-empty at
    the end of every day, read day by day off the events."""
    waitlistings = [r.event.date for r in history if isinstance(r.event, Waitlisted)]
    period = data.draw(periods_near(history, waitlistings) | periods(), label="period")
    report = report_json(history, period, known_at)
    replayed = _replayed(history, period.end, known_at)

    for programme, figures in report["programmes"].items():
        journeys = _waiting_journeys(replayed, programme)
        waiting_days = [
            day for day in _days(period) if any(_waiting_at_end_of(j, day) for j in journeys)
        ]
        days = figures["waiting"]["days_with_waiting_list"]
        assert 0 <= days <= period.days
        assert days == len(waiting_days)
        assert (days == period.days) is (len(waiting_days) == period.days)


@half_examples
@given(histories(), st.data(), known_ats)
def test_a_period_inside_one_journeys_wait_has_a_waiting_list_every_day(
    history: list[Recorded], data: st.DataObject, known_at: dt.datetime | None
) -> None:
    replayed = _replayed(history, dt.date.max, known_at)
    programmes = {r.event.programme for r in replayed if isinstance(r.event, ParticipantReferred)}
    waits = [
        (programme, journey, _wait_ended(journey))
        for programme in sorted(programmes)
        for journey in _waiting_journeys(replayed, programme)
        if journey[Waitlisted] < _wait_ended(journey)
    ]
    assume(waits)
    programme, journey, ended = data.draw(st.sampled_from(waits), label="wait")
    last_waiting = min(ended - ONE_DAY, journey[Waitlisted] + dt.timedelta(days=800))
    first = data.draw(st.dates(journey[Waitlisted], last_waiting), label="from")
    period = Period(first, data.draw(st.dates(first, last_waiting), label="until"))

    figures = report_json(history, period, known_at)["programmes"][programme]

    assert figures["waiting"]["days_with_waiting_list"] == period.days


def _spans(figures: dict[str, Any]) -> list[tuple[dt.date, dt.date, float]]:
    return [
        (dt.date.fromisoformat(s["from"]), dt.date.fromisoformat(s["until"]), s["seats"])
        for s in figures["seat_usage"]["allocations"]
    ]


@half_examples
@given(histories().flatmap(reallocated), periods(), known_ats, weightings)
def test_allocation_spans_tile_the_days_with_an_allocation_and_weigh_to_each_month(
    history: list[Recorded],
    period: Period,
    known_at: dt.datetime | None,
    weighting: Weighting,
) -> None:
    """Oldest first, never overlapping, each a maximal run of one number of seats; the
    days they hold are exactly the days with seats allocated (read day by day), at those
    seats; their day-weighted seats give every month's ``allocated``."""
    report = report_json(history, period, known_at, weighting)
    replayed = _replayed(history, period.end, known_at)

    for programme, figures in report["programmes"].items():
        spans = _spans(figures)
        allocations = [
            r.event
            for r in replayed
            if isinstance(r.event, SeatsAllocated) and r.event.programme == programme
        ]
        for (_, last, seats), (first, _, next_seats) in itertools.pairwise(spans):
            assert last < first
            assert last + ONE_DAY < first or seats != next_seats
        in_spans = {
            day: seats for first, last, seats in spans for day in _days(Period(first, last))
        }
        assert all(first >= period.start and last <= period.end for first, last, _ in spans)
        assert in_spans == {
            day: _seats_on(allocations, day)
            for day in _days(period)
            if _seats_on(allocations, day) > 0
        }
        for month, part in period.split_by_month():
            (entry,) = [m for m in figures["seat_usage"]["months"] if m["month"] == str(month)]
            seat_days = sum(
                ((min(last, part.end) - max(first, part.start)).days + 1) * seats
                for first, last, seats in spans
                if first <= part.end and last >= part.start
            )
            assert math.isclose(seat_days / part.days, entry["allocated"], rel_tol=1e-12)


@half_examples
@given(histories(), periods(), st.integers(0, 400), known_ats)
def test_the_baseline_is_the_seats_of_the_last_span_of_the_period_ending_the_day_before(
    history: list[Recorded], period: Period, days_before: int, known_at: dt.datetime | None
) -> None:
    """``allocated_before`` of a period from d is the seats of the last allocation span
    of any report ending on d-1 (0 when it has none)."""
    until = period.start - ONE_DAY
    before = Period(until - dt.timedelta(days=days_before), until)

    report = report_json(history, period, known_at)["programmes"]
    earlier = report_json(history, before, known_at)["programmes"]

    for programme, figures in report.items():
        spans = _spans(earlier[programme]) if programme in earlier else []
        expected = spans[-1][2] if spans else 0.0
        assert figures["seat_usage"]["allocated_before"] == expected
