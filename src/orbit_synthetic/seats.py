"""Allocated seats (tildelte rammer) sized to the simulated occupancy.

Nav allocates seats for a year in a letter before it starts and now and then revises
them mid-year. Here the allocation is fitted afterwards: for each year (or part of a
year between revisions) the seats are the mean number of full seats in use divided by
a utilisation drawn from 87-98 %, so the report shows the 85-100 % an organisation
with a waiting list typically reaches.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator

from orbit_domain.events import (
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    SeatsAllocated,
)
from orbit_synthetic.draws import previous_workday
from orbit_synthetic.people import Timeline

MID_YEAR_REVISION_RATE = 0.35
TARGET_UTILISATION = (0.87, 0.98)


class SeatUse:
    """Full seats in use per programme per day (percentage / 100 summed over participants).

    Kept as day-to-day differences, so adding a placement costs the same however long it is.
    """

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first = first
        self.last = last
        self._changes: dict[str, list[float]] = {}

    def add_stream(self, events: Iterable[ParticipantEvent]) -> None:
        programme = ""
        since: dt.date | None = None
        percentage = 0
        for event in events:
            match event:
                case ParticipantReferred():
                    programme = event.programme
                case PlacementStarted():
                    since, percentage = event.date, event.effective_percentage
                case PercentageChanged() if since is not None:
                    self._add(programme, since, event.date - dt.timedelta(days=1), percentage)
                    since, percentage = event.date, event.percentage
                case ParticipantExited() if since is not None:
                    self._add(programme, since, event.date, percentage)
                    since = None
        if since is not None:
            self._add(programme, since, self.last, percentage)

    def _add(self, programme: str, first: dt.date, last: dt.date, percentage: int) -> None:
        first, last = max(first, self.first), min(last, self.last)
        if first > last:
            return
        days = (self.last - self.first).days + 2
        changes = self._changes.setdefault(programme, [0.0] * days)
        changes[(first - self.first).days] += percentage / 100
        changes[(last - self.first).days + 1] -= percentage / 100

    @property
    def programmes(self) -> list[str]:
        return sorted(self._changes)

    def mean(self, programme: str, first: dt.date, last: dt.date) -> float:
        """Mean full seats in use from ``first`` to ``last``, both inclusive."""
        daily = list(itertools.accumulate(self._changes[programme]))
        used = daily[(first - self.first).days : (last - self.first).days + 1]
        return sum(used) / len(used)


def allocations(
    rng: random.Random, use: SeatUse, timeline: Timeline
) -> Iterator[tuple[dt.datetime, SeatsAllocated]]:
    """Each programme's allocation from 1 January of every year, and mid-year revisions."""
    for programme in use.programmes:
        for year in range(timeline.first_year, timeline.last_year + 1):
            starts = [dt.date(year, 1, 1)]
            if rng.random() < MID_YEAR_REVISION_RATE:
                starts.append(dt.date(year, rng.randint(3, 10), rng.randint(2, 28)))
            ends = [start - dt.timedelta(days=1) for start in starts[1:]] + [dt.date(year, 12, 31)]
            previous = None
            for start, end in zip(starts, ends, strict=True):
                used = use.mean(programme, start, end)
                seats = max(1, round(used / rng.uniform(*TARGET_UTILISATION)))
                if seats != previous:
                    yield _letter_sent(rng, start), SeatsAllocated(start, programme, seats)
                previous = seats


def _letter_sent(rng: random.Random, effective: dt.date) -> dt.datetime:
    """Allocations are announced one to four weeks ahead."""
    day = previous_workday(effective - dt.timedelta(days=rng.randint(7, 28)))
    return dt.datetime(day.year, day.month, day.day, rng.randint(8, 11), 0, tzinfo=dt.UTC)
