"""Hypothesis strategies for valid orbit histories, and for the queries asked of them.

A history is a list of :class:`Recorded` in a valid store order: every participant's
stream satisfies :func:`orbit_domain.journey.decide` (dates never go back, except
``ExitCorrected``; ``recorded_at`` never goes back), and the streams interleave freely.
Histories use every event type: re-entries, withdrawals, waiting lists, percentage
changes, hospitering, courses, surveys, exits and late-recorded corrections, allocations
that change mid-month and on equal dates, programmes other than AFT and VTA, and dates
around month and year ends and the leap day 2020-02-29.

Besides valid histories, the module generates what the store-level properties need:
each history as events-v1 lines with ids and ``recorded_at`` (:func:`line_histories`),
the same streams in several interleavings (:func:`history_streams`), one valid change of
one field of one line (:func:`field_changes`), and invalid input of every kind: arbitrary
JSON values, mutated valid lines, raw bytes (:func:`invalid_inputs`), and lines that every
store must reject (:data:`surely_invalid_lines`).

Building blocks are public so that property suites can combine them differently.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from orbit_adapters.events_v1 import LineError, decode_line, encode_line
from orbit_adapters.national_id import contains_national_id, is_national_id
from orbit_domain.errors import RuleViolationError
from orbit_domain.events import (
    EVENT_TYPES,
    ORGANISATION_EVENT_TYPES,
    ComplaintReceived,
    CourseCompleted,
    CourseStarted,
    Event,
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
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from orbit_domain.organisation import Closure
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Month, Period
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
FULL_TIME_PERCENTAGES = (None, 100)
"""A full seat, given explicitly or by default: what the "all at 100 %" properties use."""
NEVER_STORED = "never:"
"""Participant keys with this prefix never appear in a generated history."""

# Strategies are built once here: building one per draw costs more than the draw.
days = st.integers(0, 900).map(lambda offset: EPOCH + dt.timedelta(days=offset)) | st.sampled_from(
    NOTABLE_DAYS
)
gaps = st.integers(0, 45) | st.sampled_from((0, 0, 1, 120, 366))
"""Days between a stream's consecutive events: often none, sometimes a year."""
recording_lags = st.integers(-30 * 24 * 60, 20 * 24 * 60) | st.integers(0, 300 * 24 * 60)
"""Minutes from an event's date to its recording: some ahead of time, some months late."""
free_texts = (
    st.none()
    | st.sampled_from(("Ålesund", "Nav Grünerløkka", 'a "quoted" \\ name', "møte 📋", ""))
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
)
"""Optional free-text fields: absent, Norwegian letters, quotes and emoji, any valid text."""
participant_keys = st.from_regex(r"[A-Za-z0-9._:-]{1,64}", fullmatch=True).filter(
    lambda key: not contains_national_id(key) and not key.startswith(NEVER_STORED)
)
"""Any pseudonymous key events-v1 allows (never a national identity number)."""
event_ids = st.uuids().map(str) | st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40
)
"""Event ids: UUIDs as recommended, or any printable ASCII, quotes and backslashes included."""
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
_changed_percentages = st.sampled_from([p for p in PERCENTAGES if p is not None])
_full_time_placement_percentages = st.sampled_from(FULL_TIME_PERCENTAGES)
_full_time_changed_percentages = st.sampled_from((100,))
_hospitering_kinds = st.sampled_from((None, *HospiteringKind))
_endings = st.sampled_from(("place", "place", "place", "withdraw", "stay open"))
_correction_counts = st.sampled_from((0, 0, 1, 2))


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


class StreamBuilder:
    """One participant's stream, appended to in order: keeps dates and times monotone."""

    def __init__(
        self, draw: st.DrawFn, participant: str, first_day: dt.date, *, full_time: bool = False
    ) -> None:
        self.draw = draw
        self.participant = participant
        self.day = first_day
        self.recorded_at: dt.datetime | None = None
        self.stream: list[Recorded] = []
        self.pending_corrections: list[ExitCorrected] = []
        self.full_time = full_time
        """Every placement and percentage change at 100 %."""
        self.precise = draw(_coin)
        """Whether ``recorded_at`` has microseconds, as some case systems give."""
        self.verbose = draw(_coin)
        """Whether optional free-text fields are given (else they are left out)."""

    def free_text(self) -> str | None:
        return self.draw(free_texts) if self.verbose else None

    def placement_percentage(self) -> int | None:
        if self.full_time:
            return self.draw(_full_time_placement_percentages)
        return self.draw(_placement_percentages)

    def changed_percentage(self) -> int:
        if self.full_time:
            return self.draw(_full_time_changed_percentages)
        return self.draw(_changed_percentages)

    def next_day(self) -> dt.date:
        self.day += dt.timedelta(days=self.draw(gaps))
        return self.day

    def add(self, event: ParticipantEvent) -> None:
        lag = self.draw(recording_lags)
        # Microseconds follow from the lag: varied, and no extra draw per event.
        microseconds = (lag * 104_729) % 1_000_000 if self.precise else 0
        natural = midnight(event.date) + dt.timedelta(minutes=lag, microseconds=microseconds)
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
        builder.add(PercentageChanged(day, percentage=builder.changed_percentage()))
    elif journey.hospitering_open:
        builder.add(HospiteringEnded(day))
        journey.hospitering_open = False
    else:
        builder.add(
            HospiteringStarted(day, employer=builder.free_text(), kind=draw(_hospitering_kinds))
        )
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
            municipality=builder.free_text(),
            referred_by=builder.free_text(),
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
        builder.add(ReferralWithdrawn(builder.next_day(), reason=builder.free_text()))
        return
    builder.add(
        PlacementStarted(
            builder.next_day(),
            percentage=builder.placement_percentage(),
            department=builder.free_text(),
        )
    )
    journey.placed = True
    for _ in range(draw(st.integers(0, 7))):
        _journey_activity(builder, journey)
    if may_stay_open and draw(_coin):
        return
    exit_day = builder.next_day()
    builder.add(ParticipantExited(exit_day, outcome=draw(_outcomes), note=builder.free_text()))
    for _ in range(draw(_correction_counts)):
        builder.pending_corrections.append(ExitCorrected(exit_day, draw(_outcomes)))


