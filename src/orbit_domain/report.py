"""The period report of report-v1 as typed immutable values, and its JSON shape.

Figures that follow from others (``exits``, the rates, the seat totals and utilisation)
are properties, so a report can never disagree with itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from orbit_domain.events import Gender
from orbit_domain.frozen import frozen_mapping
from orbit_domain.organisation import OrganisationFigures
from orbit_domain.outcomes import Outcome, OutcomeGroup
from orbit_domain.period import Month, Period

REPORT_FORMAT = "orbit-report/1"


def _finite_sum(values: Iterable[float]) -> float:
    """The sum, at most the largest float: a store filled before the numeric bounds may
    hold months near it, and a report must stay plain JSON (no ``Infinity``)."""
    return min(sum(values, 0.0), sys.float_info.max)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@attrs.frozen
class WaitingFigures:
    at_end: int
    started_from_waiting_list: int
    max_wait_days: int | None
    median_wait_days: float | None
    days_with_waiting_list: int
    """Days of the period that end with at least one journey waiting."""

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "at_end": self.at_end,
            "started_from_waiting_list": self.started_from_waiting_list,
            "max_wait_days": self.max_wait_days,
            "median_wait_days": self.median_wait_days,
            "days_with_waiting_list": self.days_with_waiting_list,
        }


@attrs.frozen
class MonthSeats:
    """Average seats allocated and used per day, over the month's days inside the period."""

    month: Month
    allocated: float
    used: float

    def to_json_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "allocated": self.allocated, "used": self.used}


@attrs.frozen
class AllocationSpan:
    """Days ``start`` to ``end`` (both included) on which ``seats`` were allocated."""

    start: dt.date
    end: dt.date
    seats: float

    def to_json_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "until": self.end.isoformat(), "seats": self.seats}


@attrs.frozen
class SeatUsage:
    months: tuple[MonthSeats, ...]
    allocated_before: float
    """Seats allocated on the day before the period: the baseline for extra seats."""
    allocations: tuple[AllocationSpan, ...]
    """The allocation over the period, consecutive days with the same seats in one span;
    days without an allocation are in none."""

    @property
    def allocated_total(self) -> float:
        """Seat-months (månedsverk) allocated: the sum of the months' averages."""
        return _finite_sum(month.allocated for month in self.months)

    @property
    def used_total(self) -> float:
        return _finite_sum(month.used for month in self.months)

    @property
    def utilisation(self) -> float | None:
        return _share(self.used_total, self.allocated_total)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "months": [month.to_json_dict() for month in self.months],
            "allocated_total": self.allocated_total,
            "used_total": self.used_total,
            "utilisation": self.utilisation,
            "allocated_before": self.allocated_before,
            "allocations": [span.to_json_dict() for span in self.allocations],
        }


@attrs.frozen
class CourseCounts:
    participants: int
    starts: int
    completions: int


@attrs.frozen
class CourseFigures:
    by_course: Mapping[str, CourseCounts] = attrs.field(converter=frozen_mapping)
    participants_by_category: Mapping[str, int] = attrs.field(converter=frozen_mapping)
    licences_used: int

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "by_course": {
                course: {
                    "participants": counts.participants,
                    "starts": counts.starts,
                    "completions": counts.completions,
                }
                for course, counts in sorted(self.by_course.items())
            },
            "by_category": {
                category: {"participants": participants}
                for category, participants in sorted(self.participants_by_category.items())
            },
            "licences_used": self.licences_used,
        }


@attrs.frozen
class SurveyFigures:
    responses: int
    mean_score: float
    scale_max: float | None
    """``None`` when the answers used different scales."""
    mean_percent: float

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "mean_score": self.mean_score,
            "scale_max": self.scale_max,
            "mean_percent": self.mean_percent,
        }


@attrs.frozen
class ProgrammeReport:
    participants_served: int
    active_at_end: int
    new_starts: int
    exits_by_outcome: Mapping[Outcome, int] = attrs.field(converter=frozen_mapping)
    """Every outcome, zeros included."""
    early_leavers: int
    hospitering_participants: int
    waiting: WaitingFigures
    participants_by_gender: Mapping[Gender, int] = attrs.field(converter=frozen_mapping)
    """Every gender, zeros included."""
    seat_usage: SeatUsage
    courses: CourseFigures
    surveys: Mapping[str, SurveyFigures] = attrs.field(converter=frozen_mapping)

    @property
    def exits(self) -> int:
        return sum(self.exits_by_outcome.values())

    @property
    def exits_by_group(self) -> dict[OutcomeGroup, int]:
        """Every outcome group, zeros included."""
        groups = dict.fromkeys(OutcomeGroup, 0)
        for outcome, count in self.exits_by_outcome.items():
            groups[outcome.group] += count
        return groups

    @property
    def placement_rate(self) -> float | None:
        """Formidlingsprosent: exits to work or education, as a share of all exits."""
        placements = sum(n for o, n in self.exits_by_outcome.items() if o.counts_as_placement)
        return _share(placements, self.exits)

    @property
    def activity_rate(self) -> float | None:
        """Fra passiv ytelse til aktivitet: exits to work, education or another activity."""
        activities = sum(n for o, n in self.exits_by_outcome.items() if o.counts_as_activity)
        return _share(activities, self.exits)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "participants_served": self.participants_served,
            "active_at_end": self.active_at_end,
            "new_starts": self.new_starts,
            "exits": self.exits,
            "exits_by_outcome": {
                outcome.value: self.exits_by_outcome.get(outcome, 0) for outcome in Outcome
            },
            "exits_by_group": {group.value: n for group, n in self.exits_by_group.items()},
            "placement_rate": self.placement_rate,
            "activity_rate": self.activity_rate,
            "early_leavers": self.early_leavers,
            "hospitering_participants": self.hospitering_participants,
            "waiting": self.waiting.to_json_dict(),
            "participants_by_gender": {
                gender.value: self.participants_by_gender.get(gender, 0) for gender in Gender
            },
            "seat_usage": self.seat_usage.to_json_dict(),
            "courses": self.courses.to_json_dict(),
            "surveys": {
                survey: figures.to_json_dict() for survey, figures in sorted(self.surveys.items())
            },
        }


@attrs.frozen
class Report:
    """Every programme's figures for one period, as known at ``known_at`` (``None``: now)."""

    period: Period
    known_at: dt.datetime | None
    events_replayed: int
    fingerprint: str
    programmes: Mapping[str, ProgrammeReport] = attrs.field(converter=frozen_mapping)
    organisation: OrganisationFigures = attrs.field(factory=OrganisationFigures)
    """The organisation block (revision 2): complaints, staff training, closures."""

    def to_json_dict(self) -> dict[str, Any]:
        """The report-v1 JSON object, ready for ``json.dumps``."""
        return {
            "format": REPORT_FORMAT,
            "period": {"from": self.period.start.isoformat(), "until": self.period.end.isoformat()},
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "events_replayed": self.events_replayed,
            "fingerprint": self.fingerprint,
            "programmes": {
                programme: report.to_json_dict()
                for programme, report in sorted(self.programmes.items())
            },
            "organisation": self.organisation.to_json_dict(),
        }
