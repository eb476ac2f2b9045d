"""What happens from a placement's start to its exit.

Percentage changes, hospitering or external practice, courses, surveys and the exit
itself, returned unsorted (the journey sorts them). Except for AFT's step-ups, activities
are drawn only from the start of the simulation: older ones would not change any figure.
"""

from __future__ import annotations

import datetime as dt
import random

import attrs

from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    HospiteringEnded,
    HospiteringKind,
    HospiteringStarted,
    ParticipantEvent,
    ParticipantExited,
    PercentageChanged,
    PlacementStarted,
    SurveyAnswered,
)
from orbit_domain.outcomes import Outcome
from orbit_synthetic.draws import days_after, next_workday, poisson, sometimes
from orbit_synthetic.people import Organisation
from orbit_synthetic.profiles import Profile
from orbit_synthetic.vocabulary import COURSES, EXIT_NOTES

COURSE_COMPLETION_RATE = 0.9
USER_SURVEY_MONTHS = (4, 10)
USER_SURVEY_RESPONSE_RATE = 0.75
USER_SCORES = (1, 2, 3, 4, 5, 6)
USER_SCORE_WEIGHTS = (2, 4, 10, 26, 36, 22)


@attrs.frozen
class _Window:
    """The days of a placement on which the organisation's records show what happened."""

    first: dt.date
    last: dt.date

    @property
    def years(self) -> float:
        return max(0, (self.last - self.first).days + 1) / 365.25

    def day(self, rng: random.Random) -> dt.date | None:
        """A random workday in the window, or ``None`` when the window has none."""
        if self.last < self.first:
            return None
        day = next_workday(
            self.first + dt.timedelta(days=rng.randint(0, (self.last - self.first).days))
        )
        return day if day <= self.last else None


def placement_events(
    rng: random.Random,
    organisation: Organisation,
    profile: Profile,
    placement: dt.date,
    exit_date: dt.date,
) -> list[ParticipantEvent]:
    """The placement's events; those after the horizon are left for the caller to drop."""
    timeline = organisation.timeline
    percentage = profile.start_percentage.pick(rng)
    window = _Window(max(placement, timeline.start), min(exit_date, timeline.horizon))
    events: list[ParticipantEvent] = [
        PlacementStarted(
            placement,
            percentage=None if percentage == 100 and rng.random() < 0.4 else percentage,
            department=organisation.department(rng, profile.code),
        ),
        *_step_ups(rng, profile, percentage, placement, window),
        *_percentage_changes(rng, profile, percentage, window),
        *_hospiterings(rng, organisation, profile, window, exit_date),
        *_courses(rng, profile, window, exit_date),
        *_user_surveys(rng, profile, placement, window),
    ]
    if exit_date <= timeline.horizon and rng.random() < profile.exit_survey_rate:
        day = next_workday(max(placement, exit_date - dt.timedelta(days=rng.randint(0, 10))))
        events.append(SurveyAnswered(day, "exit", round(rng.triangular(20, 100, 85)), 100))
    events.extend(_exit(rng, profile, placement, exit_date))
    return events


def _step_ups(
    rng: random.Random, profile: Profile, percentage: int, placement: dt.date, window: _Window
) -> list[PercentageChanged]:
    """AFT's step-up plan: from a part-time start towards full time, with setbacks.

    Unlike other activities these are kept from before the records start: they decide
    the seats a placement running at the start uses.
    """
    changes = []
    day = days_after(rng, placement, 21, 70)
    while percentage < 100 and day <= window.last and rng.random() < profile.step_up_rate:
        if percentage > 40 and rng.random() < 0.15:
            percentage -= rng.choice((10, 20))
        else:
            percentage = min(100, percentage + rng.choice((10, 10, 20)))
        changes.append(PercentageChanged(day, percentage))
        day = days_after(rng, day, 21, 70)
    return changes


