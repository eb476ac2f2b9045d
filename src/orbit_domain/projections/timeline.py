"""The fold's state: every journey as the dates and values the report needs.

The state keeps, for every journey, the dates and values the figures of report-v1 are
computed from, and the programmes' allocation changes. It does not depend on a period:
:meth:`JourneyTimeline.as_of` cuts a timeline at any ``until``, so one state serves every
period that ends on or before the last date folded into it. The fold that builds it is
in :mod:`orbit_domain.projections.folding`.

The journeys and the small records inside them are named tuples rather than attrs
classes: a state holds about a million of them for a large store, the fold freezes and
a checkpoint decodes them all, and a frozen attrs instance of a journey's 13 fields
costs several times a tuple's construction (docs/performance.md, "Replay, round 4").
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator, Mapping
from typing import NamedTuple

import attrs

from orbit_domain.events import Gender, HospiteringKind, SeatsAllocated
from orbit_domain.outcomes import Outcome
from orbit_domain.period import ONE_DAY
from orbit_domain.projections.organisation import NO_FACTS, OrganisationFacts


def _on_or_before(day: dt.date | None, until: dt.date) -> dt.date | None:
    return day if day is not None and day <= until else None


class PercentageFrom(NamedTuple):
    """From ``start`` on, until the next change or the exit, the placement's percentage."""

    start: dt.date
    percentage: int


class HospiteringSpan(NamedTuple):
    """A hospitering (or external practice) from ``start`` to ``end``, both included.

    ``end`` is ``None`` while it is open. An exit closes an open hospitering on the exit
    date, as events-v1 says.
    """

    start: dt.date
    kind: HospiteringKind
    end: dt.date | None = None

    def as_of(self, until: dt.date) -> HospiteringSpan:
        end = self.end
        return self if end is None or end <= until else HospiteringSpan(self.start, self.kind)


class Exit(NamedTuple):
    """The journey's exit: its date (the last active day) and its outcome after corrections."""

    date: dt.date
    outcome: Outcome


class CourseStart(NamedTuple):
    date: dt.date
    course: str
    category: str | None
    uses_licence: bool


class CourseCompletion(NamedTuple):
    date: dt.date
    course: str


class SurveyAnswer(NamedTuple):
    date: dt.date
    survey: str
    score: float
    scale_max: float


class JourneyTimeline(NamedTuple):
    """One journey, from its referral, as the dates and values the report needs."""

    participant: str
    programme: str
    gender: Gender
    """As given at this journey's referral (``unknown`` when absent)."""
    referred_on: dt.date
    waitlisted_on: dt.date | None = None
    withdrawn_on: dt.date | None = None
    placed_on: dt.date | None = None
    percentages: tuple[PercentageFrom, ...] = ()
    hospiterings: tuple[HospiteringSpan, ...] = ()
    course_starts: tuple[CourseStart, ...] = ()
    course_completions: tuple[CourseCompletion, ...] = ()
    survey_answers: tuple[SurveyAnswer, ...] = ()
    exit: Exit | None = None

    @property
    def exit_date(self) -> dt.date | None:
        return None if self.exit is None else self.exit.date

    @property
    def days_waited(self) -> int | None:
        """Days from ``Waitlisted`` to ``PlacementStarted``, for placed waitlisted journeys."""
        if self.waitlisted_on is None or self.placed_on is None:
            return None
        return (self.placed_on - self.waitlisted_on).days

    def is_active_on(self, day: dt.date) -> bool:
        """Placed on or before ``day`` and not exited before it: the exit date is active."""
        return (
            self.placed_on is not None
            and self.placed_on <= day
            and (self.exit is None or day <= self.exit.date)
        )

    def percentage_spans(self) -> Iterator[tuple[dt.date, dt.date | None, int]]:
        """Each stretch of active days at one percentage: first day, last day (None: open).

        A change dated ``d`` applies from ``d``; of several changes on one day the last
        one holds, so the earlier ones give no days at all.
        """
        changes = self.percentages
        for index, change in enumerate(changes):
            last = (
                changes[index + 1].start - ONE_DAY if index + 1 < len(changes) else self.exit_date
            )
            if last is None or last >= change.start:
                yield change.start, last, change.percentage

    def as_of(self, until: dt.date) -> JourneyTimeline | None:
        """The journey as replay up to ``until`` sees it; ``None`` if referred after it."""
        if self.referred_on > until:
            return None
        ended_on = self.exit_date or self.withdrawn_on
        if ended_on is not None and ended_on <= until:
            return self  # a stream's dates never go back, so the whole journey is in view
        return JourneyTimeline(
            self.participant,
            self.programme,
            self.gender,
            self.referred_on,
            _on_or_before(self.waitlisted_on, until),
            _on_or_before(self.withdrawn_on, until),
            _on_or_before(self.placed_on, until),
            tuple(p for p in self.percentages if p.start <= until),
            tuple(h.as_of(until) for h in self.hospiterings if h.start <= until),
            tuple(c for c in self.course_starts if c.date <= until),
            tuple(c for c in self.course_completions if c.date <= until),
            tuple(s for s in self.survey_answers if s.date <= until),
            None,  # the exit, after until
        )


def _frozen_journeys(
    journeys: Mapping[str, tuple[JourneyTimeline, ...]],
) -> Mapping[str, tuple[JourneyTimeline, ...]]:
    return types.MappingProxyType(dict(journeys))


def _frozen_allocations(
    allocations: Mapping[str, tuple[SeatsAllocated, ...]],
) -> Mapping[str, tuple[SeatsAllocated, ...]]:
    return types.MappingProxyType(dict(allocations))


OWN_ALLOCATIONS = ""
"""The key of the organisation's own allocation stream in a single-organisation fold."""


@attrs.frozen
class Timelines:
    """The fold's state: every participant's journeys, and every allocation in store order."""

    journeys: Mapping[str, tuple[JourneyTimeline, ...]] = attrs.field(
        factory=dict, converter=_frozen_journeys
    )
    """Per participant key, their journeys in stream order (the last one may be open)."""
    allocations: Mapping[str, tuple[SeatsAllocated, ...]] = attrs.field(
        factory=dict, converter=_frozen_allocations
    )
    """Per allocating organisation (``OWN_ALLOCATIONS`` in one organisation's fold), its
    allocations in store order. Each organisation's allocation replaces its own earlier
    one; allocations of different organisations add up."""
    events_folded: int = 0
    facts: OrganisationFacts = NO_FACTS
    """The organisation facts (complaints, staff training, closures) not retracted."""

    def all_journeys(self) -> Iterator[JourneyTimeline]:
        """Every journey: participant by participant, each one's in stream order."""
        for journeys in self.journeys.values():
            yield from journeys


EMPTY_TIMELINES = Timelines()
