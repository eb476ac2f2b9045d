"""The journey rules of events-v1: which event a participant's stream accepts next.

``decide`` checks a proposed event against the stream's state and raises
:class:`RuleViolationError` with a message naming the participant, the event and the rule;
``evolve`` folds an accepted event into the state. ``evolve`` has no guards: it runs
on every replay and trusts that ``decide`` ran when the event was stored.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import NamedTuple

import attrs

from orbit_domain.errors import RuleViolationError, shown
from orbit_domain.events import (
    ORGANISATION_FACT_TYPES,
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    FactRetracted,
    HospiteringEnded,
    HospiteringStarted,
    OrganisationEvent,
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ReferralWithdrawn,
    SurveyAnswered,
    Waitlisted,
)


class OpenJourney(NamedTuple):
    """The journey in progress: from a referral until a withdrawal or an exit.

    A named tuple, as :class:`ParticipantState` is: the import makes one or both for
    every event it accepts, and a tuple is made in under half the time of a frozen
    attrs instance. Both are values: immutable, compared field by field.
    """

    programme: str
    waitlisted: bool = False
    placed: bool = False
    hospitering_open: bool = False
    open_courses: frozenset[str] = frozenset()


class ParticipantState(NamedTuple):
    journey: OpenJourney | None = None
    exit_dates: frozenset[dt.date] = frozenset()
    last_date: dt.date | None = None
    last_recorded_at: dt.datetime | None = None


class KnownEvent(NamedTuple):
    """What a retraction must know of an earlier organisation event."""

    type: str
    date: dt.date
    retracted: bool = False


def _frozen_known(known: Mapping[str, KnownEvent]) -> Mapping[str, KnownEvent]:
    return types.MappingProxyType(dict(known))


@attrs.frozen
class OrganisationState:
    last_recorded_at: dt.datetime | None = None
    known: Mapping[str, KnownEvent] = attrs.field(factory=dict, converter=_frozen_known)
    """The organisation's events by id (those stored with one), for ``FactRetracted``."""


def decide(
    state: ParticipantState, event: ParticipantEvent, recorded_at: dt.datetime, participant: str
) -> None:
    """Raise :class:`RuleViolationError` unless ``event`` may follow ``state``."""
    broken = _broken_rule(state, event, recorded_at)
    if broken is not None:
        raise RuleViolationError(event.TYPE, participant, broken)


def _recorded_before(previous: dt.datetime | None, recorded_at: dt.datetime) -> str | None:
    """A stream's events are recorded in order: why not, if ``recorded_at`` breaks it."""
    if previous is not None and recorded_at < previous:
        return (
            f"recorded_at {recorded_at.isoformat()} is before the stream's previous "
            f"recorded_at {previous.isoformat()}"
        )
    return None


def _broken_rule(
    state: ParticipantState, event: ParticipantEvent, recorded_at: dt.datetime
) -> str | None:
    last_recorded_at = state.last_recorded_at
    if last_recorded_at is not None and recorded_at < last_recorded_at:
        return _recorded_before(last_recorded_at, recorded_at)
    if isinstance(event, ExitCorrected):
        if event.date not in state.exit_dates:
            return f"no exit dated {event.date.isoformat()} to correct"
        return None
    last_date = state.last_date
    if last_date is not None and event.date < last_date:
        return (
            f"date {event.date.isoformat()} is before the stream's previous "
            f"date {last_date.isoformat()}"
        )
    return _journey_rule(state.journey, event)


def _journey_rule(journey: OpenJourney | None, event: ParticipantEvent) -> str | None:
    if isinstance(event, ParticipantReferred):
        return "a journey is already open" if journey is not None else None
    if journey is None:
        return "no open journey"
    match event:  # the commonest events first
        case CourseStarted() | SurveyAnswered():
            return None
        case CourseCompleted():
            if event.course not in journey.open_courses:
                return (
                    f"course {shown(event.course)} was not started in this journey, or is completed"
                )
            return None
        case Waitlisted():
            if journey.placed:
                return "already placed"
            return "already waitlisted" if journey.waitlisted else None
        case ReferralWithdrawn() | PlacementStarted():
            return "already placed" if journey.placed else None
        case PercentageChanged() | ParticipantExited():
            return None if journey.placed else "not placed"
        case HospiteringStarted():
            if not journey.placed:
                return "not placed"
            return "a hospitering is already open" if journey.hospitering_open else None
        case HospiteringEnded():
            return None if journey.hospitering_open else "no hospitering open"
    return None