def _percentage_changes(
    rng: random.Random, profile: Profile, percentage: int, window: _Window
) -> list[PercentageChanged]:
    """VTA's occasional changes of stillingsprosent, up or down."""
    count = poisson(rng, profile.percentage_changes_per_year * window.years)
    days = [window.day(rng) for _ in range(count)]
    changes = []
    for day in sorted(day for day in days if day is not None and day > window.first):
        new = profile.start_percentage.pick(rng)
        if new != percentage:
            changes.append(PercentageChanged(day, new))
            percentage = new
    return changes


def _hospiterings(
    rng: random.Random,
    organisation: Organisation,
    profile: Profile,
    window: _Window,
    exit_date: dt.date,
) -> list[ParticipantEvent]:
    """Periods in ordinary workplaces, one at a time; one still open at the exit is closed by it."""
    count = poisson(rng, profile.hospiterings_per_year * window.years)
    starts = sorted(day for day in (window.day(rng) for _ in range(count)) if day is not None)
    events: list[ParticipantEvent] = []
    free_from = window.first
    for planned in starts:
        start = max(planned, free_from)
        if start > window.last:
            break
        kind: HospiteringKind | None = profile.hospitering_kind
        if kind is HospiteringKind.HOSPITERING and rng.random() < 0.3:
            kind = None  # the spec's default
        events.append(HospiteringStarted(start, organisation.employer(rng), kind))
        end = days_after(rng, start, *profile.hospitering_days)
        if end > exit_date:
            break
        events.append(HospiteringEnded(end))
        free_from = days_after(rng, end, 1, 30)
    return events


def _courses(
    rng: random.Random, profile: Profile, window: _Window, exit_date: dt.date
) -> list[ParticipantEvent]:
    codes = {
        profile.courses.pick(rng)
        for _ in range(poisson(rng, profile.courses_per_year * window.years))
    }
    events: list[ParticipantEvent] = []
    for code in sorted(codes):
        start = window.day(rng)
        if start is None:
            continue
        course = COURSES[code]
        licence = True if rng.random() < course.licence_share else None
        events.append(CourseStarted(start, code, course.category, licence))
        end = days_after(rng, start, *course.days)
        if end <= exit_date and rng.random() < COURSE_COMPLETION_RATE:
            events.append(CourseCompleted(end, code))
    return events


def _user_surveys(
    rng: random.Random, profile: Profile, placement: dt.date, window: _Window
) -> list[SurveyAnswered]:
    """Answers to the user survey (brukerundersøkelse).

    It goes to everyone placed each spring and autumn, and in AFT and LAERLING also to
    new participants once the first weeks are over.
    """
    days = [
        days_after(rng, dt.date(year, month, 10), 0, 30)
        for year in range(window.first.year, window.last.year + 1)
        for month in USER_SURVEY_MONTHS
    ]
    if rng.random() < profile.start_survey_rate:
        days.append(days_after(rng, placement, 35, 70))
    return [
        SurveyAnswered(day, "user", rng.choices(USER_SCORES, USER_SCORE_WEIGHTS)[0], 6)
        for day in days
        if window.first <= day <= window.last and rng.random() < USER_SURVEY_RESPONSE_RATE
    ]


def _exit(
    rng: random.Random, profile: Profile, placement: dt.date, exit_date: dt.date
) -> list[ParticipantEvent]:
    """The exit, and sometimes a correction of its outcome (recorded weeks later)."""
    early = (exit_date - placement).days < profile.early_exit_days
    outcome = (profile.early_outcomes if early else profile.outcomes).pick(rng)
    note = sometimes(rng, rng.choice(EXIT_NOTES[outcome]), 0.3)
    events: list[ParticipantEvent] = [ParticipantExited(exit_date, outcome, note)]
    if outcome is Outcome.UNKNOWN and rng.random() < 0.5:
        events.append(ExitCorrected(exit_date, _known_outcome(rng, profile)))
    elif outcome is Outcome.WORK_UNSUBSIDISED and rng.random() < 0.05:
        events.append(ExitCorrected(exit_date, Outcome.WORK_SUBSIDISED))
    return events


def _known_outcome(rng: random.Random, profile: Profile) -> Outcome:
    while (outcome := profile.outcomes.pick(rng)) is Outcome.UNKNOWN:
        pass
    return outcome