@st.composite
def participant_streams(
    draw: st.DrawFn, participant: str, *, full_time: bool = False
) -> list[Recorded]:
    """One participant's valid stream: up to three journeys, one after the other.

    With ``full_time``, every placement and percentage change is at 100 %.
    """
    builder = StreamBuilder(draw, participant, draw(days), full_time=full_time)
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
def reallocated(draw: st.DrawFn, history: list[Recorded]) -> list[Recorded]:
    """``history``, often with one of its allocations made again later with the same
    seats, so that one run of days at one number of seats often holds two allocations."""
    allocations = [r for r in history if isinstance(r.event, SeatsAllocated)]
    if not allocations or not draw(st.booleans()):
        return history
    again = draw(st.sampled_from(allocations))
    later = again.event.date + dt.timedelta(days=draw(st.integers(0, 200)))
    organisation = (r.recorded_at for r in history if r.participant is None)
    recorded_at = max(organisation) + dt.timedelta(hours=1)
    return [
        *history,
        attrs.evolve(
            again,
            recorded_at=recorded_at,
            event=attrs.evolve(again.event, date=later),
            event_id=None,
        ),
    ]


FACT_ID_PREFIX = "fact-"
"""The ids of generated organisation events: a retraction names its fact by id."""
_fact_kinds = st.sampled_from(("allocation", "complaint", "training", "closure", "retraction"))
_fact_programmes = st.none() | _allocated_programmes
_complaint_categories = st.sampled_from((None, "service", "conduct", "privacy"))
_training_days = (
    st.integers(1, 20)
    | st.sampled_from((0.1, 0.2, 0.5, 2.25, 1e-3, 100_000))
    | st.floats(0.01, 50.0)
)
"""Dagsverk: whole days, decimals whose float sums round (0.1 + 0.2), and the extremes."""
_closure_lengths = st.integers(0, 40) | st.sampled_from((0, 1, 365))
_retraction_lags = st.integers(0, 300 * 24 * 60) | st.sampled_from((0, 1))
"""Minutes after the previous event a retraction is recorded: at once, or months later."""
_topics = st.none() | st.sampled_from(("VR", "Karrierepasset", 'a "quoted" \\ topic', "📋"))


@st.composite
def organisation_streams(draw: st.DrawFn) -> list[Recorded]:
    """The organisation's stream with facts: allocations, complaints, staff training,
    closures and retractions of earlier facts, for any date, recorded in time order.

    Every event has an id (``fact-1``, ``fact-2``, ...), which retractions name; a
    retraction carries its fact's date and is recorded at once or months later.
    """
    recorded_at = midnight(EPOCH) - dt.timedelta(days=60)
    stream: list[Recorded] = []
    retractable: list[Recorded] = []
    for number in range(1, draw(st.integers(0, 9)) + 1):
        kind = draw(_fact_kinds)
        event: Event
        if kind == "retraction" and retractable:
            fact = retractable.pop(draw(st.integers(0, len(retractable) - 1)))
            assert fact.event_id is not None
            recorded_at += dt.timedelta(minutes=draw(_retraction_lags))
            event = FactRetracted(fact.event.date, retracts=fact.event_id)
        else:
            recorded_at += dt.timedelta(minutes=draw(_allocation_intervals))
            day = draw(_allocation_days)
            if kind == "complaint":
                event = ComplaintReceived(
                    day, programme=draw(_fact_programmes), category=draw(_complaint_categories)
                )
            elif kind == "training":
                event = StaffTrainingRecorded(day, days=draw(_training_days), topic=draw(_topics))
            elif kind == "closure":
                until = day + dt.timedelta(days=draw(_closure_lengths))
                event = ProviderClosed(day, until=until, programme=draw(_fact_programmes))
            else:
                event = SeatsAllocated(
                    day, programme=draw(_allocated_programmes), seats=draw(_seats)
                )
        recorded = Recorded(None, recorded_at, event, f"{FACT_ID_PREFIX}{number}")
        if not isinstance(event, SeatsAllocated | FactRetracted):
            retractable.append(recorded)
        stream.append(recorded)
    return stream


_Item = TypeVar("_Item")


@st.composite
def interleaved(draw: st.DrawFn, streams: list[list[_Item]]) -> list[_Item]:
    """The streams merged in some store order that keeps each stream's own order."""
    labels = [index for index, stream in enumerate(streams) for _ in stream]
    queues = [list(reversed(stream)) for stream in streams]
    return [queues[label].pop() for label in draw(st.permutations(labels))]


