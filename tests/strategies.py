"""Hypothesis strategies for valid orbit histories, and for the queries asked of them.

A history is a list of :class:`Recorded` in a valid store order: every participant's
stream satisfies :func:`orbit_domain.journey.decide` (dates never go back, except
``ExitCorrected``; ``recorded_at`` never goes back), and the streams interleave freely.
Histories use every event type: re-entries, withdrawals, waiting lists, percentage
changes, hospitering, courses, surveys, exits and late-recorded corrections, allocations
that change mid-month and on equal dates, programmes other than AFT and VTA, and dates
around month and year ends and the leap day 2020-02-29.

Building blocks are public so that property suites can combine them differently.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    Event,
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
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting

PROGRAMMES = ("AFT", "VTA", "LAERLING")
EPOCH = dt.date(2019, 11, 1)
"""Histories start here; with their gaps they run through 2020 (a leap year) into 2022."""
NOTABLE_DAYS = (
    dt.date(2019, 12, 31),
    dt.date(2020, 1, 1),
    dt.date(2020, 2, 28),
    dt.date(2020, 2, 29),
    dt.date(2020, 3, 1),
    dt.date(2020, 12, 31),
    dt.date(2021, 1, 31),
)
COURSES = ("migranorsk", "forklift", "dpl:word", "vr:interview")
CATEGORIES = (None, "language", "certificate", "computer_room", "vr")
PERCENTAGES = (None, 1, 30, 49, 50, 51, 60, 80, 100)
"""Both sides of Nav's 50 % threshold, the extremes, and the default (None: 100 %)."""

# Strategies are built once here: building one per draw costs more than the draw.
days = st.integers(0, 900).map(lambda offset: EPOCH + dt.timedelta(days=offset)) | st.sampled_from(
    NOTABLE_DAYS
)
gaps = st.integers(0, 45) | st.sampled_from((0, 0, 1, 120, 366))
"""Days between a stream's consecutive events: often none, sometimes a year."""
recording_lags = st.integers(-30 * 24 * 60, 20 * 24 * 60) | st.integers(0, 300 * 24 * 60)
"""Minutes from an event's date to its recording: some ahead of time, some months late."""
_coin = st.booleans()
_programmes = st.sampled_from(PROGRAMMES)
_genders = st.sampled_from((None, *Gender))
_birth_years = st.none() | st.integers(1950, 2005)
_outcomes = st.sampled_from(Outcome)
_courses = st.sampled_from(COURSES)
_categories = st.sampled_from(CATEGORIES)
_licences = st.sampled_from((None, True, False))
_surveys = st.sampled_from(("user", "exit"))
_scales = st.sampled_from((6.0, 6.0, 5.0, 100.0))
_shares = st.integers(0, 10).map(lambda tenths: tenths / 10) | st.floats(0, 1)
_placement_percentages = st.sampled_from(PERCENTAGES)
_changed_percentages = st.sampled_from(PERCENTAGES[1:])
_hospitering_kinds = st.sampled_from((None, *HospiteringKind))
_endings = st.sampled_from(("place", "place", "place", "withdraw", "stay open"))
_correction_counts = st.sampled_from((0, 0, 1, 2))


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class StreamBuilder:
    """One participant's stream, appended to in order: keeps dates and times monotone."""

    def __init__(self, draw: st.DrawFn, participant: str, first_day: dt.date) -> None:
        self.draw = draw
        self.participant = participant
        self.day = first_day
        self.recorded_at: dt.datetime | None = None
        self.stream: list[Recorded] = []
        self.pending_corrections: list[ExitCorrected] = []

    def next_day(self) -> dt.date:
        self.day += dt.timedelta(days=self.draw(gaps))
        return self.day

    def add(self, event: ParticipantEvent) -> None:
        natural = midnight(event.date) + dt.timedelta(minutes=self.draw(recording_lags))
        if self.recorded_at is not None:
            natural = max(natural, self.recorded_at)
        self.recorded_at = natural
        self.stream.append(Recorded(self.participant, natural, event))
        self.maybe_flush_corrections()

    def maybe_flush_corrections(self) -> None:
        """Corrections land some events after their exit, so they are recorded late."""
        while self.pending_corrections:
            if not self.draw(_coin):
                return
            self.add(self.pending_corrections.pop(0))

    def flush_all_corrections(self) -> None:
        while self.pending_corrections:
            self.add(self.pending_corrections.pop(0))


class OpenJourney:
    """What the builder must know of the open journey to keep its events valid."""

    def __init__(self) -> None:
        self.open_courses: list[str] = []
        self.placed = False
        self.hospitering_open = False

    def activities(self) -> list[str]:
        kinds = ["course", "survey"]
        if self.placed:
            kinds += ["percentage", "hospitering"]
        if self.open_courses:
            kinds.append("completion")
        return kinds


