"""A deliberately naive, day-by-day computation of report-v1, to check orbit's projections by.

Written straight from the spec's wording and independent of ``orbit_domain.projections``:
it keeps each journey as the plain list of its events, asks "is this journey active on
this day, at which percentage?" for every day of the period, and counts events by
looking at their dates. It is slow on purpose; it only has to be obviously right.

It returns the report as the JSON-shaped dict of report-v1 (without ``fingerprint``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from orbit_domain.events import (
    ORGANISATION_EVENT_TYPES,
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    Gender,
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
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome, OutcomeGroup
from reference_organisation import reference_organisation


class _Journey:
    """One journey: the participant, and the events from its referral on, in stream order."""

    def __init__(self, participant: str, referral: ParticipantReferred) -> None:
        self.participant = participant
        self.referral = referral
        self.events: list[ParticipantEvent] = [referral]
        self.corrected_outcome: Outcome | None = None

    @property
    def programme(self) -> str:
        return self.referral.programme

    def date_of(self, event_type: type[ParticipantEvent]) -> dt.date | None:
        """The date of the journey's event of that type, if it has one."""
        return next((e.date for e in self.events if isinstance(e, event_type)), None)

    def placement_date(self) -> dt.date | None:
        return self.date_of(PlacementStarted)

    def exit_date(self) -> dt.date | None:
        return self.date_of(ParticipantExited)

    def outcome(self) -> Outcome:
        exit_event = next(e for e in self.events if isinstance(e, ParticipantExited))
        return self.corrected_outcome or exit_event.outcome

    def days_waited(self) -> int:
        placed, waitlisted = self.date_of(PlacementStarted), self.date_of(Waitlisted)
        assert placed is not None
        assert waitlisted is not None
        return (placed - waitlisted).days

    def is_active_on(self, day: dt.date) -> bool:
        placed = self.placement_date()
        exited = self.exit_date()
        return placed is not None and placed <= day and (exited is None or day <= exited)

    def percentage_on(self, day: dt.date) -> int:
        percentage = 100
        for event in self.events:
            if event.date > day:
                break
            if isinstance(event, PlacementStarted):
                percentage = event.effective_percentage
            elif isinstance(event, PercentageChanged):
                percentage = event.percentage
        return percentage

    def is_waiting_at_end_of(self, day: dt.date) -> bool:
        """Waitlisted on or before ``day``, neither placed nor withdrawn on or before it."""

        def by(event_type: type[ParticipantEvent]) -> bool:
            on = self.date_of(event_type)
            return on is not None and on <= day

        return by(Waitlisted) and not by(PlacementStarted) and not by(ReferralWithdrawn)

    def is_in_hospitering_on(self, day: dt.date, until: dt.date) -> bool:
        started: dt.date | None = None
        for event in self.events:
            if isinstance(event, HospiteringStarted):
                started = event.date
            elif isinstance(event, HospiteringEnded | ParticipantExited) and started is not None:
                if started <= day <= event.date:
                    return True
                started = None
        return started is not None and started <= day <= until


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _weight(percentage: int, nav_weighting: bool) -> float:
    if nav_weighting:
        return 0.5 if percentage < 50 else 1.0
    return percentage / 100