@st.composite
def history_streams(
    draw: st.DrawFn,
    max_participants: int = 6,
    *,
    full_time: bool = False,
    keys: st.SearchStrategy[str] | None = None,
) -> list[list[Recorded]]:
    """A valid store's streams, not yet interleaved: participants' streams, then the
    organisation's (allocations and facts).

    Participants are ``P-1``, ``P-2``, ... unless ``keys`` draws their keys.
    """
    count = draw(st.integers(0, max_participants))
    if keys is None:
        names = [f"P-{number}" for number in range(1, count + 1)]
    else:
        names = draw(st.lists(keys, min_size=count, max_size=count, unique=True))
    streams = [draw(participant_streams(name, full_time=full_time)) for name in names]
    streams.append(draw(organisation_streams()))
    return streams


@st.composite
def histories(
    draw: st.DrawFn,
    max_participants: int = 6,
    *,
    full_time: bool = False,
    keys: st.SearchStrategy[str] | None = None,
) -> list[Recorded]:
    """A valid store: a few participants' streams and the allocations, interleaved.

    With ``full_time``, every placement and percentage change is at 100 %.
    """
    return draw(
        interleaved(draw(history_streams(max_participants, full_time=full_time, keys=keys)))
    )


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


# ---------------------------------------------------------------- periods cut in two

_part_lengths = st.integers(1, 40) | st.integers(1, 400)
_near_shifts = st.sampled_from((0, 0, 0, 1, -1))
_mostly = st.sampled_from((True, True, True, False))


def _day_near(
    draw: st.DrawFn, history: list[Recorded] | None, edges: Iterable[dt.date] | None = None
) -> dt.date | None:
    """Mostly one of the ``edges`` (by default the dates of ``history``'s placements and
    exits, where active spells begin and end) or another event date, or a day beside
    it; None otherwise."""
    if not history or not draw(_mostly):
        return None
    dates = sorted({recorded.event.date for recorded in history})
    if edges is None:
        edges = (
            recorded.event.date
            for recorded in history
            if isinstance(recorded.event, PlacementStarted | ParticipantExited)
        )
    preferred = sorted(set(edges))
    prefer_edges = bool(preferred) and draw(_mostly)
    chosen = draw(st.sampled_from(preferred if prefer_edges else dates))
    return chosen + dt.timedelta(days=draw(_near_shifts))


@st.composite
def periods_near(
    draw: st.DrawFn, history: list[Recorded], edges: Iterable[dt.date] | None = None
) -> Period:
    """A period whose ends are mostly ``history``'s event dates or a day beside them,
    preferring ``edges`` (by default placement and exit dates: where an off-by-one at a
    start or an exit shows); else one of :func:`periods`."""
    edges = None if edges is None else list(edges)
    period = draw(periods())
    start = _day_near(draw, history, edges) or period.start
    end = _day_near(draw, history, edges) or period.end
    return Period(min(start, end), max(start, end))


@st.composite
def adjacent_periods(
    draw: st.DrawFn, history: list[Recorded] | None = None, *, at_month_start: bool = False
) -> tuple[Period, Period]:
    """Two periods, the second starting the day after the first ends.

    Given a ``history``, the second part often starts on one of its event dates or a day
    beside it. With ``at_month_start`` it starts on the first day of a month, so that
    every calendar month lies wholly in one of the parts.
    """
    middle = _day_near(draw, history) or draw(
        days | st.sampled_from((dt.date(2020, 3, 1), dt.date(2021, 1, 1)))
    )
    if at_month_start:
        middle = middle.replace(day=1)
    first = Period(middle - dt.timedelta(days=draw(_part_lengths)), middle - dt.timedelta(days=1))
    second = Period(middle, middle + dt.timedelta(days=draw(_part_lengths) - 1))
    return first, second


# ---------------------------------------------------------------- one participant, a whole month


@attrs.frozen
class FullMonth:
    """A history in which one participant is placed at 100 % through every day of ``month``."""

    history: list[Recorded]
    month: Month
    programme: str


_edge_gaps = st.sampled_from((0, 0, 1)) | gaps
"""Days from a month's edge: often none, so that placements start and exits fall on it."""


@st.composite
def full_month_placements(draw: st.DrawFn) -> FullMonth:
    """One participant's journey at 100 % spanning a whole calendar month, and allocations.

    The journey has activities (courses, surveys, hospitering, changes to 100 %) before
    and inside the month, and ends after the month or stays open.
    """
    month = Month.of(draw(days))
    placed_on = month.first_day - dt.timedelta(days=draw(_edge_gaps))
    builder = StreamBuilder(
        draw, "P-1", placed_on - dt.timedelta(days=draw(st.integers(0, 30))), full_time=True
    )
    programme = draw(_programmes)
    builder.add(ParticipantReferred(builder.day, programme=programme, gender=draw(_genders)))
    journey = OpenJourney()
    builder.day = placed_on
    builder.add(PlacementStarted(placed_on, percentage=builder.placement_percentage()))
    journey.placed = True
    for _ in range(draw(st.integers(0, 4))):
        _journey_activity(builder, journey)
    if draw(_coin):
        builder.day = max(builder.day, month.last_day) + dt.timedelta(days=draw(_edge_gaps))
        builder.add(ParticipantExited(builder.day, outcome=draw(_outcomes)))
    history = draw(interleaved([builder.stream, draw(allocation_streams())]))
    return FullMonth(history, month, programme)


# ---------------------------------------------------------------- events-v1 lines


