"""One programme's figures for a period, from its journeys' timelines (report-v1, per programme).

Every function here takes journeys already cut at ``period.end``
(:meth:`JourneyTimeline.as_of`), so "on or before ``until``" needs no further checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from orbit_domain.events import Gender, SeatsAllocated
from orbit_domain.outcomes import Outcome
from orbit_domain.period import ONE_DAY, Period
from orbit_domain.projections.day_spans import DaySpan, union_of_days
from orbit_domain.projections.seats import seat_tally
from orbit_domain.projections.tally import ProgrammeTally, SurveyTally, WaitingTally
from orbit_domain.projections.timeline import JourneyTimeline
from orbit_domain.report import CourseCounts, CourseFigures
from orbit_domain.weighting import Weighting


def programme_tally(
    journeys: Sequence[JourneyTimeline],
    allocations: Sequence[Sequence[SeatsAllocated]],
    period: Period,
    weighting: Weighting,
) -> ProgrammeTally:
    """What one programme's figures are computed from, in a form that merges across
    organisations (:mod:`orbit_domain.projections.tally`), from its journeys (in stream
    order) and allocations (one sequence per allocating organisation, each in store
    order).

    The journeys must be cut at ``period.end`` (:meth:`JourneyTimeline.as_of`) and the
    allocations dated on or before it, as :func:`programme_tallies` does.
    """
    # Dates are compared with the period's ends rather than ``in period`` in the loops
    # over journeys here: a report runs them over every journey, and the call costs more.
    first, last = period.start, period.end
    starts = [
        j for j in journeys if (placed := j.placed_on) is not None and first <= placed <= last
    ]
    exits = [
        exit_ for j in journeys if (exit_ := j.exit) is not None and first <= exit_.date <= last
    ]
    served = served_participants(journeys, period)
    return ProgrammeTally(
        participants_by_gender=_count_all(Gender, served.values()),
        active_at_end=len({j.participant for j in journeys if j.is_active_on(last)}),
        new_starts=len(starts),
        exits_by_outcome=_count_all(Outcome, (exit_.outcome for exit_ in exits)),
        early_leavers=sum(
            1 for j in starts if (exit_ := j.exit) is not None and first <= exit_.date <= last
        ),
        hospitering_participants=hospitering_participants(journeys, period),
        waiting=waiting_tally(journeys, starts, period),
        seats=seat_tally(journeys, allocations, period, weighting),
        courses=course_figures(journeys, period),
        surveys=survey_tallies(journeys, period),
    )


_Member = TypeVar("_Member", Outcome, Gender)


def _count_all(members: type[_Member], values: Iterable[_Member]) -> dict[_Member, int]:
    counts = Counter(values)
    return {member: counts[member] for member in members}


def served_participants(journeys: Iterable[JourneyTimeline], period: Period) -> dict[str, Gender]:
    """Participants active on at least one day of the period, with the gender to count.

    A participant served through more than one journey of the programme is counted with
    the gender given at the referral of the first of those journeys (the one active
    earliest in the period). The conformance sample has such participants with different
    genders, and its expected reports count them this way.
    """
    first, last = period.start, period.end
    genders: dict[str, Gender] = {}
    for journey in journeys:
        placed, exit_ = journey.placed_on, journey.exit
        if placed is not None and placed <= last and (exit_ is None or exit_.date >= first):
            genders.setdefault(journey.participant, journey.gender)
    return genders


def hospitering_participants(journeys: Iterable[JourneyTimeline], period: Period) -> int:
    """Participants with a hospitering of any kind overlapping the period.

    Both ends of a hospitering are days in it; an open one lasts to the exit (which
    closes it) or, with no exit by then, to ``until``.
    """
    first, last = period.start, period.end
    return len(
        {
            journey.participant
            for journey in journeys
            for start, _, end in journey.hospiterings
            if start <= last and (end is None or end >= first)
        }
    )


def waiting_tally(
    journeys: Sequence[JourneyTimeline], starts: Iterable[JourneyTimeline], period: Period
) -> WaitingTally:
    """``starts`` are the journeys placed in the period."""
    return WaitingTally(
        at_end=sum(
            1
            for journey in journeys
            if journey.waitlisted_on is not None
            and journey.placed_on is None
            and journey.withdrawn_on is None
        ),
        waits=Counter(days for journey in starts if (days := journey.days_waited) is not None),
        days_with_waiting_list=union_of_days(waiting_spans(journeys, period)),
    )


def waiting_spans(journeys: Iterable[JourneyTimeline], period: Period) -> Iterable[DaySpan]:
    """The days of the period each journey ends waiting: from its ``Waitlisted`` date to
    the day before its placement or withdrawal (none when that is the same day), or to
    ``until`` when it is still waiting then."""
    for journey in journeys:
        if journey.waitlisted_on is None:
            continue
        ended_on = journey.placed_on or journey.withdrawn_on  # a journey has one or neither
        first = max(journey.waitlisted_on, period.start)
        last = period.end if ended_on is None else min(ended_on - ONE_DAY, period.end)
        if first <= last:
            yield DaySpan(first, last)


def course_figures(journeys: Iterable[JourneyTimeline], period: Period) -> CourseFigures:
    """Course starts and completions dated in the period.

    A course appears in ``by_course`` when it has a start or a completion in the period.
    A start without a category counts in ``by_course`` but in no category.
    """
    participants: dict[str, set[str]] = {}
    starts: Counter[str] = Counter()
    completions: Counter[str] = Counter()
    by_category: dict[str, set[str]] = {}
    licences_used = 0
    first, last = period.start, period.end
    for journey in journeys:
        for day, course, category, uses_licence in journey.course_starts:
            if not first <= day <= last:
                continue
            participants.setdefault(course, set()).add(journey.participant)
            starts[course] += 1
            if category is not None:
                by_category.setdefault(category, set()).add(journey.participant)
            licences_used += uses_licence
        for day, course in journey.course_completions:
            if first <= day <= last:
                completions[course] += 1
    return CourseFigures(
        by_course={
            course: CourseCounts(
                participants=len(participants.get(course, ())),
                starts=starts[course],
                completions=completions[course],
            )
            for course in starts.keys() | completions.keys()
        },
        participants_by_category={
            category: len(members) for category, members in by_category.items()
        },
        licences_used=licences_used,
    )


def survey_tallies(journeys: Iterable[JourneyTimeline], period: Period) -> dict[str, SurveyTally]:
    answers: dict[str, list[tuple[float, float]]] = {}
    first, last = period.start, period.end
    for journey in journeys:
        for day, survey, score, scale_max in journey.survey_answers:
            if first <= day <= last:
                answers.setdefault(survey, []).append((score, scale_max))
    return {survey: SurveyTally.of(given) for survey, given in answers.items()}
