"""Projections: the folds replay runs over stored events, and the report computed from them."""

from orbit_domain.projections.build import build_report, programme_reports, programme_tallies
from orbit_domain.projections.figures import programme_tally
from orbit_domain.projections.folding import TimelinesBuilder, fold
from orbit_domain.projections.seats import allocation_spans, seat_tally, seat_usage
from orbit_domain.projections.selection import is_replayed, select_replayed
from orbit_domain.projections.tally import (
    ProgrammeTally,
    SeatTally,
    SurveyTally,
    WaitingTally,
    merge_tallies,
)
from orbit_domain.projections.timeline import (
    EMPTY_TIMELINES,
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
from orbit_domain.weighting import Weighting

__all__ = [
    "EMPTY_TIMELINES",
    "OWN_ALLOCATIONS",
    "CourseCompletion",
    "CourseStart",
    "Exit",
    "HospiteringSpan",
    "JourneyTimeline",
    "PercentageFrom",
    "ProgrammeTally",
    "SeatTally",
    "SurveyAnswer",
    "SurveyTally",
    "Timelines",
    "TimelinesBuilder",
    "WaitingTally",
    "Weighting",
    "allocation_spans",
    "build_report",
    "fold",
    "is_replayed",
    "merge_tallies",
    "programme_reports",
    "programme_tallies",
    "programme_tally",
    "seat_tally",
    "seat_usage",
    "select_replayed",
]
