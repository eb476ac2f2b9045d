"""Seat usage (månedsverk) by interval arithmetic over placements and allocations.

Per calendar month, over the days of the month inside the period: ``used`` is the
participants' weighted percentage summed over those days, ``allocated`` the seats in force
summed over those days, each divided by the number of days. Rather than visit every day,
each stretch at one percentage (or one allocation) is cut at month boundaries and adds
``days x weight`` to its month, in day ordinals (a large report has hundreds of
thousands of stretches).

Usage is summed per placement: a participant who exits and is placed again in the same
programme on one day uses a seat through each placement on that day, as Nav counts each
participation (deltakelse) on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from orbit_domain.events import SeatsAllocated
from orbit_domain.period import ONE_DAY, Period
from orbit_domain.projections.day_spans import LevelSpan, sum_of_steps
from orbit_domain.projections.tally import SeatTally, exact
from orbit_domain.projections.timeline import JourneyTimeline
from orbit_domain.report import SeatUsage
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


_Weight = TypeVar("_Weight", int, float)


class _MonthGrid:
    """The period's months as day ordinals, worked out once per report rather than per span."""

    def __init__(self, period: Period) -> None:
        self.months = list(period.split_by_month())
        self.firsts = [days.start.toordinal() for _, days in self.months]
        self.lasts = [days.end.toordinal() for _, days in self.months]

    def add(
        self,
        totals: list[int],
        spans: Iterable[tuple[dt.date, dt.date | None, _Weight]],
        measure: Callable[[_Weight], int],
    ) -> None:
        """Add ``days x measure(weight)`` of each span to the months it overlaps.

        The spans become the points where the summed level changes, and the months are
        then walked once along those points: a span costs two additions however many
        months it covers. The weight is measured before it is multiplied: ``days x
        weight`` in floats overflows for a weight near the largest float, which a store
        may hold.
        """
        period_first, period_last = self.firsts[0], self.lasts[-1]
        changes: dict[int, int] = {}
        for first_day, last_day, weight in spans:
            first = max(first_day.toordinal(), period_first)
            last = period_last if last_day is None else min(last_day.toordinal(), period_last)
            if first <= last:
                level = measure(weight)
                changes[first] = changes.get(first, 0) + level
                changes[last + 1] = changes.get(last + 1, 0) - level
        points = sorted(changes)
        level = next_point = 0
        for index, (month_first, month_last) in enumerate(
            zip(self.firsts, self.lasts, strict=True)
        ):
            day = month_first
            while next_point < len(points) and points[next_point] <= month_last:
                point = points[next_point]
                totals[index] += level * (point - day)
                level += changes[point]
                day = point
                next_point += 1
            totals[index] += level * (month_last - day + 1)


def seat_usage(
    journeys: Iterable[JourneyTimeline],
    allocations: Iterable[Iterable[SeatsAllocated]],
    period: Period,
    weighting: Weighting,
) -> SeatUsage:
    """The programme's seat usage per month, for journeys already cut at ``period.end``.

    ``allocations`` holds one sequence per allocating organisation; their seats add up.
    """
    return seat_tally(journeys, allocations, period, weighting).usage()


def seat_tally(
    journeys: Iterable[JourneyTimeline],
    allocations: Iterable[Iterable[SeatsAllocated]],
    period: Period,
    weighting: Weighting,
) -> SeatTally:
    """What :func:`seat_usage` is computed from, in a form that adds up across organisations."""
    grid = _MonthGrid(period)
    # Whole hundredths of a seat, so that the sum over days is exact.
    used_seat_percent_days = [0] * len(grid.months)
    grid.add(
        used_seat_percent_days,
        (span for journey in journeys for span in journey.percentage_spans()),
        weighting.seat_percent,
    )
    allocated_seat_days = [0] * len(grid.months)
    allocated_before = 0
    in_period: list[LevelSpan] = []
    for organisation_allocations in allocations:
        spans = list(allocation_spans(organisation_allocations))
        grid.add(allocated_seat_days, spans, exact)
        allocated_before += exact(_seats_before(spans, period.start))
        in_period.extend(_clipped(spans, period))
    return SeatTally(
        months=tuple(month for month, _ in grid.months),
        days=tuple(days.days for _, days in grid.months),
        used_seat_percent_days=tuple(used_seat_percent_days),
        allocated_seat_days=tuple(allocated_seat_days),
        allocated_before=allocated_before,
        allocations=sum_of_steps(in_period),
    )


def _seats_before(spans: Iterable[tuple[dt.date, dt.date | None, float]], day: dt.date) -> float:
    """The seats of the span holding the day before ``day`` (0 when none does)."""
    for first, last, seats in spans:
        if first < day and (last is None or last >= day - ONE_DAY):
            return seats
    return 0.0


def _clipped(
    spans: Iterable[tuple[dt.date, dt.date | None, float]], period: Period
) -> Iterator[LevelSpan]:
    for first, last, seats in spans:
        part = period.clip(first, last)
        if part is not None:
            yield LevelSpan(part.start, part.end, exact(seats))
