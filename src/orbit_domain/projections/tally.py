"""A programme's figures as tallies that add up across disjoint sets of participants.

Every figure of report-v1 is a count, a sum, a maximum or a median over participants,
journeys or days. A tally keeps what those need (counts by key, exact sums, the waits
themselves as a histogram) rather than the finished figures, so the tallies of
several organisations merge into the tally of all of them and the report across
organisations needs no organisation's journeys once its tally is known. Merging
assumes what holds across organisations: no participant is counted in two tallies.

Sums of floats are kept exactly (:func:`exact`), so a merged tally gives, to the bit,
the figures one tally over every participant gives, in whatever order they merge.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TypeVar

import attrs

from orbit_domain.events import Gender
from orbit_domain.frozen import frozen_mapping
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Month
from orbit_domain.projections.day_spans import (
    DaySpan,
    LevelSpan,
    sum_of_steps,
    total_days,
    union_of_days,
)
from orbit_domain.report import (
    AllocationSpan,
    CourseCounts,
    CourseFigures,
    MonthSeats,
    ProgrammeReport,
    SeatUsage,
    SurveyFigures,
    WaitingFigures,
)

_Key = TypeVar("_Key", str, Gender, Outcome)

_EXACT_SCALE = 2**1074
"""Every finite float is a whole multiple of 2**-1074, the smallest subnormal."""


def exact(value: float) -> int:
    """``value`` as a whole number of 2**-1074: integers add up with no rounding at all."""
    numerator, denominator = value.as_integer_ratio()
    return numerator * (_EXACT_SCALE // denominator)


def exact_to_float(scaled: int) -> float:
    """The float nearest to an exact sum (the same value ``math.fsum`` gives of its terms)."""
    return scaled / _EXACT_SCALE  # int / int is correctly rounded


def exact_mean(scaled: int, count: int) -> float:
    """An exact sum of ``count`` terms over ``count``, as ``math.fsum(terms) / count`` gives it.

    Total: a sum beyond the float range (many terms near the largest float, which a
    store may hold from before events-v1 had bounds) is divided exactly instead, and a
    mean beyond it saturates at the largest float, so a report never fails on it.
    """
    try:
        return exact_to_float(scaled) / count
    except OverflowError:
        try:
            return scaled / (_EXACT_SCALE * count)
        except OverflowError:
            return math.copysign(sys.float_info.max, scaled)


def _add_counts(one: Mapping[_Key, int], other: Mapping[_Key, int]) -> dict[_Key, int]:
    total = dict(one)
    for key, count in other.items():
        total[key] = total.get(key, 0) + count
    return total


@attrs.frozen
class WaitingTally:
    at_end: int
    waits: Mapping[int, int] = attrs.field(converter=frozen_mapping)
    """Days waited by each journey placed from the waiting list in the period: days -> journeys."""
    days_with_waiting_list: tuple[DaySpan, ...]
    """The period's days that end with someone waiting, as maximal runs: a union merges."""

    def merge(self, other: WaitingTally) -> WaitingTally:
        return WaitingTally(
            self.at_end + other.at_end,
            _add_counts(self.waits, other.waits),  # counts of journeys: never 0
            union_of_days(self.days_with_waiting_list + other.days_with_waiting_list),
        )

    def figures(self) -> WaitingFigures:
        """The median of an even number of waits is the mean of the middle two."""
        waits = sorted(Counter(self.waits).elements())
        return WaitingFigures(
            at_end=self.at_end,
            started_from_waiting_list=len(waits),
            max_wait_days=waits[-1] if waits else None,
            median_wait_days=float(statistics.median(waits)) if waits else None,
            days_with_waiting_list=total_days(self.days_with_waiting_list),
        )


@attrs.frozen
class SeatTally:
    """Per month of the period: its days in the period, seat-percent-days used, seat-days
    allocated (exact); and the seats allocated (exact) the day before the period and,
    as a step function, over it."""

    months: tuple[Month, ...]
    days: tuple[int, ...]
    used_seat_percent_days: tuple[int, ...]
    allocated_seat_days: tuple[int, ...]
    allocated_before: int
    allocations: tuple[LevelSpan, ...]
    """Maximal runs of days at one non-zero number of seats: organisations' seats add up."""

    def merge(self, other: SeatTally) -> SeatTally:
        if (self.months, self.days) != (other.months, other.days):
            raise ValueError("seat tallies of different periods do not merge")
        return SeatTally(
            self.months,
            self.days,
            _add_pairwise(self.used_seat_percent_days, other.used_seat_percent_days),
            _add_pairwise(self.allocated_seat_days, other.allocated_seat_days),
            self.allocated_before + other.allocated_before,
            sum_of_steps(self.allocations + other.allocations),
        )

    def usage(self) -> SeatUsage:
        return SeatUsage(
            months=tuple(
                MonthSeats(
                    month=month,
                    allocated=exact_mean(allocated, days),
                    used=used / (100 * days),
                )
                for month, days, used, allocated in zip(
                    self.months,
                    self.days,
                    self.used_seat_percent_days,
                    self.allocated_seat_days,
                    strict=True,
                )
            ),
            allocated_before=exact_to_float(self.allocated_before),
            allocations=tuple(
                AllocationSpan(span.first, span.last, exact_to_float(span.level))
                for span in self.allocations
            ),
        )


