"""Sets of days and step functions over days, kept as spans so that they merge exactly.

Two figures of report-v1 revision 2 are made of days rather than counts: the days with
a waiting list (a set of days: several organisations' sets merge by union) and the
allocation in force (a number of seats per day: several organisations' allocations add
up). Both are kept in one canonical form, so that a merged value equals, span for span,
the value computed over everything at once, in whatever order values merge:

- a set of days is its maximal runs, oldest first, none touching the next;
- a step function is its maximal runs of one non-zero level, oldest first.

Both ends of a span are days in it. Levels are whole numbers (exact seats, see
:func:`orbit_domain.projections.tally.exact`), so sums never round.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import NamedTuple


class DaySpan(NamedTuple):
    """The days from ``first`` to ``last``, both included."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class LevelSpan(NamedTuple):
    """The days from ``first`` to ``last``, both included, at ``level``."""

    first: dt.date
    last: dt.date
    level: int


def union_of_days(spans: Iterable[DaySpan]) -> tuple[DaySpan, ...]:
    """The days in any of ``spans``, as maximal runs oldest first."""
    runs: list[DaySpan] = []
    for first, last in sorted(spans):
        if runs and first.toordinal() <= runs[-1].last.toordinal() + 1:
            if last > runs[-1].last:
                runs[-1] = DaySpan(runs[-1].first, last)
        else:
            runs.append(DaySpan(first, last))
    return tuple(runs)


def total_days(spans: Iterable[DaySpan]) -> int:
    """The number of days in disjoint ``spans``."""
    return sum(span.days for span in spans)


def sum_of_steps(spans: Iterable[LevelSpan]) -> tuple[LevelSpan, ...]:
    """The step function that is, on each day, the sum of the levels of the ``spans``
    holding that day, as maximal runs of one non-zero level, oldest first."""
    changes: dict[int, int] = {}
    for first, last, level in spans:
        changes[first.toordinal()] = changes.get(first.toordinal(), 0) + level
        # In ordinals: the day after ``last`` may lie past the last date Python has.
        changes[last.toordinal() + 1] = changes.get(last.toordinal() + 1, 0) - level
    runs: list[LevelSpan] = []
    level = 0
    points = sorted(changes)
    for point, following in itertools.pairwise(points):
        level += changes[point]
        if level == 0:
            continue
        first, last = dt.date.fromordinal(point), dt.date.fromordinal(following - 1)
        if runs and runs[-1].level == level and runs[-1].last.toordinal() + 1 == point:
            runs[-1] = runs[-1]._replace(last=last)
        else:
            runs.append(LevelSpan(first, last, level))
    return tuple(runs)
