"""The journey rules of events-v1, one scenario per rule: given events, when one more, then.

``given`` folds accepted events with ``evolve``; ``when`` asks ``decide`` about the next
one and returns the refusal message, or ``None`` when the event is accepted. Messages are
compared whole, because the message is what the person fixing the data reads: it names the
participant, the event type and the broken rule.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from orbit_domain.errors import RuleViolationError
from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    HospiteringEnded,
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
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from orbit_domain.outcomes import Outcome

PARTICIPANT = "P-17"
FIRST_RECORDING = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2030, 1, 1, 8, 0, tzinfo=dt.UTC)
"""When no recorded_at is given, ``when`` records the event after everything given."""


# ------------------------------------------------------------------ given / when


@attrs.frozen
class Recording:
    """An event with the moment it became known, for scenarios where that moment matters."""

    event: ParticipantEvent
    recorded_at: dt.datetime


def at(moment: str, event: ParticipantEvent) -> Recording:
    return Recording(event, dt.datetime.fromisoformat(moment))


def given(*events: ParticipantEvent | Recording) -> ParticipantState:
    """The state after ``events``, each checked by ``decide`` first so a scenario is valid."""
    state = ParticipantState()
    for number, item in enumerate(events):
        recording = (
            item
            if isinstance(item, Recording)
            else Recording(item, FIRST_RECORDING + dt.timedelta(minutes=number))
        )
        decide(state, recording.event, recording.recorded_at, PARTICIPANT)
        state = evolve(state, recording.event, recording.recorded_at)
    return state


def when(
    state: ParticipantState, event: ParticipantEvent, recorded_at: dt.datetime = LATER
) -> str | None:
    """The refusal message for ``event`` after ``state``, or ``None`` if it is accepted."""
    try:
        decide(state, event, recorded_at, PARTICIPANT)
    except RuleViolationError as error:
        return str(error)
    return None


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def referred(on: str, programme: str = "AFT") -> ParticipantReferred:
    return ParticipantReferred(date=day(on), programme=programme)


def waitlisted(on: str) -> Waitlisted:
    return Waitlisted(date=day(on))


def placed(on: str) -> PlacementStarted:
    return PlacementStarted(date=day(on))


def exited(on: str, outcome: Outcome = Outcome.WORK_UNSUBSIDISED) -> ParticipantExited:
    return ParticipantExited(date=day(on), outcome=outcome)


def hospitering_started(on: str) -> HospiteringStarted:
    return HospiteringStarted(date=day(on))


def course_started(on: str, course: str = "migranorsk") -> CourseStarted:
    return CourseStarted(date=day(on), course=course)


def course_completed(on: str, course: str = "migranorsk") -> CourseCompleted:
    return CourseCompleted(date=day(on), course=course)


def a_placed_journey() -> tuple[ParticipantEvent, ...]:
    return (referred("2024-01-10"), waitlisted("2024-01-15"), placed("2024-02-01"))


def an_ended_journey() -> tuple[ParticipantEvent, ...]:
    return (*a_placed_journey(), exited("2024-06-30"))


# One event of every type that needs an open journey, dated after every scenario below.
NEEDS_AN_OPEN_JOURNEY: list[ParticipantEvent] = [
    waitlisted("2024-09-01"),
    ReferralWithdrawn(date=day("2024-09-01")),
    placed("2024-09-01"),
    PercentageChanged(date=day("2024-09-01"), percentage=50),
    hospitering_started("2024-09-01"),
    HospiteringEnded(date=day("2024-09-01")),
    course_started("2024-09-01"),
    course_completed("2024-09-01"),
    SurveyAnswered(date=day("2024-09-01"), survey="user", score=4, scale_max=6),
    exited("2024-09-01"),
]


def _type_name(event: ParticipantEvent) -> str:
    return event.TYPE


# ------------------------------------------------------------------ journey open / closed


def test_a_first_referral_opens_a_journey() -> None:
    assert when(given(), referred("2024-01-10")) is None


def test_a_referral_is_refused_while_a_journey_is_open() -> None:
    state = given(referred("2024-01-10"))

    message = when(state, referred("2024-03-01", programme="VTA"))

    assert message == "ParticipantReferred for P-17: a journey is already open"


def test_a_referral_is_refused_while_a_placed_journey_is_open() -> None:
    state = given(*a_placed_journey())

    assert when(state, referred("2024-03-01")) == (
        "ParticipantReferred for P-17: a journey is already open"
    )


@pytest.mark.parametrize("event", NEEDS_AN_OPEN_JOURNEY, ids=_type_name)
def test_an_event_that_needs_an_open_journey_is_refused_before_any_referral(
    event: ParticipantEvent,
) -> None:
    assert when(given(), event) == f"{event.TYPE} for P-17: no open journey"


@pytest.mark.parametrize("event", NEEDS_AN_OPEN_JOURNEY, ids=_type_name)
def test_an_event_that_needs_an_open_journey_is_refused_after_an_exit(
    event: ParticipantEvent,
) -> None:
    state = given(*an_ended_journey())

    assert when(state, event) == f"{event.TYPE} for P-17: no open journey"


@pytest.mark.parametrize("event", NEEDS_AN_OPEN_JOURNEY, ids=_type_name)
def test_an_event_that_needs_an_open_journey_is_refused_after_a_withdrawal(
    event: ParticipantEvent,
) -> None:
    state = given(referred("2024-01-10"), ReferralWithdrawn(date=day("2024-02-01")))

    assert when(state, event) == f"{event.TYPE} for P-17: no open journey"


def test_a_course_and_a_survey_are_accepted_in_an_open_journey_before_placement() -> None:
    state = given(referred("2024-01-10"))

    assert when(state, course_started("2024-01-12")) is None
    assert when(state, SurveyAnswered(day("2024-01-12"), "user", 5, 6)) is None


def test_a_refusal_carries_the_participant_the_event_type_and_the_rule_apart() -> None:
    state = given(referred("2024-01-10"))

    with pytest.raises(RuleViolationError) as refusal:
        decide(state, referred("2024-03-01"), LATER, PARTICIPANT)

    assert refusal.value.subject == "P-17"
    assert refusal.value.event_type == "ParticipantReferred"
    assert refusal.value.rule == "a journey is already open"


# ------------------------------------------------------------------ placed / not placed


def test_waitlisting_is_accepted_in_an_open_journey_not_yet_placed() -> None:
    assert when(given(referred("2024-01-10")), waitlisted("2024-01-15")) is None


def test_waitlisting_is_refused_after_placement() -> None:
    state = given(referred("2024-01-10"), placed("2024-02-01"))

    assert when(state, waitlisted("2024-02-05")) == "Waitlisted for P-17: already placed"


def test_waitlisting_is_refused_when_already_waitlisted() -> None:
    state = given(referred("2024-01-10"), waitlisted("2024-01-15"))

    assert when(state, waitlisted("2024-01-20")) == "Waitlisted for P-17: already waitlisted"


def test_a_withdrawal_is_accepted_before_placement_even_when_waitlisted() -> None:
    state = given(referred("2024-01-10"), waitlisted("2024-01-15"))

    assert when(state, ReferralWithdrawn(day("2024-01-20"), reason="moved")) is None


def test_a_withdrawal_is_refused_after_placement() -> None:
    state = given(*a_placed_journey())

    message = when(state, ReferralWithdrawn(day("2024-02-10")))

    assert message == "ReferralWithdrawn for P-17: already placed"


def test_a_placement_is_accepted_in_an_open_journey_with_or_without_waitlisting() -> None:
    straight_in = given(referred("2024-01-10"))
    via_the_waitlist = given(referred("2024-01-10"), waitlisted("2024-01-15"))

    assert when(straight_in, placed("2024-02-01")) is None
    assert when(via_the_waitlist, placed("2024-02-01")) is None


def test_a_second_placement_in_the_same_journey_is_refused() -> None:
    state = given(*a_placed_journey())

    assert when(state, placed("2024-03-01")) == "PlacementStarted for P-17: already placed"


@pytest.mark.parametrize(
    "event",
    [
        PercentageChanged(date=day("2024-01-20"), percentage=60),
        exited("2024-01-20"),
        hospitering_started("2024-01-20"),
    ],
    ids=_type_name,
)
def test_an_event_that_needs_a_placement_is_refused_before_placement(
    event: ParticipantEvent,
) -> None:
    state = given(referred("2024-01-10"), waitlisted("2024-01-15"))

    assert when(state, event) == f"{event.TYPE} for P-17: not placed"


@pytest.mark.parametrize(
    "event",
    [
        PercentageChanged(date=day("2024-03-01"), percentage=60),
        exited("2024-03-01"),
        hospitering_started("2024-03-01"),
    ],
    ids=_type_name,
)
def test_an_event_that_needs_a_placement_is_accepted_after_placement(
    event: ParticipantEvent,
) -> None:
    assert when(given(*a_placed_journey()), event) is None


# ------------------------------------------------------------------ hospitering


def test_a_second_hospitering_is_refused_while_one_is_open() -> None:
    state = given(*a_placed_journey(), hospitering_started("2024-03-01"))

    message = when(state, HospiteringStarted(day("2024-04-01"), kind=None, employer="Rema"))

    assert message == "HospiteringStarted for P-17: a hospitering is already open"


def test_ending_a_hospitering_is_refused_when_none_is_open() -> None:
    state = given(*a_placed_journey())

    message = when(state, HospiteringEnded(day("2024-03-01")))

    assert message == "HospiteringEnded for P-17: no hospitering open"


def test_a_new_hospitering_is_accepted_after_the_previous_one_ended() -> None:
    state = given(
        *a_placed_journey(), hospitering_started("2024-03-01"), HospiteringEnded(day("2024-04-01"))
    )

    assert when(state, hospitering_started("2024-05-01")) is None
    assert when(state, HospiteringEnded(day("2024-05-01"))) == (
        "HospiteringEnded for P-17: no hospitering open"
    )


def test_an_exit_is_accepted_with_a_hospitering_open() -> None:
    state = given(*a_placed_journey(), hospitering_started("2024-03-01"))

    assert when(state, exited("2024-06-30")) is None


def test_an_exit_closes_an_open_hospitering_so_a_later_journey_can_start_one() -> None:
    state = given(
        *a_placed_journey(),
        hospitering_started("2024-03-01"),
        exited("2024-06-30"),
        referred("2024-08-01"),
        placed("2024-08-15"),
    )

    assert when(state, hospitering_started("2024-09-01")) is None
    assert when(state, HospiteringEnded(day("2024-09-01"))) == (
        "HospiteringEnded for P-17: no hospitering open"
    )


# ------------------------------------------------------------------ courses


def test_completing_a_course_started_in_this_journey_is_accepted() -> None:
    state = given(referred("2024-01-10"), course_started("2024-01-12"))

    assert when(state, course_completed("2024-02-12")) is None


def test_completing_a_course_that_was_never_started_is_refused() -> None:
    state = given(referred("2024-01-10"), course_started("2024-01-12", course="excel"))

    message = when(state, course_completed("2024-02-12", course="migranorsk"))

    assert message == (
        "CourseCompleted for P-17: course 'migranorsk' was not started in this journey, "
        "or is completed"
    )


def test_completing_a_course_twice_is_refused() -> None:
    state = given(
        referred("2024-01-10"), course_started("2024-01-12"), course_completed("2024-02-12")
    )

    message = when(state, course_completed("2024-02-13"))

    assert message == (
        "CourseCompleted for P-17: course 'migranorsk' was not started in this journey, "
        "or is completed"
    )


def test_completing_a_course_started_in_an_earlier_journey_is_refused() -> None:
    state = given(
        referred("2024-01-10"),
        course_started("2024-01-12"),
        placed("2024-02-01"),
        exited("2024-06-30"),
        referred("2024-08-01"),
    )

    message = when(state, course_completed("2024-08-02"))

    assert message == (
        "CourseCompleted for P-17: course 'migranorsk' was not started in this journey, "
        "or is completed"
    )


def test_a_course_completed_can_be_started_and_completed_again() -> None:
    state = given(
        referred("2024-01-10"),
        course_started("2024-01-12"),
        course_completed("2024-02-12"),
        course_started("2024-03-01"),
    )

    assert when(state, course_completed("2024-04-01")) is None


# ------------------------------------------------------------------ date order


def test_an_event_dated_before_the_previous_event_is_refused() -> None:
    state = given(referred("2024-01-10"), placed("2024-02-01"))

    message = when(state, PercentageChanged(date=day("2024-01-31"), percentage=50))

    assert message == (
        "PercentageChanged for P-17: date 2024-01-31 is before the stream's previous "
        "date 2024-02-01"
    )


def test_an_event_dated_on_the_same_day_as_the_previous_event_is_accepted() -> None:
    state = given(referred("2024-01-10"), placed("2024-02-01"))

    assert when(state, PercentageChanged(date=day("2024-02-01"), percentage=50)) is None


def test_a_referral_dated_before_the_previous_journey_ended_is_refused() -> None:
    state = given(*an_ended_journey())

    assert when(state, referred("2024-06-29")) == (
        "ParticipantReferred for P-17: date 2024-06-29 is before the stream's previous "
        "date 2024-06-30"
    )


def test_an_exit_correction_is_exempt_from_date_order_and_dated_at_the_exit() -> None:
    state = given(*an_ended_journey(), referred("2024-08-01"), placed("2024-08-15"))

    assert when(state, ExitCorrected(day("2024-06-30"), Outcome.EDUCATION_NAV_FUNDED)) is None


def test_an_exit_correction_does_not_move_the_date_the_next_event_is_compared_with() -> None:
    state = given(
        *an_ended_journey(),
        referred("2024-08-01"),
        ExitCorrected(day("2024-06-30"), Outcome.EDUCATION_NAV_FUNDED),
    )

    assert when(state, waitlisted("2024-08-01")) is None
    assert when(state, waitlisted("2024-07-15")) == (
        "Waitlisted for P-17: date 2024-07-15 is before the stream's previous date 2024-08-01"
    )


# ------------------------------------------------------------------ recorded_at order


def test_an_event_recorded_before_the_previous_event_was_recorded_is_refused() -> None:
    state = given(at("2024-03-01T12:00:00+00:00", referred("2024-01-10")))

    message = when(
        state,
        placed("2024-02-01"),
        recorded_at=dt.datetime.fromisoformat("2024-03-01T11:59:59+00:00"),
    )

    assert message == (
        "PlacementStarted for P-17: recorded_at 2024-03-01T11:59:59+00:00 is before the "
        "stream's previous recorded_at 2024-03-01T12:00:00+00:00"
    )


def test_an_event_recorded_at_the_same_moment_as_the_previous_one_is_accepted() -> None:
    state = given(at("2024-03-01T12:00:00+00:00", referred("2024-01-10")))

    same_moment = dt.datetime.fromisoformat("2024-03-01T14:00:00+02:00")

    assert when(state, placed("2024-02-01"), recorded_at=same_moment) is None


def test_an_exit_correction_recorded_before_the_previous_event_was_recorded_is_refused() -> None:
    state = given(
        at("2024-07-01T09:00:00+00:00", referred("2024-01-10")),
        at("2024-07-01T09:00:00+00:00", placed("2024-02-01")),
        at("2024-07-01T10:00:00+00:00", exited("2024-06-30")),
    )

    message = when(
        state,
        ExitCorrected(day("2024-06-30"), Outcome.PENSION),
        recorded_at=dt.datetime.fromisoformat("2024-07-01T09:30:00+00:00"),
    )

    assert message == (
        "ExitCorrected for P-17: recorded_at 2024-07-01T09:30:00+00:00 is before the "
        "stream's previous recorded_at 2024-07-01T10:00:00+00:00"
    )


def test_an_exit_correction_moves_the_recorded_at_the_next_event_is_compared_with() -> None:
    state = given(
        at("2024-07-01T09:00:00+00:00", referred("2024-01-10")),
        at("2024-07-01T09:00:00+00:00", placed("2024-02-01")),
        at("2024-07-01T10:00:00+00:00", exited("2024-06-30")),
        at("2024-09-01T10:00:00+00:00", ExitCorrected(day("2024-06-30"), Outcome.PENSION)),
    )

    message = when(
        state,
        referred("2024-08-01"),
        recorded_at=dt.datetime.fromisoformat("2024-08-01T10:00:00+00:00"),
    )

    assert message == (
        "ParticipantReferred for P-17: recorded_at 2024-08-01T10:00:00+00:00 is before the "
        "stream's previous recorded_at 2024-09-01T10:00:00+00:00"
    )


# ------------------------------------------------------------------ exit corrections


def test_an_exit_correction_on_the_date_of_the_exit_is_accepted() -> None:
    state = given(*an_ended_journey())

    assert when(state, ExitCorrected(day("2024-06-30"), Outcome.WORK_SUBSIDISED)) is None


def test_an_exit_correction_of_an_earlier_journeys_exit_is_accepted() -> None:
    state = given(
        *an_ended_journey(),
        referred("2024-08-01"),
        placed("2024-08-15"),
        exited("2024-10-31"),
        referred("2024-11-15"),
    )

    assert when(state, ExitCorrected(day("2024-06-30"), Outcome.TREATMENT)) is None
    assert when(state, ExitCorrected(day("2024-10-31"), Outcome.TREATMENT)) is None


def test_an_exit_correction_on_a_date_with_no_exit_is_refused() -> None:
    state = given(*an_ended_journey())

    message = when(state, ExitCorrected(day("2024-06-29"), Outcome.WORK_SUBSIDISED))

    assert message == "ExitCorrected for P-17: no exit dated 2024-06-29 to correct"


def test_an_exit_correction_on_the_date_of_a_withdrawal_is_refused() -> None:
    state = given(referred("2024-01-10"), ReferralWithdrawn(day("2024-02-01")))

    message = when(state, ExitCorrected(day("2024-02-01"), Outcome.UNKNOWN))

    assert message == "ExitCorrected for P-17: no exit dated 2024-02-01 to correct"


def test_an_exit_correction_in_a_stream_without_any_exit_is_refused() -> None:
    message = when(given(), ExitCorrected(day("2024-06-30"), Outcome.UNKNOWN))

    assert message == "ExitCorrected for P-17: no exit dated 2024-06-30 to correct"


def test_an_exit_can_be_corrected_more_than_once() -> None:
    state = given(*an_ended_journey(), ExitCorrected(day("2024-06-30"), Outcome.NO_ACTIVE))

    assert when(state, ExitCorrected(day("2024-06-30"), Outcome.OTHER_ACTIVE)) is None


def test_an_exit_correction_leaves_the_journey_as_it_was() -> None:
    before = given(*an_ended_journey(), referred("2024-08-01"))

    after = evolve(before, ExitCorrected(day("2024-06-30"), Outcome.VTO), LATER)

    assert after.journey == before.journey
    assert after.exit_dates == before.exit_dates
    assert after.last_date == before.last_date


# ------------------------------------------------------------------ re-entry


def test_a_referral_after_an_exit_starts_a_new_journey_in_the_same_stream() -> None:
    state = given(*an_ended_journey())

    assert when(state, referred("2024-08-01", programme="VTA")) is None


def test_a_referral_after_a_withdrawal_starts_a_new_journey_in_the_same_stream() -> None:
    state = given(referred("2024-01-10"), ReferralWithdrawn(day("2024-02-01")))

    assert when(state, referred("2024-02-01")) is None


def test_a_new_journey_starts_unplaced_and_not_waitlisted() -> None:
    state = given(*an_ended_journey(), referred("2024-08-01"))

    assert when(state, waitlisted("2024-08-02")) is None
    assert when(state, placed("2024-08-02")) is None
    assert when(state, PercentageChanged(day("2024-08-02"), 40)) == (
        "PercentageChanged for P-17: not placed"
    )


def test_a_new_journey_keeps_the_exits_of_earlier_journeys() -> None:
    state = given(*an_ended_journey(), referred("2024-08-01"))

    assert state.exit_dates == frozenset({day("2024-06-30")})
    assert state.journey is not None
    assert state.journey.programme == "AFT"


# ------------------------------------------------------------------ the organisation stream


def allocated(on: str, seats: float = 55) -> SeatsAllocated:
    return SeatsAllocated(date=day(on), programme="AFT", seats=seats)


def given_organisation(*recordings: tuple[SeatsAllocated, str]) -> OrganisationState:
    state = OrganisationState()
    for event, moment in recordings:
        recorded_at = dt.datetime.fromisoformat(moment)
        decide_organisation(state, event, recorded_at)
        state = evolve_organisation(state, event, recorded_at)
    return state


def when_organisation(state: OrganisationState, event: SeatsAllocated, moment: str) -> str | None:
    try:
        decide_organisation(state, event, dt.datetime.fromisoformat(moment))
    except RuleViolationError as error:
        return str(error)
    return None


def test_an_allocation_recorded_before_the_previous_allocation_was_recorded_is_refused() -> None:
    state = given_organisation((allocated("2024-01-01"), "2023-12-12T00:00:00+00:00"))

    message = when_organisation(state, allocated("2024-07-01", 60), "2023-12-11T23:59:59+00:00")

    assert message == (
        "SeatsAllocated for the organisation: recorded_at 2023-12-11T23:59:59+00:00 is before "
        "the stream's previous recorded_at 2023-12-12T00:00:00+00:00"
    )


def test_an_allocation_recorded_at_the_same_moment_as_the_previous_one_is_accepted() -> None:
    state = given_organisation((allocated("2024-01-01"), "2023-12-12T00:00:00+00:00"))

    assert when_organisation(state, allocated("2024-07-01"), "2023-12-12T00:00:00+00:00") is None


def test_an_allocation_dated_before_the_previous_allocation_is_accepted() -> None:
    state = given_organisation((allocated("2024-07-01"), "2024-06-01T00:00:00+00:00"))

    earlier_date = allocated("2024-01-01", seats=50)

    assert when_organisation(state, earlier_date, "2024-06-02T00:00:00+00:00") is None