@attrs.frozen
class Line:
    """A stored event with its id, and the canonical events-v1 line export writes for it."""

    recorded: Recorded
    event_id: str
    text: str

    @classmethod
    def of(cls, recorded: Recorded, event_id: str) -> Line:
        """The line of ``recorded``, with its own id if it has one (else ``event_id``)."""
        event_id = recorded.event_id or event_id
        text = encode_line(recorded.event, recorded.participant, event_id, recorded.recorded_at)
        return cls(attrs.evolve(recorded, event_id=event_id), event_id, text)


def texts_of(lines: Iterable[Line]) -> list[str]:
    return [line.text for line in lines]


def recorded_of(lines: Iterable[Line]) -> list[Recorded]:
    return [line.recorded for line in lines]


_short_keys = st.integers(1, 99).map(lambda number: f"P-{number}")
_id_prefixes = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=12)


@st.composite
def unique_event_ids(draw: st.DrawFn, count: int) -> list[str]:
    """``count`` distinct event ids: random UUIDs as recommended, or a printable-ASCII
    prefix (quotes and backslashes included) and a counter."""
    if draw(_coin):
        random = draw(st.randoms(use_true_random=False))
        ids: dict[str, None] = {}
        while len(ids) < count:
            ids[str(uuid.UUID(int=random.getrandbits(128) + len(ids), version=4))] = None
        return list(ids)
    prefix = draw(_id_prefixes)
    return [f"{prefix}{number}" for number in range(1, count + 1)]


@st.composite
def line_streams(draw: st.DrawFn, max_participants: int = 6) -> list[list[Line]]:
    """A valid store's streams as events-v1 lines with unique ids, not yet interleaved.

    Participant keys are ``P-n`` or any key events-v1 allows.
    """
    streams = draw(history_streams(max_participants, keys=participant_keys | _short_keys))
    taken = {r.event_id for stream in streams for r in stream if r.event_id is not None}
    drawn = draw(unique_event_ids(sum(len(stream) for stream in streams) + len(taken)))
    ids = iter([event_id for event_id in drawn if event_id not in taken])
    return [[Line.of(recorded, next(ids)) for recorded in stream] for stream in streams]


@st.composite
def line_histories(draw: st.DrawFn, max_participants: int = 6) -> list[Line]:
    """A valid store as the events-v1 lines of its export: ids, ``recorded_at``, store order."""
    return draw(interleaved(draw(line_streams(max_participants))))


def store_problem(texts: Iterable[str | bytes]) -> str | None:
    """Why importing ``texts`` into an empty store would be refused, or None if it would not.

    The import's checks, done in memory: decoding, the journey rules per stream, and
    unique ids. (Lines without ``recorded_at`` are not supported here.)
    """
    participants: dict[str, ParticipantState] = {}
    organisation = OrganisationState()
    ids: set[str] = set()
    for number, text in enumerate(texts, start=1):
        try:
            wire = decode_line(text)
        except LineError as error:
            return f"line {number}: {error}"
        event, recorded_at = wire.event, wire.recorded_at
        if recorded_at is None or wire.event_id is None:
            return f"line {number}: no recorded_at or id"
        if wire.event_id in ids:
            return f"line {number}: id used twice"
        ids.add(wire.event_id)
        try:
            if isinstance(event, ORGANISATION_EVENT_TYPES):
                decide_organisation(organisation, event, recorded_at)
                organisation = evolve_organisation(organisation, event, recorded_at, wire.event_id)
            else:
                assert wire.participant is not None
                state = participants.get(wire.participant, ParticipantState())
                decide(state, event, recorded_at, wire.participant)
                participants[wire.participant] = evolve(state, event, recorded_at)
        except RuleViolationError as error:
            return f"line {number}: {error}"
    return None


# ---------------------------------------------------------------- one field changed


PERSONAL_FIELDS = frozenset(
    {"birth_year", "municipality", "referred_by", "department", "employer", "note", "reason"}
)
"""``data`` fields that are personal: stored sealed, and left out of the fingerprint."""

_OTHER_VALUES: dict[str, tuple[object, ...]] = {
    "programme": (*PROGRAMMES, "VTO"),
    "gender": (*(gender.value for gender in Gender), None),
    "birth_year": (1960, 1999, None),
    "municipality": ("Bodø", "", None),
    "referred_by": ("Nav Sagene", None),
    "reason": ("moved", None),
    "percentage": (1, 49, 50, 100, None),
    "department": ("verksted", None),
    "employer": ("Rema 1000", None),
    "kind": (*(kind.value for kind in HospiteringKind), None),
    "course": COURSES,
    "category": (*CATEGORIES, "other"),
    "licence": (True, False, None),
    "survey": ("user", "exit", "pulse"),
    "score": (0.0, 1.0, 2.5, 5.0),
    "scale_max": (5.0, 6.0, 100.0),
    "outcome": tuple(outcome.value for outcome in Outcome),
    "note": ("changed", None),
    "seats": (0.5, 12.0, 61.0),
    "days": (0.5, 3, 100_000),
    "topic": ("VR", None),
    "until": ("2020-02-29", "2021-12-31"),
}
"""Values to try for each ``data`` field; ``None`` means leaving the field out."""