def _add_pairwise(one: tuple[int, ...], other: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(a + b for a, b in zip(one, other, strict=True))


def merge_course_figures(one: CourseFigures, other: CourseFigures) -> CourseFigures:
    """Course figures count participants per course and category: disjoint sets add up."""
    by_course = dict(one.by_course)
    for course, counts in other.by_course.items():
        mine = by_course.get(course)
        by_course[course] = (
            counts
            if mine is None
            else CourseCounts(
                participants=mine.participants + counts.participants,
                starts=mine.starts + counts.starts,
                completions=mine.completions + counts.completions,
            )
        )
    return CourseFigures(
        by_course=by_course,
        participants_by_category=_add_counts(
            one.participants_by_category, other.participants_by_category
        ),
        licences_used=one.licences_used + other.licences_used,
    )


@attrs.frozen
class SurveyTally:
    responses: int
    score_sum: int
    """Exact (see :func:`exact`), as are the percentages'."""
    percent_sum: int
    scales: frozenset[float]

    @classmethod
    def of(cls, answers: Iterable[tuple[float, float]]) -> SurveyTally:
        """From each answer's ``(score, scale_max)``.

        Answers repeat a few scores on a few scales, so each distinct pair's exact
        terms are worked out once and multiplied by how often it was given.
        """
        responses = score_sum = percent_sum = 0
        given = Counter(answers)
        for (score, scale_max), times in given.items():
            responses += times
            score_sum += exact(score) * times
            percent_sum += exact(score / scale_max * 100) * times
        return cls(responses, score_sum, percent_sum, frozenset(scale for _, scale in given))

    def merge(self, other: SurveyTally) -> SurveyTally:
        return SurveyTally(
            self.responses + other.responses,
            self.score_sum + other.score_sum,
            self.percent_sum + other.percent_sum,
            self.scales | other.scales,
        )

    def figures(self) -> SurveyFigures:
        """Means as ``statistics.fmean`` gives them: the correctly rounded sum over the count."""
        return SurveyFigures(
            responses=self.responses,
            mean_score=exact_mean(self.score_sum, self.responses),
            scale_max=next(iter(self.scales)) if len(self.scales) == 1 else None,
            mean_percent=exact_mean(self.percent_sum, self.responses),
        )


@attrs.frozen
class ProgrammeTally:
    """What one programme's figures are computed from, for one period."""

    participants_by_gender: Mapping[Gender, int] = attrs.field(converter=frozen_mapping)
    """Participants served, by the gender they count with."""
    active_at_end: int
    new_starts: int
    exits_by_outcome: Mapping[Outcome, int] = attrs.field(converter=frozen_mapping)
    early_leavers: int
    hospitering_participants: int
    waiting: WaitingTally
    seats: SeatTally
    courses: CourseFigures
    surveys: Mapping[str, SurveyTally] = attrs.field(converter=frozen_mapping)

    def merge(self, other: ProgrammeTally) -> ProgrammeTally:
        surveys = dict(self.surveys)
        for survey, tally in other.surveys.items():
            surveys[survey] = tally if survey not in surveys else surveys[survey].merge(tally)
        return ProgrammeTally(
            participants_by_gender=_add_counts(
                self.participants_by_gender, other.participants_by_gender
            ),
            active_at_end=self.active_at_end + other.active_at_end,
            new_starts=self.new_starts + other.new_starts,
            exits_by_outcome=_add_counts(self.exits_by_outcome, other.exits_by_outcome),
            early_leavers=self.early_leavers + other.early_leavers,
            hospitering_participants=self.hospitering_participants + other.hospitering_participants,
            waiting=self.waiting.merge(other.waiting),
            seats=self.seats.merge(other.seats),
            courses=merge_course_figures(self.courses, other.courses),
            surveys=surveys,
        )

    def report(self) -> ProgrammeReport:
        return ProgrammeReport(
            participants_served=sum(self.participants_by_gender.values()),
            active_at_end=self.active_at_end,
            new_starts=self.new_starts,
            exits_by_outcome=self.exits_by_outcome,
            early_leavers=self.early_leavers,
            hospitering_participants=self.hospitering_participants,
            waiting=self.waiting.figures(),
            participants_by_gender=self.participants_by_gender,
            seat_usage=self.seats.usage(),
            courses=self.courses,
            surveys={survey: tally.figures() for survey, tally in self.surveys.items()},
        )


def merge_tallies(
    tallies: Iterable[Mapping[str, ProgrammeTally]],
) -> dict[str, ProgrammeTally]:
    """Per programme, the merged tallies of several disjoint sets of participants."""
    merged: dict[str, ProgrammeTally] = {}
    for programmes in tallies:
        for programme, tally in programmes.items():
            mine = merged.get(programme)
            merged[programme] = tally if mine is None else mine.merge(tally)
    return dict(sorted(merged.items()))
