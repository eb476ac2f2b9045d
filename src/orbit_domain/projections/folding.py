"""The fold replay runs: stored events into the timelines of :mod:`.timeline`.

``fold(state, events)`` is the projection's fold, with ``EMPTY_TIMELINES`` as the
initial value; one more event is ``fold(state, (event,))``. It goes through
:class:`TimelinesBuilder`, which holds the journeys an event touched as mutable drafts
and freezes them once at the end: a replay folds millions of events, and copying a
frozen journey per event was the largest cost of the fold. The builder's methods take
the events' values rather than the events, so that a store adapter can feed it from its
rows without building an event per row; it trusts, as ``evolve`` does, that a stream
was checked when it was stored.

The store's replay folds rows with its own, faster fold
(orbit_adapters.read_model.row_fold); this one is the reference it is tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from orbit_domain.events import (
    ORGANISATION_EVENT_TYPES,
    ComplaintReceived,
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    FactRetracted,
    Gender,
    HospiteringEnded,
    HospiteringKind,
    HospiteringStarted,
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ProviderClosed,
    ReferralWithdrawn,
    SeatsAllocated,
    StaffTrainingRecorded,
    SurveyAnswered,
    Waitlisted,
)
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.projections.organisation import (
    ClosureFact,
    ComplaintFact,
    OrganisationFacts,
    TrainingFact,
)
from orbit_domain.projections.timeline import (
    OWN_ALLOCATIONS,
    CourseCompletion,
    CourseStart,
    Exit,
    HospiteringSpan,
    JourneyTimeline,
    PercentageFrom,
    SurveyAnswer,
    Timelines,
)


def fold(state: Timelines, events: Iterable[Recorded]) -> Timelines:
    """The state after ``events``, in store order (already filtered by the replay)."""
    builder = TimelinesBuilder(state)
    for recorded in events:
        builder.apply(recorded)
    return builder.build()


class _Draft:
    """A journey being folded: the fields of :class:`JourneyTimeline`, mutable."""

    __slots__ = (
        "course_completions",
        "course_starts",
        "exit",
        "gender",
        "hospiterings",
        "participant",
        "percentages",
        "placed_on",
        "programme",
        "referred_on",
        "survey_answers",
        "waitlisted_on",
        "withdrawn_on",
    )

    def __init__(
        self, participant: str, programme: str, gender: Gender, referred_on: dt.date
    ) -> None:
        """A journey just referred."""
        self.participant = participant
        self.programme = programme
        self.gender = gender
        self.referred_on = referred_on
        self.waitlisted_on: dt.date | None = None
        self.withdrawn_on: dt.date | None = None
        self.placed_on: dt.date | None = None
        self.percentages: list[PercentageFrom] = []
        self.hospiterings: list[HospiteringSpan] = []
        self.course_starts: list[CourseStart] = []
        self.course_completions: list[CourseCompletion] = []
        self.survey_answers: list[SurveyAnswer] = []
        self.exit: Exit | None = None

    @classmethod
    def of(cls, journey: JourneyTimeline) -> _Draft:
        """A journey of the state, to change."""
        draft = cls(journey.participant, journey.programme, journey.gender, journey.referred_on)
        draft.waitlisted_on = journey.waitlisted_on
        draft.withdrawn_on = journey.withdrawn_on
        draft.placed_on = journey.placed_on
        draft.percentages = list(journey.percentages)
        draft.hospiterings = list(journey.hospiterings)
        draft.course_starts = list(journey.course_starts)
        draft.course_completions = list(journey.course_completions)
        draft.survey_answers = list(journey.survey_answers)
        draft.exit = journey.exit
        return draft

    def frozen(self) -> JourneyTimeline:
        # Positional, in the order of JourneyTimeline's fields: keywords cost four times
        # as much, once per journey of every replay.
        return JourneyTimeline(
            self.participant,
            self.programme,
            self.gender,
            self.referred_on,
            self.waitlisted_on,
            self.withdrawn_on,
            self.placed_on,
            tuple(self.percentages),
            tuple(self.hospiterings),
            tuple(self.course_starts),
            tuple(self.course_completions),
            tuple(self.survey_answers),
            self.exit,
        )

    def close_hospitering(self, last_day: dt.date) -> None:
        if self.hospiterings:
            start, kind, end = self.hospiterings[-1]
            if end is None:
                self.hospiterings[-1] = HospiteringSpan(start, kind, last_day)


_Journey = JourneyTimeline | _Draft
_Fact = TypeVar("_Fact", ComplaintFact, TrainingFact, ClosureFact)


def _drop(facts: list[_Fact], event_id: str) -> bool:
    """Remove the fact registered with ``event_id``; whether there was one."""
    for index, fact in enumerate(facts):
        if fact.event_id == event_id:
            del facts[index]
            return True
    return False


class TimelinesBuilder:
    """Folds events into a copy of ``state``; :meth:`build` gives the new state.

    A participant's journeys are copied from the state when one of their events first
    arrives, the last one as a draft; an exit correction may reopen an earlier one.
    Events for a participant with no journey change nothing, as in ``evolve``.

    Nearly every event changes its participant's last journey, so the methods find it
    with one lookup in ``_open_drafts`` and fall back to :meth:`_open` only for a
    participant not seen yet, or with no journey (replay calls them once per row).
    """

    def __init__(self, state: Timelines) -> None:
        self._state = state
        self._touched: dict[str, list[_Journey]] = {}
        self._open_drafts: dict[str, _Draft] = {}
        """Per participant, their last journey once it is a draft: the one events change."""
        self._own_allocations = list(state.allocations.get(OWN_ALLOCATIONS, ()))
        self._complaints = list(state.facts.complaints)
        self._trainings = list(state.facts.trainings)
        self._closures = list(state.facts.closures)
        self.events_folded = state.events_folded
        """Every event passed to the builder counts, whether or not it changed anything."""

    def build(self) -> Timelines:
        journeys = dict(self._state.journeys)
        for participant, touched in self._touched.items():
            if touched:
                journeys[participant] = tuple(
                    j.frozen() if isinstance(j, _Draft) else j for j in touched
                )
        allocations = dict(self._state.allocations)
        if self._own_allocations:
            allocations[OWN_ALLOCATIONS] = tuple(self._own_allocations)
        return Timelines(
            journeys=journeys,
            allocations=allocations,
            events_folded=self.events_folded,
            facts=OrganisationFacts(
                tuple(self._complaints), tuple(self._trainings), tuple(self._closures)
            ),
        )

    def apply(self, recorded: Recorded) -> None:
        """Fold one stored event."""
        self.events_folded += 1
        event = recorded.event
        participant = recorded.participant
        if participant is not None:
            if not isinstance(event, ORGANISATION_EVENT_TYPES):
                self._apply_participant_event(participant, event)
            return
        match event:
            case SeatsAllocated():
                self.seats_allocated(event)
            case ComplaintReceived():
                self.complaint_received(recorded.event_id, event.date, event.programme)
            case StaffTrainingRecorded():
                self.staff_training_recorded(recorded.event_id, event.date, event.days)
            case ProviderClosed():
                self.provider_closed(recorded.event_id, event.date, event.until, event.programme)
            case FactRetracted():
                self.fact_retracted(event.retracts)

    def _apply_participant_event(self, participant: str, event: ParticipantEvent) -> None:
        match event:
            case ParticipantReferred():
                self.referred(participant, event.date, event.programme, event.effective_gender)
            case Waitlisted():
                self.waitlisted(participant, event.date)
            case ReferralWithdrawn():
                self.withdrawn(participant, event.date)
            case PlacementStarted():
                self.placed(participant, event.date, event.effective_percentage)
            case PercentageChanged():
                self.percentage_changed(participant, event.date, event.percentage)
            case HospiteringStarted():
                self.hospitering_started(participant, event.date, event.effective_kind)
            case HospiteringEnded():
                self.hospitering_ended(participant, event.date)
            case CourseStarted():
                self.course_started(
                    participant, event.date, event.course, event.category, event.uses_licence
                )
            case CourseCompleted():
                self.course_completed(participant, event.date, event.course)
            case SurveyAnswered():
                self.survey_answered(
                    participant, event.date, event.survey, event.score, event.scale_max
                )
            case ParticipantExited():
                self.exited(participant, event.date, event.outcome)
            case ExitCorrected():
                self.exit_corrected(participant, event.date, event.outcome)

    # One method per event type, taking the values the timelines keep.

    def seats_allocated(self, allocation: SeatsAllocated) -> None:
        self._own_allocations.append(allocation)

    def complaint_received(self, event_id: str | None, day: dt.date, programme: str | None) -> None:
        self._complaints.append(ComplaintFact(event_id, day, programme))

    def staff_training_recorded(self, event_id: str | None, day: dt.date, days: float) -> None:
        self._trainings.append(TrainingFact(event_id, day, days))

    def provider_closed(
        self, event_id: str | None, day: dt.date, until: dt.date, programme: str | None
    ) -> None:
        self._closures.append(ClosureFact(event_id, day, until, programme))

    def fact_retracted(self, retracts: str) -> None:
        """The fact registered with id ``retracts`` no longer counts."""
        if not _drop(self._complaints, retracts) and not _drop(self._trainings, retracts):
            _drop(self._closures, retracts)

    def referred(self, participant: str, day: dt.date, programme: str, gender: Gender) -> None:
        opened = _Draft(participant, programme, gender, day)
        self._journeys(participant).append(opened)
        self._open_drafts[participant] = opened

    def waitlisted(self, participant: str, day: dt.date) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.waitlisted_on = day

    def withdrawn(self, participant: str, day: dt.date) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.withdrawn_on = day

    def placed(self, participant: str, day: dt.date, percentage: int) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.placed_on = day
            journey.percentages = [PercentageFrom(day, percentage)]

    def percentage_changed(self, participant: str, day: dt.date, percentage: int) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.percentages.append(PercentageFrom(day, percentage))

    def hospitering_started(self, participant: str, day: dt.date, kind: HospiteringKind) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.hospiterings.append(HospiteringSpan(day, kind))

    def hospitering_ended(self, participant: str, day: dt.date) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.close_hospitering(day)

    def course_started(
        self,
        participant: str,
        day: dt.date,
        course: str,
        category: str | None,
        uses_licence: bool,
    ) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.course_starts.append(CourseStart(day, course, category, uses_licence))

    def course_completed(self, participant: str, day: dt.date, course: str) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.course_completions.append(CourseCompletion(day, course))

    def survey_answered(
        self, participant: str, day: dt.date, survey: str, score: float, scale_max: float
    ) -> None:
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.survey_answers.append(SurveyAnswer(day, survey, score, scale_max))

    def exited(self, participant: str, day: dt.date, outcome: Outcome) -> None:
        """An exit closes an open hospitering on the exit date, as events-v1 says."""
        if journey := self._open_drafts.get(participant) or self._open(participant):
            journey.close_hospitering(day)
            journey.exit = Exit(day, outcome)

    def exit_corrected(self, participant: str, day: dt.date, outcome: Outcome) -> None:
        """The latest exit dated exactly ``day`` gets the corrected outcome."""
        journeys = self._journeys(participant)
        for index in reversed(range(len(journeys))):
            exit_ = journeys[index].exit
            if exit_ is not None and exit_.date == day:
                draft = self._draft(journeys, index)
                draft.exit = Exit(day, outcome)
                return

    def _journeys(self, participant: str) -> list[_Journey]:
        touched = self._touched.get(participant)
        if touched is None:
            touched = self._touched[participant] = list(self._state.journeys.get(participant, ()))
        return touched

    def _open(self, participant: str) -> _Draft | None:
        """The participant's last journey, as a draft (None before their first referral)."""
        journeys = self._journeys(participant)
        if not journeys:
            return None
        draft = self._open_drafts[participant] = self._draft(journeys, -1)
        return draft

    @staticmethod
    def _draft(journeys: list[_Journey], index: int) -> _Draft:
        journey = journeys[index]
        if isinstance(journey, _Draft):
            return journey
        draft = journeys[index] = _Draft.of(journey)
        return draft
