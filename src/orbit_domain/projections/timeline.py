"""The fold replay runs: stored events into compact per-journey timelines.

The state keeps, for every journey, the dates and values the figures of report-v1 are
computed from, and the programmes' allocation changes. It does not depend on a period:
:meth:`JourneyTimeline.as_of` cuts a timeline at any ``until``, so one state serves every
period that ends on or before the last date folded into it.

``step`` is the fold's step function and ``EMPTY_TIMELINES`` its initial value; ``fold``
gives the same result as ``functools.reduce(step, events, state)`` but copies the state
once per call rather than once per event.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterable, Iterator, KeysView, Mapping

import attrs

from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    Gender,
    HospiteringEnded,
    HospiteringKind,
    HospiteringStarted,
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ReferralWithdrawn,
    SeatsAllocated,
    SurveyAnswered,
    Waitlisted,
)
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.period import ONE_DAY


def _on_or_before(day: dt.date | None, until: dt.date) -> dt.date | None:
    return day if day is not None and day <= until else None


@attrs.frozen
class PercentageFrom:
    """From ``start`` on, until the next change or the exit, the placement's percentage."""

    start: dt.date
    percentage: int


@attrs.frozen
class HospiteringSpan:
    """A hospitering (or external practice) from ``start`` to ``end``, both included.

    ``end`` is ``None`` while it is open. An exit closes an open hospitering on the exit
    date, as events-v1 says.
    """

    start: dt.date
    kind: HospiteringKind
    end: dt.date | None = None

    def as_of(self, until: dt.date) -> HospiteringSpan:
        return attrs.evolve(self, end=_on_or_before(self.end, until))


@attrs.frozen
class Exit:
    """The journey's exit: its date (the last active day) and its outcome after corrections."""

    date: dt.date
    outcome: Outcome