def _changed_objects(obj: dict[str, Any], participants: Iterable[str]) -> Iterable[dict[str, Any]]:
    """The line's object with one non-personal field changed, in every way tried (valid or
    not)."""

    def changed(**fields: object) -> dict[str, Any]:
        return {**obj, **fields}

    yield changed(id=obj["id"][:127] + ("~" if not obj["id"].endswith("~") else "!"))
    recorded_at = dt.datetime.fromisoformat(obj["recorded_at"])
    for shift in (dt.timedelta(microseconds=1), dt.timedelta(minutes=1), dt.timedelta(days=1)):
        for moment in (recorded_at - shift, recorded_at + shift):
            yield changed(recorded_at=moment.isoformat())
    date = dt.date.fromisoformat(obj["date"])
    for shift in (dt.timedelta(days=1), dt.timedelta(days=31)):
        for day in (date - shift, date + shift):
            yield changed(date=day.isoformat())
    if "participant" in obj:
        for participant in (*participants, "Q-new"):
            yield changed(participant=participant)
    for type_name in EVENT_TYPES:
        yield changed(type=type_name)
    data = obj.get("data", {})
    for field in attrs.fields(EVENT_TYPES[obj["type"]]):
        if field.name in PERSONAL_FIELDS:
            continue
        for value in _OTHER_VALUES.get(field.name, ()):
            others = {name: v for name, v in data.items() if name != field.name}
            yield changed(data=others if value is None else {**others, field.name: value})


@st.composite
def field_changes(draw: st.DrawFn, lines: list[Line]) -> tuple[int, str]:
    """One line of a non-empty valid store, with one field changed to another valid value.

    Returns the line's index and its new canonical text. The store stays valid, so it can
    be imported. The field may be the id, ``recorded_at``, the date, the participant
    (the event moves to another participant's stream), the type, or one ``data`` field
    that is not personal (set, changed or left out). Personal fields, and a new key for
    a participant with a single event (a rename, not a move), are
    :func:`private_changes`.
    """
    index = draw(st.integers(0, len(lines) - 1))
    original = lines[index]
    other_ids = {line.event_id for line in lines} - {original.event_id}
    participants = sorted({p for line in lines if (p := line.recorded.participant) is not None})
    candidates: list[str] = []
    for changed in _changed_objects(json.loads(original.text), participants):
        text = _canonical(json.dumps(changed))
        if text is None or text == original.text or text in candidates:
            continue
        wire = decode_line(text)
        if wire.event_id in other_ids:
            continue
        moved_alone = (
            wire.participant != original.recorded.participant
            and wire.participant not in participants
        ) and all(
            line.recorded.participant != original.recorded.participant
            for position, line in enumerate(lines)
            if position != index
        )
        if moved_alone:
            continue  # the participant's only event under a new key: a rename
        # Only the streams the line leaves and joins can break.
        streams = {original.recorded.participant, wire.participant}
        affected = [
            text if position == index else line.text
            for position, line in enumerate(lines)
            if line.recorded.participant in streams
        ]
        if store_problem(affected) is None:
            candidates.append(text)
    # A new id is always valid, so there is at least one candidate.
    return index, draw(st.sampled_from(candidates))


def _canonical(text: str) -> str | None:
    try:
        wire = decode_line(text)
    except LineError:
        return None
    assert wire.event_id is not None
    assert wire.recorded_at is not None
    return encode_line(wire.event, wire.participant, wire.event_id, wire.recorded_at)


# ---------------------------------------------------------------- invalid input

json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | days.map(str)
)
"""Every kind of JSON scalar; floats include NaN and infinities, which ``json`` writes."""
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
"""Any JSON value."""

_DATA_FIELDS = sorted(
    {field.name for cls in EVENT_TYPES.values() for field in attrs.fields(cls)} - {"date"}
)
_plausible_data = st.dictionaries(
    st.sampled_from(_DATA_FIELDS) | st.text(max_size=8),
    st.sampled_from([value for values in _OTHER_VALUES.values() for value in values])
    | json_scalars,
    max_size=5,
)
_plausible_fields: dict[str, st.SearchStrategy[object]] = {
    "type": st.sampled_from(sorted(EVENT_TYPES)) | json_scalars,
    "date": days.map(dt.date.isoformat)
    | st.sampled_from(("2021-02-29", "2020-13-01", "20200101", "2020-1-1", "0000-01-01", ""))
    | json_scalars,
    "participant": participant_keys | json_scalars,
    "id": event_ids | json_scalars,
    "recorded_at": st.sampled_from(
        ("2020-01-01T00:00:00Z", "2020-01-01T00:00Z", "2020-01-01", "0001-01-01T00:00:00+01:00")
    )
    | st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat)
    | json_scalars,
    "data": _plausible_data | json_values,
}
event_like_objects = st.fixed_dictionaries(
    {}, optional=_plausible_fields | {"colour": json_scalars}
)
"""JSON objects with some of the events-v1 fields, each plausible or arbitrary."""

_text_edits = st.sampled_from(("delete", "insert", "truncate", "duplicate", "swap"))