def evolve(
    state: ParticipantState, event: ParticipantEvent, recorded_at: dt.datetime
) -> ParticipantState:
    """The participant's state after ``event``.

    The new states are built by their constructors rather than ``_replace``: the
    import runs this once per event, and ``_replace`` costs several times more.
    """
    journey, exit_dates, last_date, _ = state
    match event:  # the commonest events first
        case SurveyAnswered() | PercentageChanged():
            pass  # the journey is as it was
        case ExitCorrected():
            return ParticipantState(journey, exit_dates, last_date, recorded_at)
        case ParticipantReferred():
            journey = OpenJourney(event.programme)
        case ReferralWithdrawn():
            journey = None
        case ParticipantExited():
            journey = None
            exit_dates = exit_dates | {event.date}
        case _ if journey is not None:
            journey = _evolve_journey(journey, event)
    return ParticipantState(journey, exit_dates, event.date, recorded_at)


def _evolve_journey(journey: OpenJourney, event: ParticipantEvent) -> OpenJourney:
    programme, waitlisted, placed, hospitering_open, open_courses = journey
    match event:  # the commonest events first
        case CourseStarted():
            open_courses = open_courses | {event.course}
        case CourseCompleted():
            open_courses = open_courses - {event.course}
        case Waitlisted():
            waitlisted = True
        case PlacementStarted():
            placed = True
        case HospiteringStarted():
            hospitering_open = True
        case HospiteringEnded():
            hospitering_open = False
        case _:
            return journey
    return OpenJourney(programme, waitlisted, placed, hospitering_open, open_courses)


ORGANISATION_SUBJECT = "the organisation"
_RETRACTABLE = tuple(fact_type.TYPE for fact_type in ORGANISATION_FACT_TYPES)


def decide_organisation(
    state: OrganisationState, event: OrganisationEvent, recorded_at: dt.datetime
) -> None:
    """Organisation events keep ``recorded_at`` in order, and a retraction must name an
    earlier fact it may retract.

    Otherwise they may be dated in any order: the allocation in force on a day is the
    one with the latest ``date`` on or before it, and facts count by their own dates,
    so their order in the stream does not change any figure.
    """
    broken = _broken_organisation_rule(state, event, recorded_at)
    if broken is not None:
        raise RuleViolationError(event.TYPE, ORGANISATION_SUBJECT, broken)


def _broken_organisation_rule(
    state: OrganisationState, event: OrganisationEvent, recorded_at: dt.datetime
) -> str | None:
    if (out_of_order := _recorded_before(state.last_recorded_at, recorded_at)) is not None:
        return out_of_order
    if isinstance(event, FactRetracted):
        return _retraction_rule(state, event)
    return None


def _retraction_rule(state: OrganisationState, event: FactRetracted) -> str | None:
    retracted = state.known.get(event.retracts)
    if retracted is None:
        return f"retracts {event.retracts}, but no earlier organisation event has that id"
    if retracted.type not in _RETRACTABLE:
        return (
            f"retracts {event.retracts}, a {retracted.type}; only "
            f"{', '.join(_RETRACTABLE[:-1])} or {_RETRACTABLE[-1]} can be retracted"
        )
    if retracted.retracted:
        return f"retracts {event.retracts}, which is already retracted"
    if event.date != retracted.date:
        return (
            f"date {event.date.isoformat()} is not the date of the fact it retracts "
            f"({retracted.date.isoformat()}); a retraction is dated at its fact"
        )
    return None


def evolve_organisation(
    state: OrganisationState,
    event: OrganisationEvent,
    recorded_at: dt.datetime,
    event_id: str | None = None,
) -> OrganisationState:
    """The organisation's state after ``event``, stored with ``event_id``.

    Every organisation event's id is kept with its type and date, so that a retraction
    naming an allocation is told what it names; an event without an id (one built in
    memory) adds none, and cannot be retracted.
    """
    known = state.known
    if isinstance(event, FactRetracted):
        target = known.get(event.retracts)
        if target is not None:
            known = {**known, event.retracts: target._replace(retracted=True)}
    if event_id is not None:
        known = {**known, event_id: KnownEvent(event.TYPE, event.date)}
    return OrganisationState(recorded_at, known)
