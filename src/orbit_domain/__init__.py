"""orbit's pure core: journey events, their rules, and the statistics folded from them.

Nothing here does I/O, reads a clock or makes ids: time and identity come in as arguments.
"""

from orbit_domain.errors import DomainError, InvalidValueError, RuleViolationError
from orbit_domain.events import (
    EVENT_TYPES,
    CourseCompleted,
    CourseStarted,
    Event,
    ExitCorrected,
    Gender,
    HospiteringEnded,
    HospiteringKind,
    HospiteringStarted,
    OrganisationEvent,
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
from orbit_domain.journey import (
    OrganisationState,
    ParticipantState,
    decide,
    decide_organisation,
    evolve,
    evolve_organisation,
)
from orbit_domain.outcomes import Outcome, OutcomeGroup

__all__ = [
    "EVENT_TYPES",
    "CourseCompleted",
    "CourseStarted",
    "DomainError",
    "Event",
    "ExitCorrected",
    "Gender",
    "HospiteringEnded",
    "HospiteringKind",
    "HospiteringStarted",
    "InvalidValueError",
    "OrganisationEvent",
    "OrganisationState",
    "Outcome",
    "OutcomeGroup",
    "ParticipantEvent",
    "ParticipantExited",
    "ParticipantReferred",
    "ParticipantState",
    "PercentageChanged",
    "PlacementStarted",
    "Recorded",
    "ReferralWithdrawn",
    "RuleViolationError",
    "SeatsAllocated",
    "SurveyAnswered",
    "Waitlisted",
    "decide",
    "decide_organisation",
    "evolve",
    "evolve_organisation",
]