@st.composite
def mutated_lines(draw: st.DrawFn, line: str) -> str:
    """A valid events-v1 line, changed once: a field dropped, added or replaced, or its text
    edited. The result may still be valid (a changed outcome is), or not."""
    obj = json.loads(line)
    how = draw(st.sampled_from(("drop", "add", "replace", "retype", "text")))
    target = obj
    if isinstance(obj.get("data"), dict) and draw(_coin):
        target = obj["data"] = dict(obj["data"])
    if how == "drop" and target:
        del target[draw(st.sampled_from(sorted(target)))]
    elif how == "add":
        target[draw(st.sampled_from(_DATA_FIELDS) | st.text(max_size=8))] = draw(json_values)
    elif how == "replace" and target:
        name = draw(st.sampled_from(sorted(target)))
        target[name] = draw(st.one_of(*_plausible_fields.values(), json_values))
    elif how == "retype":
        obj["type"] = draw(st.sampled_from(sorted(EVENT_TYPES)))
    text = json.dumps(obj, ensure_ascii=draw(_coin))
    if how != "text":
        return text
    position = draw(st.integers(0, len(text)))
    edit = draw(_text_edits)
    if edit == "delete":
        return text[:position] + text[position + draw(st.integers(1, 5)) :]
    if edit == "insert":
        return text[:position] + draw(st.text(min_size=1, max_size=3)) + text[position:]
    if edit == "truncate":
        return text[:position]
    if edit == "duplicate":
        return text[:position] + text[position:][:3] + text[position:]
    return text[:position] + text[position:].swapcase()


raw_byte_lines = st.binary(max_size=120) | st.binary(max_size=30).map(
    lambda noise: b'{"type":"ParticipantReferred","participant":"' + noise + b'","date":"2020-'
)
"""Raw bytes: anything, and a line start with arbitrary bytes (bad UTF-8, NUL, newlines)."""


def invalid_inputs(valid_lines: list[str]) -> st.SearchStrategy[str | bytes]:
    """One input line that is probably invalid: any JSON value, an event-like object, a
    mutation of one of ``valid_lines``, any text, or raw bytes."""
    choices: list[st.SearchStrategy[str | bytes]] = [
        json_values.map(json.dumps),
        event_like_objects.map(json.dumps),
        st.text(max_size=60),
        raw_byte_lines,
    ]
    if valid_lines:
        choices.append(st.sampled_from(valid_lines).flatmap(mutated_lines))
    return st.one_of(*choices)


def _national_id() -> str:
    """A key with valid fødselsnummer check digits (born 15.03.85)."""
    return next(key for number in range(100_000) if is_national_id(key := f"150385{number:05d}"))


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _referral(participant: str, **fields: object) -> dict[str, Any]:
    return {
        "type": "ParticipantReferred",
        "participant": participant,
        "date": "2020-01-01",
        "data": {"programme": "AFT"},
        "recorded_at": "2020-01-01T00:00:00Z",
        **fields,
    }


_SURELY_INVALID: tuple[str | bytes, ...] = (
    _line(_referral(NEVER_STORED + "colour", colour="red")),
    _line(_referral(NEVER_STORED + "type", type="ParticipantMoved")),
    _line(_referral(NEVER_STORED + "leap", date="2021-02-29")),
    _line(_referral(NEVER_STORED + "at", recorded_at="2020-01-01 00:00")),
    _line(_referral(_national_id())),
    _line(_referral(NEVER_STORED + "data", data={"programme": "AFT", "colour": "red"})),
    _line(_referral(NEVER_STORED + "programme", data={"programme": "aft"})),
    _line(
        {
            "type": "PlacementStarted",
            "participant": NEVER_STORED + "placed",
            "date": "2020-01-01",
            "recorded_at": "2020-01-01T00:00:00Z",
        }
    ),
    _line(
        {
            "type": "ExitCorrected",
            "participant": NEVER_STORED + "corrected",
            "date": "2020-01-01",
            "data": {"outcome": "vto"},
        }
    ),
    _line({"type": "SeatsAllocated", "date": "2020-01-01", "data": {"programme": "AFT"}}),
    _line(
        {"type": "SeatsAllocated", "date": "2020-01-01", "data": {"programme": "AFT", "seats": 0}}
    ),
    b'{"type":"ParticipantReferred","participant":"\xff","date":"2020-01-01"}',
)
surely_invalid_lines: st.SearchStrategy[str | bytes] = (
    st.sampled_from(_SURELY_INVALID)
    | json_values.filter(lambda value: not isinstance(value, dict)).map(json.dumps)
    | st.text(max_size=20).map(lambda text: "{{" + text)
)
"""Single lines every store rejects, whatever it holds (no stored key starts ``never:``)."""


_free_values = st.sampled_from(("Tromsø", "changed", "", "📋")) | st.none()


@st.composite
def private_changes(draw: st.DrawFn, lines: list[Line]) -> list[str]:
    """A valid store's lines (with at least one participant) with only private data
    changed: a personal field of one event (set, changed or left out), or one
    participant's key renamed in all their events."""
    texts = texts_of(lines)
    participants = sorted({p for line in lines if (p := line.recorded.participant) is not None})
    with_personal = [
        index
        for index, line in enumerate(lines)
        if PERSONAL_FIELDS & {field.name for field in attrs.fields(type(line.recorded.event))}
    ]
    if participants and (not with_personal or draw(_coin)):
        old = draw(st.sampled_from(participants))
        new = draw(participant_keys.filter(lambda key: key not in participants))
        return [_renamed(text, old, new) for text in texts]
    index = draw(st.sampled_from(with_personal))
    obj = json.loads(texts[index])
    names = PERSONAL_FIELDS & {field.name for field in attrs.fields(EVENT_TYPES[obj["type"]])}
    name = draw(st.sampled_from(sorted(names)))
    value = draw(st.integers(1900, 2020) if name == "birth_year" else _free_values)
    others = {key: v for key, v in obj.get("data", {}).items() if key != name}
    obj["data"] = others if value is None else {**others, name: value}
    changed = _canonical(json.dumps(obj))
    assert changed is not None
    return [*texts[:index], changed, *texts[index + 1 :]]


