"""orbit's pure core: journey events, their rules, and the statistics folded from them.

Nothing here does I/O, reads a clock or makes ids: time and identity come in as arguments.

The names below are imported on first use (PEP 562), so importing one submodule, as a
report does, does not load the journey rules with it; ``from orbit_domain import X``
works as before.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orbit_domain.errors import DomainError, InvalidValueError, RuleViolationError
    from orbit_domain.events import (
        EVENT_TYPES,
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
        OrganisationEvent,
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
    from orbit_domain.organisation import Closure, OrganisationFigures
    from orbit_domain.outcomes import Outcome, OutcomeGroup

_MODULE_OF = {
    **dict.fromkeys(("DomainError", "InvalidValueError", "RuleViolationError"), "errors"),
    **dict.fromkeys(
        (
            "EVENT_TYPES",
            "ComplaintReceived",
            "CourseCompleted",
            "CourseStarted",
            "Event",
            "ExitCorrected",
            "FactRetracted",
            "Gender",
            "HospiteringEnded",
            "HospiteringKind",
            "HospiteringStarted",
            "OrganisationEvent",
            "ParticipantEvent",
            "ParticipantExited",
            "ParticipantReferred",
            "PercentageChanged",
            "PlacementStarted",
            "ProviderClosed",
            "ReferralWithdrawn",
            "SeatsAllocated",
            "StaffTrainingRecorded",
            "SurveyAnswered",
            "Waitlisted",
        ),
        "events",
    ),
    **dict.fromkeys(("Closure", "OrganisationFigures"), "organisation"),
    "Recorded": "history",
    **dict.fromkeys(
        (
            "OrganisationState",
            "ParticipantState",
            "decide",
            "decide_organisation",
            "evolve",
            "evolve_organisation",
        ),
        "journey",
    ),
    **dict.fromkeys(("Outcome", "OutcomeGroup"), "outcomes"),
}

__all__ = [
    "EVENT_TYPES",
    "Closure",
    "ComplaintReceived",
    "CourseCompleted",
    "CourseStarted",
    "DomainError",
    "Event",
    "ExitCorrected",
    "FactRetracted",
    "Gender",
    "HospiteringEnded",
    "HospiteringKind",
    "HospiteringStarted",
    "InvalidValueError",
    "OrganisationEvent",
    "OrganisationFigures",
    "OrganisationState",
    "Outcome",
    "OutcomeGroup",
    "ParticipantEvent",
    "ParticipantExited",
    "ParticipantReferred",
    "ParticipantState",
    "PercentageChanged",
    "PlacementStarted",
    "ProviderClosed",
    "Recorded",
    "ReferralWithdrawn",
    "RuleViolationError",
    "SeatsAllocated",
    "StaffTrainingRecorded",
    "SurveyAnswered",
    "Waitlisted",
    "decide",
    "decide_organisation",
    "evolve",
    "evolve_organisation",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