def reference_report(
    events: Sequence[Recorded],
    start: dt.date,
    until: dt.date,
    known_at: dt.datetime | None = None,
    *,
    nav_weighting: bool = False,
) -> dict[str, Any]:
    replayed = [
        recorded
        for recorded in events
        if recorded.event.date <= until and (known_at is None or recorded.recorded_at <= known_at)
    ]
    journeys: list[_Journey] = []
    allocations: list[SeatsAllocated] = []
    for recorded in replayed:
        event = recorded.event
        if isinstance(event, ORGANISATION_EVENT_TYPES):
            if isinstance(event, SeatsAllocated):
                allocations.append(event)
            continue
        assert recorded.participant is not None
        own = [j for j in journeys if j.participant == recorded.participant]
        if isinstance(event, ParticipantReferred):
            journeys.append(_Journey(recorded.participant, event))
        elif isinstance(event, ExitCorrected):
            corrected = [j for j in own if j.exit_date() == event.date]
            corrected[-1].corrected_outcome = event.outcome
        else:
            own[-1].events.append(event)

    programmes = {j.programme for j in journeys} | {a.programme for a in allocations}
    return {
        "format": "orbit-report/1",
        "period": {"from": start.isoformat(), "until": until.isoformat()},
        "known_at": None if known_at is None else known_at.isoformat(),
        "events_replayed": len(replayed),
        "programmes": {
            programme: _programme_report(
                [j for j in journeys if j.programme == programme],
                [a for a in allocations if a.programme == programme],
                start,
                until,
                nav_weighting,
            )
            for programme in sorted(programmes)
        },
        "organisation": reference_organisation(replayed, start, until),
    }


def _programme_report(
    journeys: list[_Journey],
    allocations: list[SeatsAllocated],
    start: dt.date,
    until: dt.date,
    nav_weighting: bool,
) -> dict[str, Any]:
    def in_period(day: dt.date | None) -> bool:
        return day is not None and start <= day <= until

    # Served participants, each with the gender of the first journey seen active.
    served: dict[str, Gender] = {}
    for day in _days(start, until):
        for journey in journeys:
            if journey.is_active_on(day):
                served.setdefault(journey.participant, journey.referral.effective_gender)
    by_gender = {gender.value: 0 for gender in Gender}
    for gender in served.values():
        by_gender[gender.value] += 1

    exited = [j for j in journeys if in_period(j.exit_date())]
    by_outcome = {outcome.value: 0 for outcome in Outcome}
    for journey in exited:
        by_outcome[journey.outcome().value] += 1
    by_group = {group.value: 0 for group in OutcomeGroup}
    for journey in exited:
        by_group[journey.outcome().group.value] += 1
    placements = sum(1 for j in exited if j.outcome().counts_as_placement)
    activities = sum(1 for j in exited if j.outcome().counts_as_activity)

    started = [j for j in journeys if in_period(j.placement_date())]
    from_waiting_list = [j for j in started if j.date_of(Waitlisted) is not None]
    waits = [j.days_waited() for j in from_waiting_list]
    waiting_at_end = [
        j
        for j in journeys
        if j.date_of(Waitlisted) is not None
        and j.date_of(PlacementStarted) is None
        and j.date_of(ReferralWithdrawn) is None
    ]

    return {
        "participants_served": len(served),
        "active_at_end": len({j.participant for j in journeys if j.is_active_on(until)}),
        "new_starts": len(started),
        "exits": len(exited),
        "exits_by_outcome": by_outcome,
        "exits_by_group": by_group,
        "placement_rate": placements / len(exited) if exited else None,
        "activity_rate": activities / len(exited) if exited else None,
        "early_leavers": sum(1 for j in exited if in_period(j.placement_date())),
        "hospitering_participants": len(
            {
                j.participant
                for j in journeys
                for day in _days(start, until)
                if j.is_in_hospitering_on(day, until)
            }
        ),
        "waiting": {
            "at_end": len(waiting_at_end),
            "started_from_waiting_list": len(from_waiting_list),
            "max_wait_days": max(waits) if waits else None,
            "median_wait_days": statistics.median(waits) if waits else None,
            "days_with_waiting_list": sum(
                1
                for day in _days(start, until)
                if any(j.is_waiting_at_end_of(day) for j in journeys)
            ),
        },
        "participants_by_gender": by_gender,
        "seat_usage": _seat_usage(journeys, allocations, start, until, nav_weighting),
        "courses": _courses(journeys, in_period),
        "surveys": _surveys(journeys, in_period),
    }