def _renamed(text: str, old: str, new: str) -> str:
    obj = json.loads(text)
    if obj.get("participant") == old:
        obj["participant"] = new
    return _canonical(json.dumps(obj)) or text


# ---------------------------------------------------------------- funding (Nav's rule)

FUNDING_SHIFT = dt.date(2023, 11, 1) - EPOCH
"""Moves a history from its epoch to November 2023, so that it runs through the years
with rates (2024-2026), across the weekday switch of August 2025 and AFT's 2026 rule."""
FUNDING_MONTHS = tuple(
    Month(year, number) for year in (2024, 2025, 2026) for number in range(1, 13)
)
NOTABLE_FUNDING_MONTHS = (
    Month(2024, 2),  # a leap February
    Month(2025, 7),  # the last month of calendar days
    Month(2025, 8),  # the first month of weekdays; it starts on a Friday
    Month(2025, 12),
    Month(2026, 1),  # AFT's 50 % counts half from here
)
funding_months = st.sampled_from(NOTABLE_FUNDING_MONTHS) | st.sampled_from(FUNDING_MONTHS)


def shifted(history: list[Recorded], by: dt.timedelta) -> list[Recorded]:
    """The same history ``by`` later: every date and recording time moved alike."""
    return [
        Recorded(
            recorded.participant,
            recorded.recorded_at + by,
            _event_shifted(recorded.event, by),
            recorded.event_id,
        )
        for recorded in history
    ]


def _event_shifted(event: Event, by: dt.timedelta) -> Event:
    if isinstance(event, ProviderClosed):
        return attrs.evolve(event, date=event.date + by, until=event.until + by)
    return attrs.evolve(event, date=event.date + by)


@st.composite
def funding_histories(draw: st.DrawFn, max_participants: int = 6) -> list[Recorded]:
    """A valid store (:func:`histories`) moved to the years with Nav's rates."""
    return shifted(draw(histories(max_participants)), FUNDING_SHIFT)


@st.composite
def funding_months_near(draw: st.DrawFn, history: list[Recorded]) -> Month:
    """Mostly a month in which one of ``history``'s placements starts, changes or ends
    (where the rule has days to count), else any of :data:`funding_months`."""
    edges = sorted(
        {
            Month.of(recorded.event.date)
            for recorded in history
            if isinstance(recorded.event, PlacementStarted | PercentageChanged | ParticipantExited)
        }
        & set(FUNDING_MONTHS)
    )
    near_edges: bool = draw(_mostly)
    if edges and near_edges:
        return draw(st.sampled_from(edges))
    return draw(funding_months)


_closure_programmes = st.none() | _programmes


@st.composite
def closed_spans(draw: st.DrawFn, around: Period) -> list[Closure]:
    """The provider's closures: none or a few, mostly touching ``around``, for one
    programme or for all, some overlapping, some running past its ends."""
    spans = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(
            st.dates(around.start - dt.timedelta(days=20), around.end)
            | st.dates(dt.date(2023, 12, 1), dt.date(2026, 12, 31))
        )
        end = start + dt.timedelta(days=draw(st.integers(0, 3) | st.integers(0, 40)))
        spans.append(Closure(start, end, draw(_closure_programmes)))
    return spans


# The annual report's rounding and wording (tests/annual_report/).

counts_to_share = st.lists(st.integers(0, 100_000), min_size=1, max_size=12)
"""Counts whose shares of their sum must add up to 100 % as printed."""
exact_numbers = st.fractions(min_value=-(10**9), max_value=10**9, max_denominator=10**6)
decimal_places = st.integers(0, 5)
printed_levels = st.integers(0, 1000).map(lambda tenths: tenths / 10)
"""Means and rates as printed, to one decimal."""
outcome_counts = st.fixed_dictionaries(
    {outcome.value: st.integers(0, 40) | st.just(0) for outcome in Outcome}
)
"""A programme's exits per outcome, as report-v1 lists them."""
placement_targets = st.integers(0, 100).map(lambda points: points / 100)


# ---------------------------------------------------------------- command lines