def _journey_activity(builder: StreamBuilder, journey: OpenJourney) -> None:
    """One course, survey, percentage or hospitering event allowed in the open journey."""
    draw = builder.draw
    kind = draw(st.sampled_from(journey.activities()))
    day = builder.next_day()
    if kind == "course":
        course = draw(_courses)
        builder.add(
            CourseStarted(day, course=course, category=draw(_categories), licence=draw(_licences))
        )
        if course not in journey.open_courses:
            journey.open_courses.append(course)
    elif kind == "completion":
        course = draw(st.sampled_from(journey.open_courses))
        journey.open_courses.remove(course)
        builder.add(CourseCompleted(day, course=course))
    elif kind == "survey":
        scale_max = draw(_scales)
        score = min(draw(_shares) * scale_max, scale_max)
        builder.add(SurveyAnswered(day, survey=draw(_surveys), score=score, scale_max=scale_max))
    elif kind == "percentage":
        builder.add(PercentageChanged(day, percentage=draw(_changed_percentages)))
    elif journey.hospitering_open:
        builder.add(HospiteringEnded(day))
        journey.hospitering_open = False
    else:
        builder.add(HospiteringStarted(day, kind=draw(_hospitering_kinds)))
        journey.hospitering_open = True


def add_journey(builder: StreamBuilder, may_stay_open: bool) -> None:
    """Append one journey; only the participant's last journey may be left open."""
    draw = builder.draw
    builder.add(
        ParticipantReferred(
            builder.next_day(),
            programme=draw(_programmes),
            gender=draw(_genders),
            birth_year=draw(_birth_years),
        )
    )
    journey = OpenJourney()
    if draw(_coin) or draw(_coin):
        builder.add(Waitlisted(builder.next_day()))
    for _ in range(draw(st.integers(0, 2))):
        _journey_activity(builder, journey)
    ending = draw(_endings)
    if ending == "stay open" and may_stay_open:
        return
    if ending == "withdraw":
        builder.add(ReferralWithdrawn(builder.next_day()))
        return
    builder.add(PlacementStarted(builder.next_day(), percentage=draw(_placement_percentages)))
    journey.placed = True
    for _ in range(draw(st.integers(0, 7))):
        _journey_activity(builder, journey)
    if may_stay_open and draw(_coin):
        return
    exit_day = builder.next_day()
    builder.add(ParticipantExited(exit_day, outcome=draw(_outcomes)))
    for _ in range(draw(_correction_counts)):
        builder.pending_corrections.append(ExitCorrected(exit_day, draw(_outcomes)))


@st.composite
def participant_streams(draw: st.DrawFn, participant: str) -> list[Recorded]:
    """One participant's valid stream: up to three journeys, one after the other."""
    builder = StreamBuilder(draw, participant, draw(days))
    journeys = draw(st.integers(1, 3))
    for index in range(journeys):
        add_journey(builder, may_stay_open=index == journeys - 1)
    builder.flush_all_corrections()
    return builder.stream


_allocation_days = st.sampled_from((EPOCH, dt.date(2020, 1, 1), dt.date(2020, 2, 15))) | days
_seats = st.integers(1, 60).map(float) | st.floats(0.5, 60.0)
_allocated_programmes = st.sampled_from((*PROGRAMMES, "VTO"))
_allocation_intervals = st.integers(0, 90 * 24 * 60)


@st.composite
def allocation_streams(draw: st.DrawFn) -> list[Recorded]:
    """The organisation's stream: allocations for any date, recorded in time order.

    Dates repeat on purpose (then the later one in store order holds) and fall
    mid-month; ``VTO`` gets allocations but never a referral.
    """
    recorded_at = midnight(EPOCH) - dt.timedelta(days=60)
    stream = []
    for _ in range(draw(st.integers(0, 5))):
        recorded_at += dt.timedelta(minutes=draw(_allocation_intervals))
        allocation = SeatsAllocated(
            draw(_allocation_days), programme=draw(_allocated_programmes), seats=draw(_seats)
        )
        stream.append(Recorded(None, recorded_at, allocation))
    return stream


@st.composite
def interleaved(draw: st.DrawFn, streams: list[list[Recorded]]) -> list[Recorded]:
    """The streams merged in some store order that keeps each stream's own order."""
    labels = [index for index, stream in enumerate(streams) for _ in stream]
    queues = [list(reversed(stream)) for stream in streams]
    return [queues[label].pop() for label in draw(st.permutations(labels))]


@st.composite
def histories(draw: st.DrawFn, max_participants: int = 6) -> list[Recorded]:
    """A valid store: a few participants' streams and the allocations, interleaved."""
    count = draw(st.integers(0, max_participants))
    streams = [draw(participant_streams(f"P-{number}")) for number in range(1, count + 1)]
    streams.append(draw(allocation_streams()))
    return draw(interleaved(streams))


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A period inside or around the histories: a day, part of a month, months, a year."""
    start = draw(days | st.sampled_from((EPOCH - dt.timedelta(days=40), dt.date(2020, 2, 1))))
    length = draw(st.integers(0, 40) | st.integers(0, 500) | st.sampled_from((27, 28, 365)))
    return Period(start, start + dt.timedelta(days=length))


known_ats = st.none() | st.integers(-60, 1300).map(
    lambda offset: midnight(EPOCH) + dt.timedelta(hours=offset * 24 - 12)
)
"""No knowledge time, or one somewhere from before the first event to after the last."""

weightings = st.sampled_from(Weighting)


def events_of(history: list[Recorded]) -> list[Event]:
    return [recorded.event for recorded in history]