@attrs.frozen
class JourneyTimeline:
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
    course_starts: tuple[CourseStarted, ...] = ()
    course_completions: tuple[CourseCompleted, ...] = ()
    survey_answers: tuple[SurveyAnswered, ...] = ()
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
        return attrs.evolve(
            self,
            waitlisted_on=_on_or_before(self.waitlisted_on, until),
            withdrawn_on=_on_or_before(self.withdrawn_on, until),
            placed_on=_on_or_before(self.placed_on, until),
            percentages=tuple(p for p in self.percentages if p.start <= until),
            hospiterings=tuple(h.as_of(until) for h in self.hospiterings if h.start <= until),
            course_starts=tuple(c for c in self.course_starts if c.date <= until),
            course_completions=tuple(c for c in self.course_completions if c.date <= until),
            survey_answers=tuple(s for s in self.survey_answers if s.date <= until),
            exit=None,
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

    def all_journeys(self) -> Iterator[JourneyTimeline]:
        """Every journey: participant by participant, each one's in stream order."""
        for journeys in self.journeys.values():
            yield from journeys


EMPTY_TIMELINES = Timelines()


def step(state: Timelines, recorded: Recorded) -> Timelines:
    """The state after one more event."""
    return fold(state, (recorded,))


def fold(state: Timelines, events: Iterable[Recorded]) -> Timelines:
    """The state after ``events``, in store order (already filtered by the replay)."""
    journeys = dict(state.journeys)
    own_allocations = list(state.allocations.get(OWN_ALLOCATIONS, ()))
    folded = state.events_folded
    for recorded in events:
        folded += 1
        event = recorded.event
        if isinstance(event, SeatsAllocated):
            own_allocations.append(event)
        elif recorded.participant is not None:
            participant = recorded.participant
            journeys[participant] = evolve_journeys(
                journeys.get(participant, ()), participant, event
            )
    allocations = dict(state.allocations)
    if own_allocations:
        allocations[OWN_ALLOCATIONS] = tuple(own_allocations)
    return Timelines(journeys=journeys, allocations=allocations, events_folded=folded)


def merge_timelines(organisations: Mapping[str, Timelines]) -> Timelines:
    """One state for several organisations' folds, for figures across them all.

    Participant keys are made distinct per organisation (the same key in two
    organisations is two people), and each organisation's allocations stay its own, so
    seats add up across organisations. Keys that no two organisations share (random
    stream ids, say) are kept as they are, which spares copying every journey.
    """
    journeys: dict[str, tuple[JourneyTimeline, ...]] = {}
    allocations: dict[str, tuple[SeatsAllocated, ...]] = {}
    shared = _shared_keys([timelines.journeys.keys() for timelines in organisations.values()])
    for name, timelines in organisations.items():
        for participant, participant_journeys in timelines.journeys.items():
            if participant not in shared:
                journeys[participant] = participant_journeys
                continue
            key = f"{name}/{participant}"
            journeys[key] = tuple(attrs.evolve(j, participant=key) for j in participant_journeys)
        for stream, stream_allocations in timelines.allocations.items():
            allocations[f"{name}/{stream}"] = stream_allocations
    return Timelines(
        journeys=journeys,
        allocations=allocations,
        events_folded=sum(timelines.events_folded for timelines in organisations.values()),
    )


def _shared_keys(key_sets: list[KeysView[str]]) -> set[str]:
    seen: set[str] = set()
    shared: set[str] = set()
    for keys in key_sets:
        shared |= seen & keys
        seen |= keys
    return shared


def evolve_journeys(
    journeys: tuple[JourneyTimeline, ...], participant: str, event: ParticipantEvent
) -> tuple[JourneyTimeline, ...]:
    """One participant's journeys after one of their events.

    Like :func:`orbit_domain.journey.evolve`, this is total and trusts that the stream
    was checked when it was stored: an event no journey can take changes nothing.
    """
    if isinstance(event, ParticipantReferred):
        opened = JourneyTimeline(
            participant=participant,
            programme=event.programme,
            gender=event.effective_gender,
            referred_on=event.date,
        )
        return (*journeys, opened)
    if isinstance(event, ExitCorrected):
        return _correct_exit(journeys, event)
    if not journeys:
        return journeys
    return (*journeys[:-1], evolve_journey(journeys[-1], event))


def _correct_exit(
    journeys: tuple[JourneyTimeline, ...], correction: ExitCorrected
) -> tuple[JourneyTimeline, ...]:
    """The latest exit dated exactly ``correction.date`` gets the corrected outcome."""
    for index in reversed(range(len(journeys))):
        exit_ = journeys[index].exit
        if exit_ is not None and exit_.date == correction.date:
            corrected = attrs.evolve(
                journeys[index], exit=attrs.evolve(exit_, outcome=correction.outcome)
            )
            return (*journeys[:index], corrected, *journeys[index + 1 :])
    return journeys


def evolve_journey(journey: JourneyTimeline, event: ParticipantEvent) -> JourneyTimeline:
    """The open journey after one of its events (referrals and corrections excluded)."""
    match event:
        case Waitlisted():
            return attrs.evolve(journey, waitlisted_on=event.date)
        case ReferralWithdrawn():
            return attrs.evolve(journey, withdrawn_on=event.date)
        case PlacementStarted():
            first = PercentageFrom(event.date, event.effective_percentage)
            return attrs.evolve(journey, placed_on=event.date, percentages=(first,))
        case PercentageChanged():
            change = PercentageFrom(event.date, event.percentage)
            return attrs.evolve(journey, percentages=(*journey.percentages, change))
        case HospiteringStarted():
            span = HospiteringSpan(event.date, event.effective_kind)
            return attrs.evolve(journey, hospiterings=(*journey.hospiterings, span))
        case HospiteringEnded():
            return _close_hospitering(journey, event.date)
        case CourseStarted():
            return attrs.evolve(journey, course_starts=(*journey.course_starts, event))
        case CourseCompleted():
            return attrs.evolve(journey, course_completions=(*journey.course_completions, event))
        case SurveyAnswered():
            return attrs.evolve(journey, survey_answers=(*journey.survey_answers, event))
        case ParticipantExited():
            closed = _close_hospitering(journey, event.date)
            return attrs.evolve(closed, exit=Exit(event.date, event.outcome))
    return journey


def _close_hospitering(journey: JourneyTimeline, last_day: dt.date) -> JourneyTimeline:
    if not journey.hospiterings or journey.hospiterings[-1].end is not None:
        return journey
    closed = attrs.evolve(journey.hospiterings[-1], end=last_day)
    return attrs.evolve(journey, hospiterings=(*journey.hospiterings[:-1], closed))