def _seats_on(allocations: list[SeatsAllocated], day: dt.date) -> float:
    seats = 0.0
    latest: dt.date | None = None
    for allocation in allocations:
        if allocation.date <= day and (latest is None or allocation.date >= latest):
            seats = allocation.seats
            latest = allocation.date
    return seats


def _seat_usage(
    journeys: list[_Journey],
    allocations: list[SeatsAllocated],
    start: dt.date,
    until: dt.date,
    nav_weighting: bool,
) -> dict[str, Any]:
    months: dict[str, list[tuple[float, float]]] = {}
    for day in _days(start, until):
        used = sum(
            _weight(j.percentage_on(day), nav_weighting) for j in journeys if j.is_active_on(day)
        )
        months.setdefault(f"{day.year:04d}-{day.month:02d}", []).append(
            (_seats_on(allocations, day), used)
        )
    averages = {
        month: (sum(a for a, _ in days) / len(days), sum(u for _, u in days) / len(days))
        for month, days in months.items()
    }
    spans: list[dict[str, Any]] = []
    for day in _days(start, until):
        seats = _seats_on(allocations, day)
        if not seats:
            continue
        if spans and spans[-1]["seats"] == seats and spans[-1]["until"] == day - dt.timedelta(1):
            spans[-1]["until"] = day
        else:
            spans.append({"from": day, "until": day, "seats": seats})
    allocated_total = sum(allocated for allocated, _ in averages.values())
    used_total = sum(used for _, used in averages.values())
    return {
        "months": [
            {"month": month, "allocated": allocated, "used": used}
            for month, (allocated, used) in averages.items()
        ],
        "allocated_total": allocated_total,
        "used_total": used_total,
        "utilisation": used_total / allocated_total if allocated_total else None,
        "allocated_before": _seats_on(allocations, start - dt.timedelta(days=1)),
        "allocations": [
            {**span, "from": span["from"].isoformat(), "until": span["until"].isoformat()}
            for span in spans
        ],
    }


def _courses(
    journeys: list[_Journey], in_period: Callable[[dt.date | None], bool]
) -> dict[str, Any]:
    by_course: dict[str, dict[str, Any]] = {}
    by_category: dict[str, set[str]] = {}
    licences = 0
    for journey in journeys:
        for event in journey.events:
            if not in_period(event.date):
                continue
            if isinstance(event, CourseStarted):
                entry = by_course.setdefault(
                    event.course, {"participants": set(), "starts": 0, "completions": 0}
                )
                entry["participants"].add(journey.participant)
                entry["starts"] += 1
                if event.category is not None:
                    by_category.setdefault(event.category, set()).add(journey.participant)
                licences += 1 if event.licence else 0
            elif isinstance(event, CourseCompleted):
                entry = by_course.setdefault(
                    event.course, {"participants": set(), "starts": 0, "completions": 0}
                )
                entry["completions"] += 1
    return {
        "by_course": {
            course: {**entry, "participants": len(entry["participants"])}
            for course, entry in by_course.items()
        },
        "by_category": {
            category: {"participants": len(participants)}
            for category, participants in by_category.items()
        },
        "licences_used": licences,
    }


def _surveys(
    journeys: list[_Journey], in_period: Callable[[dt.date | None], bool]
) -> dict[str, Any]:
    answers: dict[str, list[SurveyAnswered]] = {}
    for journey in journeys:
        for event in journey.events:
            if isinstance(event, SurveyAnswered) and in_period(event.date):
                answers.setdefault(event.survey, []).append(event)
    return {
        survey: {
            "responses": len(given),
            "mean_score": sum(a.score for a in given) / len(given),
            "scale_max": given[0].scale_max
            if all(a.scale_max == given[0].scale_max for a in given)
            else None,
            "mean_percent": sum(a.score / a.scale_max * 100 for a in given) / len(given),
        }
        for survey, given in answers.items()
    }