STORE = "{store}"
"""Stands for the test's store URL in :func:`command_lines`; :data:`STORE_FORMS` for others."""
STORE_FORMS = (
    STORE,
    STORE,
    STORE,
    "sqlite:///missing.db",
    "sqlite:///notes.txt",
    "sqlite://",
    "sqlite:///:memory:",
    "sqlite:///file:x?mode=memory&uri=true",
    "postgresql+psycopg://orbit:hunter2@127.0.0.1:notaport/orbit",
    "mysql://orbit@localhost/orbit",
    "not a url",
)
_odd_arguments = st.text(max_size=12) | st.sampled_from(
    (
        "",
        "-",
        "-1",
        "0",
        "\u202eP-1",
        "P-1\x1b[2J\x07",
        "x" * 3000,
        "01010012356",
        "postgresql://u:hunter2@h/db",
    )
)
_dates_argument = (
    st.dates().map(dt.date.isoformat)
    | st.sampled_from(("9999-12-31", "0001-01-01", "2024-02-30", "2024-2-1"))
    | _odd_arguments
)
_moment_argument = (
    st.datetimes(timezones=st.timezones()).map(dt.datetime.isoformat)
    | st.sampled_from(
        ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2999-01-01T00:00:00Z")
    )
    | _odd_arguments
)
_report_options: dict[str, st.SearchStrategy[list[str]]] = {
    "known_at": _moment_argument.map(lambda value: ["--known-at", value]),
    "programme": (st.sampled_from(("AFT", "VTA", "NOPE")) | _odd_arguments).map(
        lambda value: ["--programme", value]
    ),
    "format": (st.sampled_from(("table", "json", "csv")) | _odd_arguments).map(
        lambda value: ["--format", value]
    ),
    "weighting": (st.sampled_from(("proportional", "nav")) | _odd_arguments).map(
        lambda value: ["--weighting", value]
    ),
    "all": st.just(["--all-organisations", "--jobs", "1"]),
    "rebuild": st.just(["--rebuild"]),
}
CONFIG_FILES = {
    "good.toml": b'organisation_name = "Acme"\n[funding.rates]\n2024 = { VTA = 1 }\n',
    "bad.toml": b"[targets\n",
    "utf16.toml": 'place = "Jessheim"\n'.encode("utf-16"),
    "share.toml": b"[targets]\nAFT = { placement_rate = 1.5 }\n",
}
"""Configuration files the CLI fuzz puts beside its store, for ``--config``."""
_config_argument = (
    st.sampled_from((*sorted(CONFIG_FILES), "absent.toml", "folder")) | _odd_arguments
)
_annual_options: dict[str, st.SearchStrategy[list[str]]] = {
    "known_at": _report_options["known_at"],
    "lang": (st.sampled_from(("nb", "en")) | _odd_arguments).map(lambda value: ["--lang", value]),
    # No pdf: WeasyPrint's second per document would cost the suite more than it finds.
    "format": (st.sampled_from(("html", "json", "xlsx")) | _odd_arguments).map(
        lambda value: ["--format", value]
    ),
    "config": _config_argument.map(lambda value: ["--config", value]),
    "output": (
        st.sampled_from(("out.html", "folder/out.json", "folder", "absent/out.html"))
        | _odd_arguments
    ).map(lambda value: ["--output", value]),
}
_funding_options: dict[str, st.SearchStrategy[list[str]]] = {
    "known_at": _report_options["known_at"],
    "programme": _report_options["programme"],
    "config": _config_argument.map(lambda value: ["--config", value]),
    "rate": (st.sampled_from(("AFT=20205", "VTA=0", "AFT", "=1", "AFT=1e9")) | _odd_arguments).map(
        lambda value: ["--rate", value]
    ),
    "by_participant": st.just(["--by-participant"]),
}


@st.composite
def command_lines(draw: st.DrawFn, valid_lines: list[str]) -> tuple[list[str], list[str | bytes]]:
    """An ``orbit`` command line, plausible or not, and the lines of its input file.

    The input (for ``import``) mixes ``valid_lines`` with :func:`invalid_inputs`. The
    store is one of :data:`STORE_FORMS` (relative paths: inside the test's folder).
    """
    arguments = ["--store", draw(st.sampled_from(STORE_FORMS))]
    if draw(st.integers(0, 4)) == 0:
        arguments += ["--organisation", draw(st.sampled_from(("default", "acme")) | _odd_arguments)]
    command = draw(
        st.sampled_from(("import", "import", "report", "replay", "export", "organisations"))
        | st.sampled_from(("forget", "keys", "frobnicate", "annual-report", "funding"))
    )
    arguments.append(command)
    lines: list[str | bytes] = []
    if command == "import":
        lines = draw(
            st.lists(invalid_inputs(valid_lines) | st.sampled_from(valid_lines), max_size=6)
        )
        arguments.append(draw(st.sampled_from(("input.jsonl", "input.jsonl", "-", "absent.jsonl"))))
    elif command == "report":
        arguments += ["--year", draw(st.integers(-5, 12_000).map(str) | _odd_arguments)]
    elif command == "replay":
        arguments += ["--until", draw(_dates_argument)]
        if draw(_coin):
            arguments += ["--from", draw(_dates_argument)]
    elif command == "export" and draw(_coin):
        arguments.append(draw(st.sampled_from(("out.jsonl", "-", "folder/out.jsonl"))))
    elif command == "forget":
        arguments += [draw(st.sampled_from(("P-1", "F-1")) | _odd_arguments)]
    elif command == "keys":
        arguments.append(draw(st.sampled_from(("rotate", "show"))))
    if command in ("report", "replay"):
        chosen = draw(st.lists(st.sampled_from(sorted(_report_options)), unique=True, max_size=3))
        for name in chosen:
            arguments += draw(_report_options[name])
    if command == "annual-report":
        arguments += ["--year", draw(st.integers(-5, 12_000).map(str) | _odd_arguments)]
        if draw(_coin):  # the configuration is read first: let it be reached often
            arguments += ["--config", draw(st.sampled_from(sorted(CONFIG_FILES)))]
        chosen = draw(st.lists(st.sampled_from(sorted(_annual_options)), unique=True, max_size=3))
        for name in chosen:
            arguments += draw(_annual_options[name])
    if command == "funding":
        period = draw(
            st.sampled_from(("--year", "--month")).map(lambda option: [option]) | st.just([])
        )
        if period == ["--year"]:
            period.append(draw(st.integers(-5, 12_000).map(str) | _odd_arguments))
        elif period == ["--month"]:
            period.append(draw(st.sampled_from(("2024-07", "9999-12", "2024-13")) | _odd_arguments))
        arguments += period
        chosen = draw(st.lists(st.sampled_from(sorted(_funding_options)), unique=True, max_size=3))
        for name in chosen:
            arguments += draw(_funding_options[name])
    return arguments, lines
