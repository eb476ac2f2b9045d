"""Seat usage (månedsverk) by interval arithmetic over placements and allocations.

Per calendar month, over the days of the month inside the period: ``used`` is the
participants' weighted percentage summed over those days, ``allocated`` the seats in force
summed over those days, each divided by the number of days. Rather than visit every day,
each stretch at one percentage (or one allocation) is cut at month boundaries and adds
``days x weight`` to its month.

Usage is summed per placement: a participant who exits and is placed again in the same
programme on one day uses a seat through each placement on that day, as Nav counts each
participation (deltakelse) on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from orbit_domain.events import SeatsAllocated
from orbit_domain.period import ONE_DAY, Month, Period
from orbit_domain.projections.timeline import JourneyTimeline
from orbit_domain.report import MonthSeats, SeatUsage
from orbit_domain.weighting import Weighting


def allocation_spans(
    allocations: Iterable[SeatsAllocated],
) -> Iterator[tuple[dt.date, dt.date | None, float]]:
    """Each stretch of days at one allocation: first day, last day (None: open), seats.

    The allocation in force on a day is the one with the latest ``date`` on or before it;
    of several with the same ``date``, the later one in store order. Before the first
    there is none (0 seats), which needs no span.
    """
    seats_from: dict[dt.date, float] = {}
    for allocation in allocations:
        seats_from[allocation.date] = allocation.seats
    starts = sorted(seats_from)
    for index, start in enumerate(starts):
        last = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else None
        yield start, last, seats_from[start]


def _add_by_month(
    totals: dict[Month, float],
    period: Period,
    spans: Iterable[tuple[dt.date, dt.date | None, float]],
) -> None:
    for first, last, weight in spans:
        inside = period.clip(first, last)
        if inside is None:
            continue
        for month, days in inside.split_by_month():
            totals[month] = totals.get(month, 0) + days.days * weight


def seat_usage(
    journeys: Iterable[JourneyTimeline],
    allocations: Iterable[Iterable[SeatsAllocated]],
    period: Period,
    weighting: Weighting,
) -> SeatUsage:
    """The programme's seat usage per month, for journeys already cut at ``period.end``.

    ``allocations`` holds one sequence per allocating organisation; their seats add up.
    """
    # Whole hundredths of a seat, so that the sum over days is exact.
    used_seat_percent_days: dict[Month, float] = {}
    _add_by_month(
        used_seat_percent_days,
        period,
        (
            (first, last, weighting.seat_percent(percentage))
            for journey in journeys
            for first, last, percentage in journey.percentage_spans()
        ),
    )
    allocated_seat_days: dict[Month, float] = {}
    for organisation_allocations in allocations:
        _add_by_month(allocated_seat_days, period, allocation_spans(organisation_allocations))
    return SeatUsage(
        months=tuple(
            MonthSeats(
                month=month,
                allocated=allocated_seat_days.get(month, 0) / days.days,
                used=used_seat_percent_days.get(month, 0) / (100 * days.days),
            )
            for month, days in period.split_by_month()
        )
    )
